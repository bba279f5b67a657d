import type { Logger } from '@linewatch/observability';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import { readConsumerLag } from './consumer-lag';
import { kafkajsOf, type KafkaClient } from './kafka.client';

export interface ConsumedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
  /** Broker timestamp (ms since epoch). */
  readonly timestamp: string;
}

/**
 * Handles one slice of a partition's messages, in offset order. It must be
 * idempotent (a rebalance or crash redelivers) and throw only for transient
 * failures: what is wrong with a message itself is dead-lettered inside the
 * handler, so that nothing blocks the partition.
 */
export type BatchHandler = (messages: readonly ConsumedMessage[]) => Promise<void>;

export interface BatchConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Largest slice handed to the handler at once. */
  readonly maxBatchSize: number;
  readonly fromBeginning?: boolean;
  readonly sessionTimeoutMs?: number;
  readonly partitionsConsumedConcurrently?: number;
  /**
   * A member whose group has messages waiting but that handed none to the handler for this long
   * (and is not in the middle of one) is started again with a fresh connection. Default 60 s.
   */
  readonly stallAfterMs?: number;
}

function headersOf(raw: EachBatchPayload['batch']['messages'][number]['headers']): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  return headers;
}

/**
 * A consumer-group member that hands the handler batches, not single
 * messages, and commits a slice's offsets (last + 1) only after the handler
 * resolved — i.e. after the database transaction. Heartbeats between slices
 * keep a long batch from being evicted from the group.
 */
export class KafkaBatchConsumer {
  private consumer: Consumer | null = null;
  private member = false;
  private stopping = false;
  private retry: NodeJS.Timeout | null = null;
  private pendingRestart: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  /** When a batch last reached eachBatch or the handler last finished a slice (or the consumer started). */
  private progressAt = Date.now();
  /** Slices in the handler now (one per partition consumed concurrently). */
  private inHandler = 0;

  constructor(
    private readonly kafka: KafkaClient,
    private readonly options: BatchConsumerOptions,
    private readonly logger: Logger,
  ) {}

  /** True while the consumer is a member of its group. */
  get isMember(): boolean {
    return this.member;
  }

