export { PlatformModule } from './platform.module';
export { PeriodicTask } from './periodic-task';
export { mountOpenApi, openApiDocument, openApiDocumentOf, type OpenApiInfo } from './openapi';
export { Contract, ContractPipe, ROUTE_CONTRACT, errorsOf, openApiSchemaOf, type ContractAnswer, type RouteContract } from './route.contract';
export { CodedError } from './coded.error';
export { ERROR_STATUS, isErrorCode, type ErrorCode } from './error-status.map';
export { ErrorBodyFilter, DEPENDENCY_RETRY_AFTER_S } from './error-body.filter';
export { isDependencyFailure } from './dependency-failure';
export { ChecksOwnBodyText } from './request-text.guard';
export type { HttpPlatformOptions, RefusedRead, RefusedReadRecorder } from './refused-reads';
export { JUSTIFICATION, Justification, JustificationError, decodeJustification } from './justification.header';
export {
  AuditCheckpointError,
  AuditCheckpoints,
  AuditCheckpointsModule,
  type AuditCheckpointSettings,
  type CheckedChainReport,
  type CheckpointSource,
  type SourceReport,
} from './audit-checkpoints';
