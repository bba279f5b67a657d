/**
 * The public Kafka topics and how they are created: the one place that
 * declares them (applied by `linewatch topics apply`, by `npm start` and by
 * the test harness). Versioned names: a breaking schema change is a new topic.
 */
import type { LiveItemV1 } from './live-item.v1';
import type { Role } from './roles';

export interface TopicDeclaration {
  readonly name: string;
  readonly partitions: number;
  /**
   * Broker-side topic configs (retention etc.). Replication is not declared: the copies and
   * `min.insync.replicas` follow the cluster the topic is made on (libs/messaging applyTopics).
   */
  readonly config: Readonly<Record<string, string>>;
  readonly description: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const TOPICS = {
  /** Input: intelligence events, keyed by lineId (raids naming several lines: one message per line). */
  intelEvents: 'intel.events.v1',
  /** Rejected input with the reason in headers and the original bytes as value. */
  intelEventsDlq: 'intel.events.dlq.v1',
  /** Output: changes of a line's current state, keyed by lineId. */
  lineStateChanges: 'lines.state-changes.v1',
  /** Signed checkpoints of the s.62 log's hash chain (audit-checkpoint.v1.ts), retained forever. */
  auditCheckpoints: 'audit.checkpoints.v1',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export const TOPIC_DECLARATIONS: readonly TopicDeclaration[] = [
  {
    name: TOPICS.intelEvents,
    partitions: 12,
    config: { 'retention.ms': String(30 * DAY_MS), 'cleanup.policy': 'delete' },
    description: 'intelligence events in; the database keeps them for good, Kafka for 30 days of replay',
  },
  {
    name: TOPICS.intelEventsDlq,
    partitions: 3,
    config: { 'retention.ms': String(365 * DAY_MS), 'cleanup.policy': 'delete' },
    description: 'rejected input, kept a year so that it can be inspected and re-driven',
  },
  {
    name: TOPICS.lineStateChanges,
    partitions: 12,
    config: { 'retention.ms': String(30 * DAY_MS), 'cleanup.policy': 'delete' },
    description: 'line state changes out, for the alerter and the live stream',
  },
  {
    name: TOPICS.auditCheckpoints,
    partitions: 1,
    // Retained forever and never compacted: every checkpoint stays, so a rewrite of the log at any
    // point disagrees with one of them (docs/operations.md, "s.62 log checkpoints").
    config: { 'retention.ms': '-1', 'retention.bytes': '-1', 'cleanup.policy': 'delete', 'min.insync.replicas': '1' },
    description: "signed checkpoints of the s.62 log's hash chain head, kept outside the database for good",
  },
];

/** Message headers used on LineWatch topics. */
export const HEADERS = {
  contentType: 'content-type',
  schema: 'linewatch-schema',
  eventId: 'linewatch-event-id',
  receivedAt: 'linewatch-received-at',
  /** `history` when ingest accepted the event as part of a history import (no pushed alerts; docs/alerts.md). */
  intake: 'linewatch-intake',
  /** The identity of a state change (`changeId`): consumers drop a redelivered one. */
  changeId: 'linewatch-change-id',
  dlqReason: 'linewatch-dlq-reason',
  dlqCode: 'linewatch-dlq-code',
  dlqSourceTopic: 'linewatch-dlq-source-topic',
  dlqSourcePartition: 'linewatch-dlq-source-partition',
  dlqSourceOffset: 'linewatch-dlq-source-offset',
  dlqFailedAt: 'linewatch-dlq-failed-at',
  /** On a message `linewatch dlq retry` re-drove: `<dlq topic>:<partition>:<offset>` of the dead letter it came from. */
  dlqRetriedFrom: 'linewatch-dlq-retried-from',
} as const;

export interface TopicNames {
  readonly intelEvents: string;
  readonly intelEventsDlq: string;
  readonly lineStateChanges: string;
  readonly auditCheckpoints: string;
}

/**
 * The topic names in use. A prefix (KAFKA_TOPIC_PREFIX) lets several
 * environments share one cluster, e.g. `staging.intel.events.v1`; tests use it
 * to keep each suite's traffic apart. The public contract is the unprefixed name.
 */
export function topicNames(prefix = ''): TopicNames {
  return {
    intelEvents: `${prefix}${TOPICS.intelEvents}`,
    intelEventsDlq: `${prefix}${TOPICS.intelEventsDlq}`,
    lineStateChanges: `${prefix}${TOPICS.lineStateChanges}`,
    auditCheckpoints: `${prefix}${TOPICS.auditCheckpoints}`,
  };
}

/**
 * The Redis stream of the live feed (state changes and alerts, for the dashboard's server-sent
 * events): the tracker and the alerter append, every api replica reads. Fast and disposable:
 * capped to the most recent entries; the facts are in the database.
 */
export function liveStreamKey(prefix = ''): string {
  return `${prefix}linewatch.live`;
}

/**
 * One entry of the live stream: an item of `liveItemV1` (its type and data: a state change, an
 * alert's view or a replacement suggestion) and the line's areas, who may see it (officers: their
 * areas); `roles`, when given, narrows it to callers with one of them, whatever their areas.
 */
export type LiveItem = LiveItemV1 & { readonly areas: readonly string[]; readonly roles?: readonly Role[] };

export function topicDeclarations(prefix = ''): TopicDeclaration[] {
  return TOPIC_DECLARATIONS.map((declaration) => ({ ...declaration, name: `${prefix}${declaration.name}` }));
}
