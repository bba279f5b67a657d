import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { DatabaseConfig } from '@linewatch/config';
import type { DataSource } from 'typeorm';
import { openDataSource } from './data-source';
import { DatabaseReadiness } from './database.readiness';
import { IntelEventsRepository } from './intel-events.repository';
import { AlertsRepository } from './alerts.repository';
import { AuditRepository } from './audit.repository';
import { LineQueriesRepository } from './line-queries.repository';
import { LineReviewsRepository } from './line-reviews.repository';
import { LinesRepository } from './lines.repository';
import { OutboxRepository } from './outbox.repository';
import { WeeklyFiguresRepository } from './weekly-figures.repository';
import { ExportScheduleRepository } from './export-schedule.repository';
import { DATA_SOURCE } from './persistence.tokens';

/** The service's connection pool, its repositories and its readiness check. */
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  static forRoot(config: DatabaseConfig, applicationName: string): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      providers: [
        { provide: DATA_SOURCE, useFactory: () => openDataSource(config, applicationName) },
        DatabaseReadiness,
        IntelEventsRepository,
        LinesRepository,
        OutboxRepository,
        AlertsRepository,
        LineQueriesRepository,
        LineReviewsRepository,
        AuditRepository,
        WeeklyFiguresRepository,
        ExportScheduleRepository,
      ],
      exports: [
        DATA_SOURCE,
        DatabaseReadiness,
        IntelEventsRepository,
        LinesRepository,
        OutboxRepository,
        AlertsRepository,
        LineQueriesRepository,
        LineReviewsRepository,
        AuditRepository,
        WeeklyFiguresRepository,
        ExportScheduleRepository,
      ],
    };
  }

  /** Runs after consumers have drained (they stop in onModuleDestroy). */
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
