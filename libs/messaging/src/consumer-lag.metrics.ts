import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { scrapeGauge, type GaugeSample } from '@linewatch/observability';
import type { Admin } from 'kafkajs';
import { kafkajsOf, type KafkaClient } from './kafka.client';

/** A consumer group whose lag is watched, on one topic (the full name, with the deployment's prefix). */
export interface WatchedGroup {
  /** The service that consumes (`tracker`, `alerter`): the `consumer` label alerting rules select on. */
  readonly consumer: string;
  readonly groupId: string;
  readonly topic: string;
}

export interface PartitionLag {
  readonly consumer: string;
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  /** The group's committed offset (the next message it will read); the log start when it has committed none. */
  readonly committed: bigint;
  /** The partition's high watermark (the offset the next message produced will get). */
  readonly end: bigint;
  /** Messages produced and not yet committed by the group: `end - committed`. */
  readonly lag: bigint;
}

/** Each watched group's committed offset and lag, per partition of its topic. */
async function readPartitionLag(admin: Admin, watched: readonly WatchedGroup[]): Promise<PartitionLag[]> {
  const result: PartitionLag[] = [];
  const ends = new Map<string, Awaited<ReturnType<Admin['fetchTopicOffsets']>>>();
  for (const group of watched) {
    if (!ends.has(group.topic)) ends.set(group.topic, await admin.fetchTopicOffsets(group.topic));
    const offsets = ends.get(group.topic) ?? [];
    const [committed] = await admin.fetchOffsets({ groupId: group.groupId, topics: [group.topic] });
    const byPartition = new Map((committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
    for (const p of offsets) {
      const low = BigInt(p.low);
      const end = BigInt(p.high);
      const at = byPartition.get(p.partition) ?? -1n;
      // -1: nothing committed yet; the group starts from the log's start (fromBeginning).
      const from = at < low ? low : at;
      result.push({ ...group, partition: p.partition, committed: from, end, lag: end > from ? end - from : 0n });
    }
  }
  return result;
}

/**
 * Consumer lag as Prometheus gauges, read from the brokers when Prometheus scrapes (committed
 * offsets and high watermarks through one admin connection kept open):
 * `linewatch_kafka_consumer_lag_messages` and `linewatch_kafka_consumer_committed_offset`, labelled
 * `consumer`, `group`, `topic`, `partition`. Run by a service that is not the consumer (the api):
 * a consumer that is stopped or hung cannot report its own lag, and that is when it matters.
 */
export class ConsumerLagMetrics implements OnModuleInit, OnApplicationShutdown {
  private admin: Admin | null = null;
  private latest: { at: number; lag: Promise<PartitionLag[]> } | null = null;

  constructor(
    private readonly kafka: KafkaClient,
    private readonly watched: readonly WatchedGroup[],
  ) {}

  onModuleInit(): void {
    const labelNames = ['consumer', 'group', 'topic', 'partition'] as const;
    const labelsOf = (p: PartitionLag) => ({ consumer: p.consumer, group: p.groupId, topic: p.topic, partition: p.partition });
    scrapeGauge({
      name: 'linewatch_kafka_consumer_lag_messages',
      help: 'Messages on the topic not yet committed by the consumer group (high watermark minus committed offset), per partition',
      labelNames,
      read: async (): Promise<GaugeSample<(typeof labelNames)[number]>[]> =>
        (await this.read()).map((p) => ({ labels: labelsOf(p), value: Number(p.lag) })),
    });
    scrapeGauge({
      name: 'linewatch_kafka_consumer_committed_offset',
      help: "The consumer group's committed offset, per partition (it does not move while the consumer is stopped)",
      labelNames,
      read: async (): Promise<GaugeSample<(typeof labelNames)[number]>[]> =>
        (await this.read()).map((p) => ({ labels: labelsOf(p), value: Number(p.committed) })),
    });
  }

  /** The lag now; both gauges of one scrape share a read. */
  read(): Promise<PartitionLag[]> {
    const now = Date.now();
    if (!this.latest || now - this.latest.at > 500) this.latest = { at: now, lag: this.fetch() };
    return this.latest.lag;
  }

  private async fetch(): Promise<PartitionLag[]> {
    if (this.watched.length === 0) return [];
    if (!this.admin) {
      const admin = kafkajsOf(this.kafka).admin({ retry: { retries: 0 } });
      await admin.connect();
      this.admin = admin;
    }
    try {
      return await readPartitionLag(this.admin, this.watched);
    } catch (error) {
      const admin = this.admin;
      this.admin = null;
      await admin?.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin?.disconnect();
    this.admin = null;
  }
}
