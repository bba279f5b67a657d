export { PlatformModule } from './platform.module';
export { PeriodicTask } from './periodic-task';
export { mountOpenApi } from './openapi';
export { CodedError } from './coded.error';
export { ERROR_STATUS, isErrorCode, type ErrorCode } from './error-status.map';
export { ErrorBodyFilter, DEPENDENCY_RETRY_AFTER_S } from './error-body.filter';
export { isDependencyFailure } from './dependency-failure';
export { ChecksOwnBodyText } from './request-text.guard';
export type { HttpPlatformOptions, RefusedRead, RefusedReadRecorder } from './refused-reads';
