/**
 * @linewatch/demo-feed: a deterministic, fictional feed of `intel.event.v1` events for demos and
 * load tests. Builds only on @linewatch/contracts; no I/O, no clock, no Nest. Sending the feed
 * (HTTP, Kafka, a file) belongs to the CLI.
 */
export {
  DEMO_AREAS,
  DEMO_SOURCE_SYSTEM,
  DemoFeedOptionsError,
  LATE_REPORT_MIN_DELAY_MS,
  generateDemoFeed,
  isLateReport,
  type DemoFeedOptions,
} from './demo-feed.generator';
export { summariseFeed, type DemoFeedSummary } from './demo-feed.summary';
