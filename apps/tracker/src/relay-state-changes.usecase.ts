import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { HEADERS, STATE_CHANGE_SCHEMA, topicNames, type StateChangeV1 } from '@linewatch/contracts';
import { KafkaPublisher, REDIS, appendLive } from '@linewatch/messaging';
import type Redis from 'ioredis';
import { InjectMetric, ROOT_LOGGER, type Logger } from '@linewatch/observability';
import { Database, OutboxRepository } from '@linewatch/persistence';
import type { Counter, Gauge } from 'prom-client';
import { TRACKER_CONFIG, type TrackerConfig } from './tracker.config';

const BATCH = 500;

/**
 * Publishes the outbox to `lines.state-changes.v1` in `seq` order (key `lineId`, header
 * `linewatch-change-id`), then marks what Kafka acknowledged. One instance relays at a time: it
 * holds a lease in the database (named after the topic), renewed each pass, taken over by another instance when it
 * expires (a crashed relay). No transaction is held open while Kafka is called. At least once:
 * a relay that dies between the acknowledgement and the mark publishes those again; consumers
 * drop them by `changeId`.
 */
@Injectable()
export class RelayStateChangesUseCase {
  readonly holder = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly topic: string;

  constructor(
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    private readonly database: Database,
    private readonly outbox: OutboxRepository,
    private readonly publisher: KafkaPublisher,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @InjectMetric('linewatch_tracker_changes_published_total') private readonly published: Counter,
    @InjectMetric('linewatch_tracker_relay_lease_renewed_timestamp_seconds') private readonly leaseRenewed: Gauge,
  ) {
    this.topic = topicNames(config.kafka.topicPrefix).lineStateChanges;
  }

  /** One pass: publishes everything pending if this instance holds (or gets) the lease. Returns how many. */
  async execute(): Promise<number> {
    let total = 0;
    for (;;) {
      const leased = await this.database.autocommit((q) =>
        this.outbox.acquireLease(q, this.topic, this.holder, this.config.extra.TRACKER_RELAY_LEASE_MS),
      );
      if (!leased) return total;
      this.leaseRenewed.setToCurrentTime();
      const pending = await this.database.autocommit((q) => this.outbox.pending(q, this.topic, BATCH));
      if (pending.length === 0) return total;
      await this.publisher.publish(
        this.topic,
        pending.map((entry) => ({
          key: entry.lineId,
          value: JSON.stringify(entry.payload),
          headers: { [HEADERS.contentType]: 'application/json', [HEADERS.schema]: STATE_CHANGE_SCHEMA, [HEADERS.changeId]: entry.changeId },
        })),
      );
      await this.database.autocommit((q) =>
        this.outbox.markPublished(
          q,
          pending.map((entry) => entry.seq),
        ),
      );
      this.published.inc(pending.length);
      // The live feed (dashboards): best effort after Kafka has them; the outbox and topic are the record.
      await appendLive(
        this.redis,
        this.config.kafka.topicPrefix,
        pending.map((entry) => ({ type: 'state-change' as const, areas: (entry.payload as StateChangeV1).areas, data: entry.payload })),
      ).catch((error: unknown) => this.logger.warn({ err: error }, 'state changes not announced on the live stream (Redis)'));
      total += pending.length;
      if (pending.length < BATCH) return total;
    }
  }

  /** Lets another instance take over at once (on an orderly shutdown). */
  async release(): Promise<void> {
    await this.database.autocommit((q) => this.outbox.releaseLease(q, this.topic, this.holder));
  }
}
