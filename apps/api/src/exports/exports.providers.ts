import type { Provider } from '@nestjs/common';
import type { ApiConfig } from '../api.config';
import { BuildWeeklyExportUseCase, WEEKLY_EXPORT_SETTINGS, type WeeklyExportSettings } from './build-weekly-export.usecase';
import { DownloadWeeklyExportUseCase } from './download-weekly-export.usecase';
import { EXPORT_CLOCK, systemClock } from './export-clock';
import { ExportScheduleMetrics } from './export-schedule.metrics';
import { ExportScheduler } from './export.scheduler';
import { replicaName } from './exports.config';
import { RefreshWeeklyFiguresUseCase } from './refresh-weekly-figures.usecase';
import { EXPORT_JOB_SETTINGS, RunWeeklyExportJobUseCase, type ExportJobSettings } from './run-weekly-export-job.usecase';

export { ExportsController } from './exports.controller';

/** Everything the exports need in the api (registered by ApiModule). */
export function exportProviders(config: ApiConfig): Provider[] {
  const x = config.extra;
  const settings: WeeklyExportSettings = {
    areas: config.areas.areas.map((a) => ({ code: a.code, name: a.name })),
    suppressBelow: x.EXPORT_SUPPRESS_BELOW,
  };
  const job: ExportJobSettings = {
    job: x.EXPORT_SCHEDULE_JOB,
    schedule: { day: x.EXPORT_SCHEDULE_DAY, time: x.EXPORT_SCHEDULE_TIME },
    weeks: x.EXPORT_WEEKS,
    dir: x.EXPORT_DIR,
    recipients: x.EXPORT_RECIPIENTS,
    smtpUrl: x.SMTP_URL,
    smtpFrom: x.EXPORT_MAIL_FROM,
    leaseMs: x.EXPORT_SCHEDULE_LEASE_MS,
    holder: replicaName(),
  };
  return [
    { provide: WEEKLY_EXPORT_SETTINGS, useValue: settings },
    { provide: EXPORT_JOB_SETTINGS, useValue: job },
    { provide: EXPORT_CLOCK, useValue: systemClock },
    RefreshWeeklyFiguresUseCase,
    BuildWeeklyExportUseCase,
    DownloadWeeklyExportUseCase,
    RunWeeklyExportJobUseCase,
    ExportScheduler,
    ...(x.EXPORT_SCHEDULE === 'on' ? [ExportScheduleMetrics] : []),
  ];
}
