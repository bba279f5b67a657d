/**
 * @linewatch/persistence — the database: the `Database` seam (transactions and autocommit
 * statements as opaque `Tx`/`Queryable` values), repositories (the only SQL), migrations, the
 * readiness check. TypeORM never leaves this library (README.md).
 */
export { Database, type Queryable, type Tx } from './database';
export { AreaScope, type ScopedCaller } from './area-scope';
export { hasTimescale } from './capabilities';
export { DatabaseReadiness } from './database.readiness';
export { IntelEventsRepository, type IntakeReceipt, type IntelEventRecord } from './intel-events.repository';
export { eventsOfLineHalves } from './events-of-line.sql';
export { LineAttributionRepository } from './line-attribution.repository';
export { EventStandingRepository, type EventStanding, type StandingLine } from './event-standing.repository';
export { runMigrations, type MigrationReport } from './migrate';
export { MIGRATIONS } from './migrations';
export { PersistenceModule } from './persistence.module';
export { LinesRepository, type EventSummary, type LineWrite, type StoredLine } from './lines.repository';
export { OutboxRepository, type OutboxEntry, type PendingEntry } from './outbox.repository';
export { OverviewRepository, type LineFigures, type OpenAlertFigures } from './overview.repository';
export {
  DeadLettersRepository,
  type DeadLetterRecord,
  type DeadLetterRedrive,
  type DeadLetterStatus,
  type ListedDeadLetter,
} from './dead-letters.repository';
export { SNAPSHOT_VERSION, decodeSnapshot, snapshotDocument } from './line-snapshot.codec';
export {
  AlertsRepository,
  alertViewOf,
  type AlertFilter,
  type AlertPosition,
  type AlertRow,
  type AlertStatus,
  type NewAlert,
} from './alerts.repository';
export { AlertDeliveriesRepository, type ClaimedDelivery, type DeliveryAttempt, type DeliveryChannel, type NewDelivery } from './alert-deliveries.repository';
export { AlertSilencesRepository, type SilenceRow } from './alert-silences.repository';
export {
  LineQueriesRepository,
  type IdentitySight,
  type LineDetails,
  type LineFilter,
  type LineIdentityDetails,
  type LineInScope,
  type LineSummary,
  type PeriodAt,
  type ReviewDue,
  type ReviewPolicy,
} from './line-queries.repository';
export { LineReviewsRepository, type LineReview, type ReviewDecision } from './line-reviews.repository';
export {
  AuditRepository,
  type AuditEntry,
  type AuditSearch,
  type ChainHead,
  type ChainPositions,
  type ChainReport,
  type DisclosureEntry,
} from './audit.repository';
export { WeeklyFiguresRepository, type LineFigureSource } from './weekly-figures.repository';
export { LINE_COUNT_COLUMNS } from './weekly-line-counts.columns';
export { ExportScheduleRepository, type ScheduleRun } from './export-schedule.repository';
export {
  LineIdentityRepository,
  disclosableKeysOf,
  rootsOf,
  type DisclosableKeys,
  type IdentityLookup,
  type IdentityMatch,
  type IdentityReader,
  type StoredBrand,
  type StoredIdentityFact,
  type StoredInterval,
} from './line-identity.repository';
export { LineLinksRepository, type AliasRow, type RecordedLinkDecision } from './line-links.repository';
export {
  ReplacementSuggestionsRepository,
  type CandidateSource,
  type StoredSuggestion,
  type SuggestionStatus,
} from './replacement-suggestions.repository';
export { TeamDigestsRepository, type DigestRun, type StoredDigest } from './team-digests.repository';
export {
  ErasureRepository,
  type DisposalHold,
  type DisposalStatus,
  type Erasure,
  type ErasureCounts,
  type ErasureKind,
  type LineTombstone,
  type RetentionPreview,
} from './erasure.repository';
export {
  ClosureCheckBacksRepository,
  checkBackDueV1Of,
  type CheckBackDue,
  type CheckBackOutcome,
  type CheckBackRecord,
  type CheckBackRow,
  type CheckBackStatus,
  type ClaimedReminder,
} from './closure-check-backs.repository';
