import { type DynamicModule, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { DatabaseConfig } from '@linewatch/config';
import { openDataSource } from './data-source';
import { Database } from './database';
import { DatabaseReadiness } from './database.readiness';
import { IntelEventsRepository } from './intel-events.repository';
import { AlertsRepository } from './alerts.repository';
import { AlertDeliveriesRepository } from './alert-deliveries.repository';
import { AlertSilencesRepository } from './alert-silences.repository';
import { AuditRepository } from './audit.repository';
import { LineQueriesRepository } from './line-queries.repository';
import { LineReviewsRepository } from './line-reviews.repository';
import { LinesRepository } from './lines.repository';
import { OutboxRepository } from './outbox.repository';
import { OverviewRepository } from './overview.repository';
import { WeeklyFiguresRepository } from './weekly-figures.repository';
import { ExportScheduleRepository } from './export-schedule.repository';
import { DATA_SOURCE } from './persistence.tokens';
import { LineIdentityRepository } from './line-identity.repository';
import { LineLinksRepository } from './line-links.repository';
import { ReplacementSuggestionsRepository } from './replacement-suggestions.repository';
import { LineAttributionRepository } from './line-attribution.repository';
import { EventStandingRepository } from './event-standing.repository';
import { TeamDigestsRepository } from './team-digests.repository';
import { ClosureCheckBacksRepository } from './closure-check-backs.repository';
import { DeadLettersRepository } from './dead-letters.repository';
import { ErasureRepository } from './erasure.repository';

const REPOSITORIES = [
  IntelEventsRepository,
  LinesRepository,
  OutboxRepository,
  AlertsRepository,
  AlertDeliveriesRepository,
  AlertSilencesRepository,
  LineQueriesRepository,
  OverviewRepository,
  LineReviewsRepository,
  AuditRepository,
  WeeklyFiguresRepository,
  ExportScheduleRepository,
  LineIdentityRepository,
  LineLinksRepository,
  ReplacementSuggestionsRepository,
  LineAttributionRepository,
  EventStandingRepository,
  TeamDigestsRepository,
  ClosureCheckBacksRepository,
  DeadLettersRepository,
  ErasureRepository,
];

/** The service's connection pool behind the `Database` seam, its repositories and its readiness check. */
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(private readonly database: Database) {}

  static forRoot(config: DatabaseConfig, applicationName: string): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      providers: [
        // The TypeORM data source is this library's own: apps get the Database seam, never the data source.
        { provide: DATA_SOURCE, useFactory: () => openDataSource(config, applicationName) },
        Database,
        DatabaseReadiness,
        ...REPOSITORIES,
      ],
      exports: [Database, DatabaseReadiness, ...REPOSITORIES],
    };
  }

  /** Runs after consumers have drained (they stop in onModuleDestroy). */
  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
