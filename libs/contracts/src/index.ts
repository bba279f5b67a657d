export {
  HEADERS,
  TOPICS,
  TOPIC_DECLARATIONS,
  liveStreamKey,
  topicDeclarations,
  topicNames,
  type LiveItem,
  type TopicDeclaration,
  type TopicName,
  type TopicNames,
} from './topics';
export {
  INTEL_EVENT_SCHEMA,
  INTEL_EVENT_TYPES,
  intelEventV1,
  linesOf,
  map5x5x5,
  partitionKeysOf,
  type Grading,
  type IntelEventInput,
  type IntelEventType,
  type IntelEventV1,
} from './intel-event.v1';
export {
  EARLIEST_EVENT_TIME,
  MAX_EVENT_DEPTH,
  REJECTION_CODES,
  parseAndValidateIntelEvent,
  validateIntelEvent,
  type FieldError,
  type RejectionCode,
  type ValidationContext,
  type ValidationResult,
} from './intel-event.validation';
export { ROLES, type Role } from './roles';
export { silenceRequestV1, type SilenceRequestV1 } from './silence.v1';
export { CSV_COLUMNS, CsvShapeError, csvRecordToEvent, eventToCsvRecord, type CsvRecord } from './intel-event.csv';
export {
  JSON_SCHEMA_BASE_URI,
  STATE_CHANGE_SCHEMA_FILE,
  UNION_SCHEMA_FILE,
  contractJsonSchemas,
  intelEventJsonSchemas,
  jsonSchemaFileOf,
} from './json-schema';
export { LINE_STATE_NAMES, STATE_CHANGE_SCHEMA, TRANSITION_KINDS, stateChangeV1, type StateChangeV1 } from './state-change.v1';
export { errorBodyV1, errorItemV1, type ErrorBodyV1, type ErrorItemV1 } from './error-body.v1';
export {
  IDENTIFIER_KINDS,
  LINE_ID_PATTERN,
  RESOLUTION_HOWS,
  identifierOf,
  isLuhnValid,
  lineResolution,
  normaliseImei,
  normalisePhoneNumber,
  refOf,
  type IdentifierKind,
  type LineIdentifier,
  type LineRef,
  type LineRefInput,
  type LineResolution,
  type ResolutionHow,
  type ResolvedLineRef,
} from './line-identifier.v1';
export {
  SINGLE_LINE_TYPES,
  intelEventSubmissionV1,
  type IntelEventSubmission,
  type IntelEventSubmissionInput,
  type SingleLineType,
} from './intel-event.v1';
export { ResolutionError, identifiersToResolve, resolutionOf, resolveIntelEvent, type IdentifierToResolve } from './intel-event.resolution';
export {
  parseAndValidateIntelSubmission,
  validateIntelSubmission,
  validateLineLink,
  type LinkValidationResult,
  type Rejection,
  type SubmissionValidationResult,
  type Validated,
} from './intel-event.validation';
export { LINE_LINK_TYPES, lineLinkV1, linesOfLink, type LineLinkInput, type LineLinkType, type LineLinkV1 } from './line-link.v1';
export {
  batchAnswerV1,
  bulkRejectionV1,
  bulkReportV1,
  eventAcceptedV1,
  eventOutcomeV1,
  eventRejectedV1,
  intakeAnswerV1,
  intakeSummaryV1,
  type BulkReportV1,
  type EventOutcomeV1,
} from './intake-answer.v1';
export { healthLiveV1, healthReadyV1, type HealthReadyV1 } from './health.v1';
export { eventStandingParamsV1, eventStandingV1, standingLineV1, type EventStandingV1, type StandingLineV1 } from './event-standing.v1';
export {
  ALERT_SEVERITIES,
  ALERT_STATUSES,
  alertChangeV1,
  alertContentV1,
  alertListV1,
  alertViewV1,
  type AlertChangeV1,
  type AlertContentV1,
  type AlertListV1,
  type AlertSeverityV1,
  type AlertStatusV1,
  type AlertViewV1,
} from './alert-view.v1';
export {
  LIVE_ITEM_TYPES,
  liveAlertV1,
  liveItemV1,
  liveStateChangeV1,
  type LiveAlertV1,
  type LiveDataV1,
  type LiveItemTypeV1,
  type LiveItemV1,
  type LiveStateChangeV1,
} from './live-item.v1';
export {
  assessmentAnswerV1,
  assessmentRequestV1,
  dueReviewsQueryV1,
  dueReviewsV1,
  lineDetailV1,
  lineEventV1,
  lineListQueryV1,
  lineListV1,
  lineParamsV1,
  lineQueryV1,
  lineReviewV1,
  lineSummaryV1,
  requestInstant,
  reviewRequestV1,
  statePeriodV1,
  withheldEventV1,
  writtenInstant,
  type LineDetailV1,
  type LineEventV1,
  type LineListV1,
  type LineReviewV1,
  type LineSummaryV1,
  type StatePeriodV1,
  type WithheldEventV1,
} from './line-api.v1';
export {
  ALERT_STATUS_FILTERS,
  ackLinkQueryV1,
  alertListQueryV1,
  alertNoteV1,
  alertParamsV1,
  silenceListV1,
  silenceParamsV1,
  silenceV1,
} from './alert-api.v1';
export {
  AUDIT_ACTIONS,
  EXPORT_FIGURES,
  EXPORT_FORMATS,
  EXPORT_SUPPRESSED_MARKER,
  areasV1,
  auditChainV1,
  auditEntriesV1,
  auditQueryV1,
  sessionV1,
  teamsV1,
  weeklyExportJsonV1,
  weeklyExportQueryV1,
  weeklyExportRowV1,
  type AreaV1,
  type SessionV1,
  type TeamV1,
  type WeeklyExportJsonV1,
  type WeeklyExportRowV1,
} from './admin-api.v1';
export { OUTPUT_FORMS, e164, gradingOutputV1 } from './output-forms';
export {
  TEAM_DIGEST_CONTENT_VERSION,
  TEAM_DIGEST_SCHEMA,
  digestChangeV1,
  digestOpenAlertV1,
  teamDigestPreviewParamsV1,
  teamDigestV1,
  teamDigestWebhookV1,
  type DigestChangeV1,
  type DigestOpenAlertV1,
  type TeamDigestV1,
  type TeamDigestWebhookV1,
} from './team-digest.v1';
export { TEAM_DIGEST_WEBHOOK_SCHEMA_FILE } from './team-digest.json-schema';
