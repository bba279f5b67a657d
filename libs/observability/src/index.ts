export { ERROR_SERIALIZERS, redactErrorMessage, redactQuotedValues, serializeError, statementSummary, type SerializedError } from './error.serializer';
export { createLogger, REDACTED_PATHS, redactUrlForLog, type Logger } from './logger';
export { IS_PUBLIC, Public } from './public.decorator';
export { ObservabilityModule, type ObservabilityOptions } from './observability.module';
export { READINESS_CHECKS, ROOT_LOGGER, withTimeout, type ReadinessCheck } from './readiness';
export { InjectMetric, makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
export { epochSeconds, scrapeGauge, type GaugeSample, type ScrapeGaugeOptions } from './scrape-gauge';
export { runService, startHttpService, type HttpServiceOptions } from './bootstrap';
export { SHUTDOWN_COMPLETE } from './shutdown.logger';
