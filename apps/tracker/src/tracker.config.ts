import {
  auditCheckpointConfigFrom,
  auditCheckpointEnvShape,
  checkBackEnvShape,
  dormancyEnvShape,
  dormancyWindowsOf,
  erasureEnvShape,
  loadServiceConfig,
  neighboursOf,
  positiveIntegerVariable,
  type Env,
} from '@linewatch/config';
import { DEFAULT_REPLACEMENT_WINDOW_DAYS } from '@linewatch/domain';
import { z } from 'zod';

export function loadTrackerConfig(env: Env) {
  const config = loadServiceConfig('tracker', env, {
    TRACKER_GROUP_ID: z.string().min(1).default('linewatch-tracker'),
    /**
     * Most messages stored in one database transaction. Per-line work (state, snapshot, identity,
     * brands) is done once per line per slice, so a backlog goes faster in larger slices: at full
     * size 8,000 with the fetch sizes below did 1.6× what 2,000 in kafkajs's default fetches did
     * (docs/benchmarks.md, session 12). At a steady rate a slice holds only what arrived
     * while the one before was worked, so this bounds a backlog, not the latency of live events.
     */
    TRACKER_MAX_BATCH: positiveIntegerVariable(8_000),
    /**
     * Partitions worked on at once by one instance (each in its own transaction): the database
     * round trips of one overlap the work of another. Lines are keyed to partitions, so two
     * concurrent slices touch different lines (a raid naming lines of two partitions locks them in
     * line-id order: no deadlock).
     */
    TRACKER_PARTITIONS_CONCURRENTLY: positiveIntegerVariable(3),
    /**
     * Most bytes one fetch takes from one partition (kafkajs's default is 1 MiB, ~2,000 events: a
     * slice could never be larger). Room for TRACKER_MAX_BATCH events of ~500 bytes.
     */
    TRACKER_FETCH_PARTITION_BYTES: positiveIntegerVariable(4 * 1024 * 1024),
    /**
     * Most bytes one fetch takes in all partitions (kafkajs's default 10 MiB held two or three
     * partitions' worth: the others waited for the next fetch, and the concurrency above went
     * unused). Under the broker's `fetch.max.bytes` (55 MiB by default), which caps it.
     */
    TRACKER_FETCH_MAX_BYTES: positiveIntegerVariable(48 * 1024 * 1024),
    /** How far in the future occurredAt/reportedAt may be for events produced straight to Kafka. */
    TRACKER_MAX_FUTURE_SKEW_MS: positiveIntegerVariable(5 * 60 * 1000),
    /** How long the group waits for a silent member (a crashed instance) before moving its partitions (broker minimum 6 s). */
    TRACKER_SESSION_TIMEOUT_MS: positiveIntegerVariable(30_000),
    ...dormancyEnvShape,
    ...checkBackEnvShape,
    /** How often the dormancy sweep looks for lines due (a line goes dormant within this of last sighting + W). */
    TRACKER_SWEEP_INTERVAL_MS: positiveIntegerVariable(15_000),
    /** Lines swept per transaction. */
    TRACKER_SWEEP_BATCH: positiveIntegerVariable(500),
    /** How often the outbox relay looks for unpublished state changes (it is also woken after each batch). */
    TRACKER_RELAY_INTERVAL_MS: positiveIntegerVariable(1_000),
    /** How long a relay's lease lasts without renewal: the longest another instance waits to take over. */
    TRACKER_RELAY_LEASE_MS: positiveIntegerVariable(10_000),
    /** A new line is suggested as the replacement of a line sharing its brand that ended at most this many days before it. */
    REPLACEMENT_WINDOW_DAYS: positiveIntegerVariable(DEFAULT_REPLACEMENT_WINDOW_DAYS),
    /** The erasure job: ended disposal holds and raw-event retention (docs/operations.md, "Erasure and retention"). */
    ...erasureEnvShape,
    /** The s.62 log's checkpoints (key, file): one is written after every erasure (docs/operations.md). */
    ...auditCheckpointEnvShape,
  });
  return Object.freeze({
    ...config,
    dormancy: dormancyWindowsOf(config.areas, config.extra.DORMANCY_WINDOW_DAYS),
    replacement: Object.freeze({ windowDays: config.extra.REPLACEMENT_WINDOW_DAYS, neighbours: neighboursOf(config.areas) }),
    erasure: Object.freeze({
      retentionYears: config.extra.RAW_EVENT_RETENTION_YEARS,
      batchRows: config.extra.ERASURE_BATCH_ROWS,
      leaseMs: config.extra.ERASURE_LEASE_MS,
    }),
    auditCheckpoints: auditCheckpointConfigFrom(config.extra),
  });
}

export type TrackerConfig = ReturnType<typeof loadTrackerConfig>;
export const TRACKER_CONFIG = Symbol('TRACKER_CONFIG');
