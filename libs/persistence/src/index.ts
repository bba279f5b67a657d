export { hasTimescale } from './capabilities';
export { dataSourceOptions, openDataSource } from './data-source';
export { DatabaseReadiness } from './database.readiness';
export { IntelEventsRepository, type IntelEventRecord } from './intel-events.repository';
export { runMigrations, type MigrationReport } from './migrate';
export { MIGRATIONS } from './migrations';
export { PersistenceModule } from './persistence.module';
export { DATA_SOURCE } from './persistence.tokens';
export { LinesRepository, type EventSummary, type LineWrite, type StoredLine } from './lines.repository';
export { OutboxRepository, type OutboxEntry, type PendingEntry } from './outbox.repository';
export { SNAPSHOT_VERSION, decodeSnapshot, encodeSnapshot } from './line-snapshot.codec';
export {
  AlertsRepository,
  type AlertFilter,
  type AlertRow,
  type AlertStatus,
  type ClaimedDelivery,
  type DeliveryChannel,
  type NewAlert,
  type NewDelivery,
  type SilenceRow,
} from './alerts.repository';
export {
  LineQueriesRepository,
  type AreaScope,
  type LineFilter,
  type LineSummary,
  type PeriodAt,
  type ReviewDue,
  type ReviewPolicy,
} from './line-queries.repository';
export { LineReviewsRepository, type LineReview, type ReviewDecision } from './line-reviews.repository';
export { AuditRepository, type AuditEntry, type DisclosureEntry, type AuditSearch, type ChainReport } from './audit.repository';
export { WeeklyFiguresRepository, type LineFigureSource } from './weekly-figures.repository';
export { LINE_COUNT_COLUMNS } from './weekly-line-counts.columns';
export { ExportScheduleRepository, type ScheduleRun } from './export-schedule.repository';
