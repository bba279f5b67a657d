export { DAY_MS, aRaid, aSighting, aStateChange, daysAgo, eventsAcrossLines } from './factories';
export {
  TEST_AUTH,
  TEST_ENV,
  TEST_WEBHOOK_SECRET,
  bearer,
  serviceEnv,
  testDatabaseConfig,
  testKafkaConfig,
  testRedisConfig,
  type DatabaseFlavour,
} from './test-infrastructure';
export { startTestStack, stopTestStack } from './test-stack';
export { waitFor, type WaitOptions } from './wait-for';
export { DIAGNOSTICS_HEADER, diagnostics, formatDiagnostics, type DiagnosticsReport, type WatchedService } from './test-diagnostics';
export { isolatedTopics } from './isolated-topics';
export { spawnService, startService, type RunningService, type SpawnOptions } from './service-process';
export { runCli, type CliResult } from './cli-process';
export { ingestKeysOf, linesOfInput, publishLikeIngest } from './publish-like-ingest';
export { demoFeedSample } from './demo-feed-sample';
export { INJECTION_STRINGS, hostileEventCases, injectionEvents, invalidUtf8Event, type HostileCase } from './hostile-events';
export { ARBITRARY_EVENTS_NOW, anyValidEvent, mutatedEvent } from './event-arbitraries';
export { CHECKOUT_ROOT } from './checkout-root';
export { writeOneTeamRouting, writeWebhookRouting } from './webhook-routing';
export { stackServiceEnv, type StackEnvOptions } from './stack-env';
export { startMailCapture, type MailCapture, type MailCaptureOptions } from './mail-capture';
export { rewriteAuditEntry, truncateAuditLog } from './audit-tamper';
export { scratchDatabase, type ScratchDatabase } from './scratch-database';