  async start(handler: BatchHandler): Promise<void> {
    this.stopping = false;
    this.progressAt = Date.now();
    this.watch(handler);
    const consumer = kafkajsOf(this.kafka).consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      allowAutoTopicCreation: false,
      // Short, and never kafkajs's own restart: after a crash the consumer is made again (restart()),
      // so that nothing it had cached — the group coordinator above all — survives a broker going.
      retry: { initialRetryTime: 300, retries: 5, maxRetryTime: 5_000, restartOnFailure: async () => false },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.member = true;
      this.logger.info({ groupId: payload.groupId, assignment: payload.memberAssignment }, 'kafka consumer joined group');
    });
    consumer.on(consumer.events.DISCONNECT, () => (this.member = false));
    consumer.on(consumer.events.STOP, () => (this.member = false));
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.consumer !== consumer) return; // one replaced already
      this.member = false;
      this.logger.error({ err: payload.error, restart: payload.restart }, 'kafka consumer crashed');
      // kafkajs never restarts by itself here (restartOnFailure): a fresh consumer, whatever the error
      // (also when this one was itself a restart still starting).
      if (!payload.restart) this.restartSoon(handler, payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.eachBatch(payload, handler),
    });
  }

  /** One restart at a time, a second after the cause (a failed commit, a crash); later causes meanwhile share it. */
  private restartSoon(handler: BatchHandler, cause: unknown): void {
    if (this.pendingRestart || this.stopping) return;
    this.logger.warn({ err: cause }, 'kafka consumer failed: starting it again with a fresh connection');
    this.pendingRestart = setTimeout(() => {
      this.pendingRestart = null;
      void this.restart(handler);
    }, 1_000);
    this.pendingRestart.unref();
  }

  private async restart(handler: BatchHandler): Promise<void> {
    try {
      // Bounded: a member that stalled may never finish leaving (a request to a broker that went);
      // the group evicts it after its session timeout, and the fresh member takes its partitions.
      let bound: NodeJS.Timeout | undefined;
      await Promise.race([
        this.consumer?.disconnect(),
        new Promise((_, reject) => {
          bound = setTimeout(() => reject(new Error('kafka consumer did not disconnect within 15 s')), 15_000);
          bound.unref();
        }),
      ]).finally(() => clearTimeout(bound));
    } catch (error) {
      this.logger.warn({ err: error }, 'kafka consumer disconnect before restart failed');
    }
    if (this.stopping) return;
    this.logger.warn('restarting kafka consumer');
    try {
      await this.start(handler);
    } catch (error) {
      this.logger.error({ err: error }, 'kafka consumer restart failed; retrying');
      this.restartSoon(handler, error);
    }
  }

  /**
   * The watchdog: kafkajs has been seen to stop fetching without an error, a crash or a rebalance
   * (a three-broker cluster losing two nodes, one coming back: `cluster-lose-two` in
   * docs/reliability.md) — the group's messages then wait for ever. Every quarter of
   * `stallAfterMs`, when nothing reached the handler for that long and no slice is in it, the
   * group's lag is read from the brokers (an admin request of its own); messages waiting mean a
   * stall, and the consumer is started again with a fresh connection. Nothing waiting: idle.
   * Brokers unreachable: nothing to do until they answer.
   */
  private watch(handler: BatchHandler): void {
    if (this.watchdog) return;
    const stallAfterMs = this.options.stallAfterMs ?? 60_000;
    let checking = false;
    this.watchdog = setInterval(
      () => {
        if (checking || this.stopping || this.pendingRestart || this.inHandler > 0) return;
        const idleMs = Date.now() - this.progressAt;
        if (idleMs < stallAfterMs) return;
        checking = true;
        void readConsumerLag(this.kafka, [this.options.groupId])
          .then(([group]) => {
            if (!group || group.lag === 0 || this.stopping || this.inHandler > 0 || Date.now() - this.progressAt < stallAfterMs) return;
            this.progressAt = Date.now(); // one restart per stall period
            this.restartSoon(
              handler,
              new Error(
                `consumer stalled: ${group.lag} message(s) waiting, none consumed for ${Math.round(idleMs / 1000)} s (group ${group.state})`,
              ),
            );
          })
          .catch(() => undefined)
          .finally(() => (checking = false));
      },
      Math.max(250, Math.floor(stallAfterMs / 4)),
    );
    this.watchdog.unref();
  }

  private async eachBatch(payload: EachBatchPayload, handler: BatchHandler): Promise<void> {
    this.progressAt = Date.now();
    const { batch, heartbeat, isRunning, isStale, resolveOffset } = payload;
    const size = this.options.maxBatchSize;
    for (let start = 0; start < batch.messages.length; start += size) {
      if (!isRunning() || isStale()) return;
      const slice = batch.messages.slice(start, start + size).map((m): ConsumedMessage => ({
        topic: batch.topic,
        partition: batch.partition,
        offset: m.offset,
        key: m.key,
        value: m.value,
        headers: headersOf(m.headers),
        timestamp: m.timestamp,
      }));
      this.inHandler += 1;
      try {
        await handler(slice);
      } finally {
        this.inHandler -= 1;
        this.progressAt = Date.now();
      }
      const last = slice[slice.length - 1].offset;
      resolveOffset(last);
      try {
        await this.consumer?.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(BigInt(last) + 1n) }]);
      } catch (error) {
        // kafkajs keeps the coordinator it found when it joined: after that broker went (a cluster
        // losing a node), every commit goes to the wrong place, retried for minutes. A fresh consumer
        // looks the coordinator up again; the slice comes again (the handler is idempotent).
        this.restartSoon(handler, error);
        throw error;
      }
      await heartbeat();
    }
  }

  /**
   * Starts, and keeps trying every `retryMs` while Kafka is unreachable (at boot the broker may
   * not be up yet; readiness says why meanwhile). Returns at once; `stop()` ends the attempts.
   */
  startInBackground(handler: BatchHandler, retryMs = 2_000): void {
    this.stopping = false;
    const attempt = async (): Promise<void> => {
      try {
        await this.start(handler);
      } catch (error) {
        if (this.stopping) return;
        this.logger.warn({ err: error }, `kafka consumer could not start; retrying in ${retryMs} ms`);
        await this.consumer?.disconnect().catch(() => undefined);
        if (!this.stopping) this.retry = setTimeout(() => void attempt(), retryMs);
      }
    };
    void attempt();
  }

  /** Waits for the batch in hand to finish and its offsets to be committed, then leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.pendingRestart) clearTimeout(this.pendingRestart);
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    await this.consumer?.disconnect();
    this.member = false;
  }
}
