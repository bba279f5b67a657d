import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { epochSeconds, scrapeGauge } from '@linewatch/observability';
import { Database, ExportScheduleRepository } from '@linewatch/persistence';
import { EXPORT_JOB_SETTINGS, type ExportJobSettings } from './run-weekly-export-job.usecase';

/**
 * `linewatch_export_last_success_timestamp_seconds`: when the weekly export job last completed a
 * week (export_schedule_runs, whichever replica ran it), read when Prometheus scrapes; 0 before its
 * first run. Registered only while the schedule is on (EXPORT_SCHEDULE), so that a deployment
 * without the job has nothing to alert on (infra/prometheus, LinewatchWeeklyExportMissed).
 */
@Injectable()
export class ExportScheduleMetrics implements OnModuleInit {
  constructor(
    private readonly database: Database,
    private readonly runs: ExportScheduleRepository,
    @Inject(EXPORT_JOB_SETTINGS) private readonly settings: ExportJobSettings,
  ) {}

  onModuleInit(): void {
    scrapeGauge({
      name: 'linewatch_export_last_success_timestamp_seconds',
      help: 'When the weekly export job last completed a week (seconds since the epoch; 0: never)',
      read: async () => {
        const state = await this.database.autocommit((q) => this.runs.state(q, this.settings.job));
        return [{ labels: {}, value: state?.lastRunAt ? epochSeconds(state.lastRunAt) : 0 }];
      },
    });
  }
}
