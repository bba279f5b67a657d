/**
 * @linewatch/demo-feed: a deterministic, fictional feed of `intel.event.v1` events for demos and
 * load tests. Builds only on @linewatch/contracts; no I/O, no clock, no Nest. Sending the feed
 * (HTTP, Kafka, a file) belongs to the CLI.
 */
export {
  DEMO_ANALYST,
  DEMO_AREAS,
  DEMO_SOURCE_SYSTEM,
  DemoFeedOptionsError,
  LATE_REPORT_MIN_DELAY_MS,
  REPLACEMENT_MAX_DAYS,
  generateDemoFeed,
  isByNumber,
  isLateReport,
  isLinkDecision,
  type DemoFeedEvent,
  type DemoFeedOptions,
} from './demo-feed.generator';
export { summariseFeed, type DemoFeedSummary } from './demo-feed.summary';
