export {
  defaultAreasFile,
  dormancyWindowsOf,
  loadAreas,
  loadCheckBackDays,
  loadDormancyWindows,
  neighboursOf,
  type Area,
  type AreasConfig,
  type DormancyWindows,
} from './areas.config';
export { ConfigError, parseEnv, type Env } from './load-config';
export { checkBackEnvShape, dormancyEnvShape, positiveIntegerVariable } from './env.schema';
export {
  DEFAULT_RATE_LIMITS,
  SERVICE_PORTS,
  localServiceUrl,
  loadAuthConfig,
  type AuthConfig,
  loadInfrastructureConfig,
  loadServiceConfig,
  type DatabaseConfig,
  type KafkaConfig,
  type RedisConfig,
  type ServiceConfig,
  type ServiceName,
} from './service-config';
export {
  defaultAlertRoutingFile,
  loadAlertRouting,
  type AlertRecipient,
  type AlertRouting,
  type AlertSeverity,
  type AlertTeam,
  type IntelligenceTeam,
  type EscalationLevel,
  type QuietHours,
  type TransitionKindName,
} from './alert-routing.config';
export {
  DEFAULT_WEBHOOK_ALLOWED_HOSTS,
  addressProblem,
  allowedEntryOf,
  parseWebhookAllowList,
  webhookProblemsOf,
  webhookUrlProblem,
  type AllowedHost,
  type WebhookAllowList,
} from './webhook-allow-list';
export {
  auditCheckpointConfigFrom,
  auditCheckpointEnvShape,
  loadAuditCheckpointConfig,
  type AuditCheckpointConfig,
} from './audit-checkpoint.config';
export { RETENTION_MINIMUM_YEARS, erasureEnvShape } from './erasure.config';
