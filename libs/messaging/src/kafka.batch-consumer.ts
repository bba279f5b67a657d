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
  /** Most bytes one fetch takes from a partition (kafkajs's default 1 MiB): a slice can be no larger. */
  readonly maxBytesPerPartition?: number;
  /** Most bytes one fetch takes in all (kafkajs's default 10 MiB; the broker's fetch.max.bytes caps it). */
  readonly maxBytes?: number;
  /**
   * A member whose group has messages waiting but that handed none to the handler for this long
   * (and is not in the middle of one) is started again with a fresh connection. Default 60 s.
   */
  readonly stallAfterMs?: number;
}

/** How long a consumer may take to leave before it is given up for a fresh one. */
const DISCONNECT_BOUND_MS = 15_000;
/** How long a fresh consumer may take to connect, subscribe and start running. */
const START_BOUND_MS = 30_000;

/** `work`, or a rejection naming `what` once `ms` have passed without it settling. */
async function withinMs<T>(work: Promise<T> | undefined, ms: number, what: string): Promise<T | undefined> {
  let bound: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        bound = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms);
        bound.unref();
      }),
    ]);
  } finally {
    clearTimeout(bound);
  }
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
  /** From a restart's first step until its fresh consumer has started (or failed to). */
  private restarting = false;
  /** A failure of the fresh consumer while a restart was in hand: restart again when it settles. */
  private restartAgain: unknown = null;
  /** Between a rebalance's start and the next join. */
  private rejoining = false;
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
      ...(this.options.maxBytesPerPartition === undefined ? {} : { maxBytesPerPartition: this.options.maxBytesPerPartition }),
      ...(this.options.maxBytes === undefined ? {} : { maxBytes: this.options.maxBytes }),
      // Short, and never kafkajs's own restart: after a crash the consumer is made again (restart()),
      // so that nothing it had cached — the group coordinator above all — survives a broker going.
      retry: { initialRetryTime: 300, retries: 5, maxRetryTime: 5_000, restartOnFailure: async () => false },
    });
    this.consumer = consumer;
    this.rejoining = false;
    // A consumer being replaced still emits (its crash, its leaving): only the current one speaks.
    const current = () => this.consumer === consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      if (!current()) return;
      this.member = true;
      this.rejoining = false;
      this.logger.info({ groupId: payload.groupId, assignment: payload.memberAssignment }, 'kafka consumer joined group');
    });
    consumer.on(consumer.events.DISCONNECT, () => current() && (this.member = false));
    consumer.on(consumer.events.STOP, () => current() && (this.member = false));
    // Re-joining until GROUP_JOIN: for the watchdog only (readiness stays: a rebalance is routine).
    consumer.on(consumer.events.REBALANCING, () => current() && (this.rejoining = true));
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!current()) return;
      this.member = false;
      this.logger.error({ err: payload.error, restart: payload.restart }, 'kafka consumer crashed');
      // kafkajs never restarts by itself here (restartOnFailure): a fresh consumer, whatever the error
      // (also when this one was itself a restart still starting).
      if (!payload.restart) this.restartSoon(handler, payload.error);
    });
    // A start given up on (START_BOUND_MS) may still finish connecting later: it must not then join
    // the group beside its successor, a member nobody holds any more.
    const replaced = async () => {
      if (current()) return;
      await consumer.disconnect().catch(() => undefined);
      throw new Error('kafka consumer replaced while starting');
    };
    await consumer.connect();
    await replaced();
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning ?? true });
    await replaced();
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.eachBatch(consumer, payload, handler),
    });
  }

  /**
   * One restart at a time, a second after the cause (a failed commit, a crash, a stall); later
   * causes — until the fresh consumer has started — share it. Two restarts overlapping would
   * leave two consumers of one service in the group, one of them half made and holding partitions.
   */
  private restartSoon(handler: BatchHandler, cause: unknown): void {
    if (this.stopping) return;
    if (this.restarting) {
      // The fresh consumer failed while starting (kafkajs reports a failed join as a crash and lets
      // the start resolve): once the restart in hand has settled, another.
      this.restartAgain ??= cause;
      return;
    }
    if (this.pendingRestart) return;
    this.logger.warn({ err: cause }, 'kafka consumer failed: starting it again with a fresh connection');
    this.pendingRestart = setTimeout(() => {
      this.pendingRestart = null;
      void this.restart(handler);
    }, 1_000);
    this.pendingRestart.unref();
  }

  private async restart(handler: BatchHandler): Promise<void> {
    this.restarting = true;
    const old = this.consumer;
    // Detached first: what the old consumer emits while it leaves (a crash) is not a new cause.
    this.consumer = null;
    this.member = false;
    try {
      // Bounded: a member that stalled may never finish leaving (a request to a broker that went);
      // the group evicts it after its session timeout, and the fresh member takes its partitions.
      await withinMs(old?.disconnect(), DISCONNECT_BOUND_MS, 'kafka consumer did not disconnect');
    } catch (error) {
      this.logger.warn({ err: error }, 'kafka consumer disconnect before restart failed');
    }
    if (this.stopping) {
      this.restarting = false;
      this.restartAgain = null;
      return;
    }
    this.logger.warn('restarting kafka consumer');
    try {
      // Bounded too: a start that never settles (a connect to a broker that went) would otherwise
      // leave the service with no consumer and nothing to say so.
      await withinMs(this.start(handler), START_BOUND_MS, 'kafka consumer did not start');
      this.restarting = false;
    } catch (error) {
      this.restarting = false;
      this.restartAgain = null;
      this.logger.error({ err: error }, 'kafka consumer restart failed; retrying');
      this.restartSoon(handler, error);
      return;
    }
    const again = this.restartAgain;
    this.restartAgain = null;
    if (again !== null) this.restartSoon(handler, again);
  }

  /**
   * The watchdog: kafkajs has been seen to stop fetching without an error, a crash or a rebalance
   * (a three-broker cluster losing two nodes, one coming back: `cluster-lose-two` in
   * docs/reliability.md) — the group's messages then wait for ever. Every quarter of
   * `stallAfterMs`, when nothing reached the handler for that long and no slice is in it, the
   * group's lag is read from the brokers (an admin request of its own, bounded in time); messages
   * waiting mean a stall, and the consumer is started again with a fresh connection. Nothing
   * waiting: idle. The lag unreadable while the consumer is out of its group (rebalancing, never
   * rejoined): started again too — a reconnect is cheap, and a join that never finishes was seen
   * (`cluster-lose-two`: a member re-joining after a rebalance, then silence). The lag unreadable
   * while a member: the brokers are away; nothing to do until they answer.
   */
  private watch(handler: BatchHandler): void {
    if (this.watchdog) return;
    const stallAfterMs = this.options.stallAfterMs ?? 60_000;
    const stalled = () => Date.now() - this.progressAt >= stallAfterMs && !this.stopping && !this.restarting && this.inHandler === 0;
    let checking = false;
    this.watchdog = setInterval(
      () => {
        if (checking || this.pendingRestart || !stalled()) return;
        const idleS = Math.round((Date.now() - this.progressAt) / 1000);
        checking = true;
        void withinMs(readConsumerLag(this.kafka, [this.options.groupId]), stallAfterMs / 2, 'consumer lag not read')
          .then(
            ([group] = []) =>
              group && group.lag > 0
                ? `consumer stalled: ${group.lag} message(s) waiting, none consumed for ${idleS} s (group ${group.state})`
                : null,
            (error: unknown) => {
              const reason = error instanceof Error ? error.message : String(error);
              if (this.member && !this.rejoining) {
                this.logger.warn({ err: error }, `kafka consumer idle ${idleS} s and its lag unreadable: brokers away?`);
                return null;
              }
              return `consumer out of its group for ${idleS} s and its lag unreadable (${reason})`;
            },
          )
          .then((cause) => {
            if (cause === null || !stalled()) return;
            this.progressAt = Date.now(); // one restart per stall period
            this.restartSoon(handler, new Error(cause));
          })
          .catch(() => undefined) // a watchdog's own failure must not take the service down
          .finally(() => (checking = false));
      },
      Math.max(250, Math.floor(stallAfterMs / 4)),
    );
    this.watchdog.unref();
  }

  private async eachBatch(consumer: Consumer, payload: EachBatchPayload, handler: BatchHandler): Promise<void> {
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
        // The consumer the batch came from: one being replaced must not commit through its successor.
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(BigInt(last) + 1n) }]);
      } catch (error) {
        // kafkajs keeps the coordinator it found when it joined: after that broker went (a cluster
        // losing a node), every commit goes to the wrong place, retried for minutes. A fresh consumer
        // looks the coordinator up again; the slice comes again (the handler is idempotent).
        if (this.consumer === consumer) this.restartSoon(handler, error);
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
