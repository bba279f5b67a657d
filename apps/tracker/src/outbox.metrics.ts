import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { topicNames } from '@linewatch/contracts';
import { scrapeGauge } from '@linewatch/observability';
import { Database, OutboxRepository } from '@linewatch/persistence';
import { TRACKER_CONFIG, type TrackerConfig } from './tracker.config';

/**
 * The state-change outbox's backlog, read from the database when Prometheus scrapes (one
 * statement on the partial index of pending entries): `linewatch_tracker_outbox_pending_changes`
 * and `linewatch_tracker_outbox_oldest_pending_age_seconds`. Every tracker reports the same
 * figures (the outbox is shared); the rules take the max.
 */
@Injectable()
export class OutboxMetrics implements OnModuleInit {
  private latest: { at: number; backlog: Promise<{ pending: number; oldestAgeSeconds: number }> } | null = null;

  constructor(
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    private readonly database: Database,
    private readonly outbox: OutboxRepository,
  ) {}

  onModuleInit(): void {
    scrapeGauge({
      name: 'linewatch_tracker_outbox_pending_changes',
      help: 'State changes in the outbox not yet relayed to Kafka',
      read: async () => [{ labels: {}, value: (await this.backlog()).pending }],
    });
    scrapeGauge({
      name: 'linewatch_tracker_outbox_oldest_pending_age_seconds',
      help: 'How long the oldest state change not yet relayed to Kafka has waited (0: none waiting)',
      read: async () => [{ labels: {}, value: (await this.backlog()).oldestAgeSeconds }],
    });
  }

  /** Both gauges of one scrape share a read. */
  private backlog() {
    const now = Date.now();
    if (!this.latest || now - this.latest.at > 500) {
      const topic = topicNames(this.config.kafka.topicPrefix).lineStateChanges;
      this.latest = { at: now, backlog: this.database.autocommit((q) => this.outbox.backlog(q, topic)) };
    }
    return this.latest.backlog;
  }
}
