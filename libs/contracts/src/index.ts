export { HEADERS, TOPICS, TOPIC_DECLARATIONS, type TopicDeclaration, type TopicName } from './topics';
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
  REJECTION_CODES,
  parseAndValidateIntelEvent,
  validateIntelEvent,
  type FieldError,
  type RejectionCode,
  type ValidationContext,
  type ValidationResult,
} from './intel-event.validation';
export { ROLES, type Role } from './roles';
