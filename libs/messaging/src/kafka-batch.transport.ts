import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import type { Logger, ReadinessCheck } from '@linewatch/observability';
import { isObservable, lastValueFrom } from 'rxjs';
import { KafkaBatchConsumer, type BatchConsumerOptions, type BatchHandler, type ConsumedMessage } from './kafka.batch-consumer';
import { KafkaBatchContext } from './kafka-batch.context';
import type { KafkaClient } from './kafka.client';

/** What the transport consumes from: `KafkaBatchConsumer` in services, a fake in unit tests. */
export interface BatchSource {
  readonly isMember: boolean;
  startInBackground(handler: BatchHandler): void;
  stop(): Promise<void>;
}

export interface BatchTransportOptions extends Omit<BatchConsumerOptions, 'topics'> {
  /** Public topic names (`TOPICS.*`), which are also the handlers' `@EventPattern`s. */
  readonly topics: readonly string[];
  /** KAFKA_TOPIC_PREFIX: the topics consumed are `<prefix><name>`. */
  readonly topicPrefix: string;
}

/**
 * Nest's transport for our batch consumer (a `CustomTransportStrategy`). Nest's own Kafka transport
 * calls handlers per message and has no dead-letter path (docs/architecture.md); this one keeps
 * `KafkaBatchConsumer` exactly as it is — `eachBatch`, slices of at most `maxBatchSize`, offsets
 * committed (last + 1) only after the handler resolved, a heartbeat between slices, the partition
 * concurrency — and hands each slice to the `@EventPattern(<public topic name>)` handler of a
 * `@BatchConsumer()` class. The handler's promise is the batch's outcome: resolved, the slice is
 * committed; rejected, it is not, and comes again. Dead-lettering stays the handler's (use case's).
 *
 * It is also a provider: readiness is its group membership, it starts consuming only once the
 * application has bootstrapped (as the consumers did in `onApplicationBootstrap`), and it drains in
 * `onModuleDestroy` — before pools and producers close in `onApplicationShutdown` — whatever order
 * Nest closes connected microservices in.
 */
export class KafkaBatchTransport
  extends Server
  implements CustomTransportStrategy, ReadinessCheck, OnApplicationBootstrap, OnModuleDestroy
{
  readonly name = 'consumer';
  private readonly patterns: ReadonlyMap<string, string>;
  private bootstrapped = false;
  private listening = false;
  private started = false;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly source: BatchSource,
    subscriptions: Pick<BatchTransportOptions, 'topics' | 'topicPrefix'>,
  ) {
    super();
    this.patterns = new Map(subscriptions.topics.map((name) => [`${subscriptions.topicPrefix}${name}`, name]));
  }

  /** The transport over a consumer-group member of the cluster. */
  static overKafka(kafka: KafkaClient, options: BatchTransportOptions, logger: Logger): KafkaBatchTransport {
    const { topicPrefix, topics, ...consumer } = options;
    const source = new KafkaBatchConsumer(kafka, { ...consumer, topics: topics.map((name) => `${topicPrefix}${name}`) }, logger);
    return new KafkaBatchTransport(source, { topics, topicPrefix });
  }

  /** Called by `startAllMicroservices()`; consuming starts in the background (Kafka may be down at boot). */
  listen(callback: (error?: unknown) => void): void {
    try {
      const missing = [...this.patterns.values()].filter((pattern) => !this.handlerFor(pattern));
      if (missing.length > 0) throw new Error(`no @EventPattern handler for ${missing.join(', ')} in a @BatchConsumer() class`);
    } catch (error) {
      callback(error);
      return;
    }
    this.listening = true;
    this.startWhenReady();
    callback();
  }

  onApplicationBootstrap(): void {
    this.bootstrapped = true;
    this.startWhenReady();
  }

  /** Waits for the batch in hand to finish and its offsets to be committed, then leaves the group. */
  async close(): Promise<void> {
    this.closing ??= this.source.stop();
    await this.closing;
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  async check(): Promise<void> {
    if (!this.source.isMember) throw new Error('not a member of the consumer group (yet)');
  }

  on(): never {
    throw new Error('KafkaBatchTransport has no events to listen to');
  }

  /** kafkajs stays inside libs/messaging: there is nothing to unwrap. */
  unwrap<T>(): T {
    throw new Error('KafkaBatchTransport does not expose its client');
  }

  private startWhenReady(): void {
    if (!this.bootstrapped || !this.listening || this.started || this.closing) return;
    this.started = true;
    this.source.startInBackground((messages) => this.dispatch(messages));
  }

  private handlerFor(pattern: string): MessageHandler | null {
    const handler = this.getHandlerByPattern(pattern);
    // Nest chains a second handler of the same event behind the first; a batch is committed when
    // its handler is done, so it must have exactly one.
    if (handler?.next) throw new Error(`two @EventPattern handlers for ${pattern}: a batch must have one owner`);
    return handler;
  }

  /** Runs the batch's handler; resolves when it is done (then the slice is committed), rejects otherwise. */
  private async dispatch(messages: readonly ConsumedMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const { topic, partition } = messages[0];
    const pattern = this.patterns.get(topic);
    const handler = pattern ? this.handlerFor(pattern) : null;
    if (!pattern || !handler) throw new Error(`no handler for topic ${topic}`);
    try {
      const result: unknown = await handler(messages, new KafkaBatchContext([topic, partition]));
      // An exception filter answers with an Observable that errors: wait for it.
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
    } catch (error) {
      throw error instanceof Error ? error : new Error(`batch handler for ${pattern} failed: ${JSON.stringify(error)}`);
    }
  }
}
