import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ROOT_LOGGER, type Logger } from '@linewatch/observability';
import { PeriodicTask } from '@linewatch/platform';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { EXPORT_CLOCK, type Clock } from './export-clock';
import { RunWeeklyExportJobUseCase } from './run-weekly-export-job.usecase';

/**
 * Runs the weekly export job inside the api: every replica ticks (at boot, then each
 * EXPORT_SCHEDULE_INTERVAL_MS); the lease row makes one of them run it. The api is the service
 * that already builds exports and is always up; a separate cron would need the same lease.
 */
@Injectable()
export class ExportScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: PeriodicTask | null;

  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
    @Inject(EXPORT_CLOCK) clock: Clock,
    private readonly job: RunWeeklyExportJobUseCase,
  ) {
    this.task =
      config.extra.EXPORT_SCHEDULE === 'on'
        ? new PeriodicTask(
            'weekly export',
            config.extra.EXPORT_SCHEDULE_INTERVAL_MS,
            async () => {
              const outcome = await job.execute(clock.now());
              if (outcome.kind === 'ran')
                logger.info(
                  { week: outcome.week, files: outcome.files.length, mailedTo: outcome.mailedTo.length },
                  'weekly export written',
                );
            },
            logger,
          )
        : null;
  }

  onApplicationBootstrap(): void {
    this.task?.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.task?.stop();
    this.job.close();
  }
}
