/**
 * @linewatch/domain — the line state machine as pure functions.
 *
 * Owns: the line-state rules of PRODUCT.md ("Line states") — the decider (`line-state.decider.ts`),
 * a line's timeline in event time from the set of its events and the clock
 * (`line-timeline.projection.ts`), dormancy windows (`dormancy.policy.ts`), the event-time order
 * (`line-event.ordering.ts`), and the mapping of contract events to line events
 * (`line-event.model.ts`); line identity (PRODUCT.md, "Line identity"): identifier normalisation,
 * a line's number/handset intervals and brands, attribution of an identifier to a line, links
 * (merge, unmerge, attach) and replacement suggestions (`line-identity.*`, `line-attribution.rules.ts`,
 * `line-links.rules.ts`, `line-replacement.rules.ts`).
 *
 * Must not touch: I/O of any kind (database, Kafka, Redis, HTTP, files, logging), Nest, the clock
 * (`now` is an input; never `Date.now()` or `new Date()` without an argument), random ids
 * (`randomUUID()`), `process.env` (the dormancy policy is handed in). It may import only
 * `@linewatch/contracts`; lint and dependency-cruiser enforce it.
 */
export { LINE_STATES, isLegalTransition, transitionKind, type LineState, type TransitionKind } from './line-state';
export { DomainError, type DomainErrorCode } from './domain.errors';
export {
  lineEventsOf,
  type AssessmentDecision,
  type AssessmentEvent,
  type ClosureAssessment,
  type ClosureDecision,
  type DormancyOverrideAssessment,
  type EnforcementEvent,
  type EnforcementType,
  type IntelligenceGrade,
  type LineEvent,
  type ReferralEvent,
  type ReopenAssessment,
  type SightingEvent,
  type SightingType,
} from './line-event.model';
export { compareLineEvents, inEventTimeOrder, precedenceOf } from './line-event.ordering';
export { DEFAULT_DORMANCY_DAYS, DEFAULT_DORMANCY_POLICY, areaWindowDays, dormancyInstant, type DormancyPolicy } from './dormancy.policy';
export type {
  ClosureType,
  DormancyOverride,
  EvidenceEffect,
  EvidenceEntry,
  LineTimeline,
  StateChange,
  StatePeriod,
  TransitionCause,
} from './line-timeline.model';
export {
  decide,
  evolve,
  evolveAll,
  hasNoEffect,
  initialState,
  lineStateDecider,
  type ClockAdvanced,
  type Decider,
  type DormancyWindowSet,
  type EvidenceDeferred,
  type EvidenceRecorded,
  type LineCommand,
  type LineDomainEvent,
  type LineSighted,
  type LineStateChanged,
  type RecordEvidence,
  type ReferralLinked,
  type Tick,
} from './line-state.decider';
export {
  advanceTimeline,
  lineClock,
  compactTimeline,
  computeTimeline,
  currentStateChange,
  currentStateChangeFrom,
  nextDormancyAt,
  type ToldState,
} from './line-timeline.projection';
export { ALERT_SEVERITIES, severityAtLeast, severityOf, type AlertSeverity, type SeverityPolicy } from './alert-severity.rules';
export { teamsFor } from './alert-routing.rules';
export { silenceFor, type Silence } from './alert-silence.rules';
export { pushDecision, type PushDecision, type PushInputs } from './alert-noise.rules';
export { deliverNow, inQuietHours, quietHoursEnd, type QuietHoursRule } from './alert-quiet-hours.rules';
export {
  ALERT_TIME_ZONE,
  HANDLING_C_NOTICE,
  alertContent,
  type AlertCauseDetails,
  type AlertContent,
  type AlertContentInput,
} from './alert-content.rules';
export { escalationDue, nextEscalationAt, type EscalationLevelRule, type EscalationState } from './alert-escalation.rules';
export { digestGroups, type DigestCandidate, type DigestGroup } from './alert-digest.rules';
export {
  EXPORT_TIME_ZONE,
  addDays,
  isoWeekOf,
  isoWeekOfDate,
  isoWeeksBetween,
  londonDateOf,
  londonMidnight,
  londonOffsetMs,
  nextIsoWeek,
  parseIsoWeek,
  weekHours,
  type IsoWeek,
} from './london-week.calendar';
export {
  CHECK_BACK_FIGURES,
  EVENT_FIGURES,
  LINE_FIGURES,
  PEOPLE_FIGURES,
  WEEKLY_FIGURES,
  assembleWeeklyRows,
  isWeekStart,
  lineWeekFigures,
  zeroCounts,
  type AreaMark,
  type EventFigure,
  type FigurePeriod,
  type LineFigure,
  type LineWeekFlags,
  type LineWeekInput,
  type LineWeekResult,
  type WeekCounts,
  type WeeklyCounts,
  type WeeklyFigure,
  type WeeklyRow,
} from './weekly-figures.rules';
export {
  SUPPRESSED,
  suppressSmallNumbers,
  type PublishedRow,
  type PublishedValue,
  type SuppressionResult,
} from './partner-suppression.policy';
export {
  WEEKDAYS,
  dueExport,
  londonWallTime,
  nextExportSlot,
  type DueExport,
  type ExportSchedule,
  type Weekday,
} from './export-schedule.rules';
export {
  identifierKey,
  normaliseBrand,
  normaliseImei,
  normaliseMsisdn,
  parseIdentifier,
  type IdentifierKind,
  type LineIdentifier,
} from './identifier.normalise';
export { ATTACHMENT_RANK, identityFactsOf, identityFactsOfLink, type IdentityFact } from './line-identity.facts';
export {
  compareIdentityFacts,
  heldIntervalsOf,
  lineIdentityOf,
  type BrandRecord,
  type HeldInterval,
  type IdentifierInterval,
  type LineIdentity,
} from './line-identity.rules';
export { attributeIdentifier, deriveLineId, type AttributionOptions } from './line-attribution.rules';
export {
  answeredLines,
  intakeLookupsOf,
  resolveSubmission,
  type IntakeLookups,
  type IntakeResolution,
  type KnownLines,
} from './line-intake.rules';
export {
  EMPTY_LINK_STATE,
  LINK_ERROR_KINDS,
  aliasesOf,
  attachmentFacts,
  compareLinkDecisions,
  decideLink,
  linkDecisionOf,
  linkStateOf,
  parentOf,
  retargeted,
  rootOf,
  type LinkDecision,
  type LinkErrorCode,
  type LinkOutcome,
  type LinkState,
  type Merge,
} from './line-links.rules';
export {
  DEFAULT_REPLACEMENT_WINDOW_DAYS,
  lineEndingsOf,
  replacementPairKey,
  replacementReasons,
  replacementSuggestionsAfter,
  replacementSuggestionsFor,
  replacementSuggestionsForEach,
  type CandidateLine,
  type EndingKind,
  type LineEnding,
  type NewLineRecord,
  type ReplacementPolicy,
  type ReplacementSuggestion,
} from './line-replacement.rules';
export {
  DEFAULT_DIGEST_SCHEDULE,
  dueDigestSlot,
  nextDigestSlot,
  previousDigestSlot,
  zonedWallTime,
  type DigestSchedule,
} from './team-digest.schedule';
export {
  DIGEST_CHANGE_LIMIT,
  digestMessage,
  teamDigest,
  type DigestChangeRow,
  type DigestMessage,
  type DigestOpenAlertRow,
  type TeamDigestInput,
} from './team-digest.content';
export {
  DEFAULT_CHECK_BACK_DAYS,
  checkBackScheduleOf,
  daysOverdue,
  reminderDue,
  type CheckBackSchedule,
  type ScheduledCheckBack,
} from './closure-check-backs.rules';
export {
  canonicalCheckpoint,
  checkpointForgery,
  checkpointKeyId,
  compareWithCheckpoints,
  firstDisagreement,
  signCheckpoint,
  type ChainNow,
  type ChainPosition,
  type CheckpointComparison,
  type CheckpointDisagreement,
  type UnsignedCheckpoint,
} from './audit-checkpoint.rules';
