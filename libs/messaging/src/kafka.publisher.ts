import { Partitioners, type Producer } from 'kafkajs';
import { kafkajsOf, type KafkaClient } from './kafka.client';

export interface OutgoingMessage {
  readonly key: string;
  readonly value: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface PublishedRecord {
  readonly partition: number;
  readonly offset: string;
}

/**
 * An idempotent producer that resolves only once every in-sync replica has
 * the messages (acks = -1). One in-flight request per connection keeps a
 * line's messages in order through retries.
 */
export class KafkaPublisher {
  private created: Producer | null = null;
  private connected = false;
  private connecting: Promise<void> | null = null;

  constructor(private readonly kafka: KafkaClient) {}

  /** Made on first use: a service that never publishes opens no producer. */
  private get producer(): Producer {
    if (!this.created) {
      // Java-compatible murmur2 partitioning, so other clients agree on a line's partition.
      // Retries stay bounded (kafkajs warns about it): a request fails rather than hangs while
      // Kafka is down, the client retries, and the eventId makes the retry harmless.
      const producer = kafkajsOf(this.kafka).producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      producer.on(producer.events.CONNECT, () => (this.connected = true));
      producer.on(producer.events.DISCONNECT, () => (this.connected = false));
      this.created = producer;
    }
    return this.created;
  }

  /** Connects once; concurrent callers share the attempt, a failed attempt is retried by the next call. */
  async connect(): Promise<void> {
    if (this.connected) return;
    this.connecting ??= this.producer.connect().finally(() => (this.connecting = null));
    await this.connecting;
  }

  async publish(topic: string, messages: readonly OutgoingMessage[]): Promise<PublishedRecord[]> {
    if (messages.length === 0) return [];
    await this.connect();
    const results = await this.producer.send({
      topic,
      acks: -1,
      messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers ? { ...m.headers } : undefined })),
    });
    return results.map((r) => ({ partition: r.partition, offset: r.baseOffset ?? '-1' }));
  }

  async disconnect(): Promise<void> {
    await this.connecting?.catch(() => undefined);
    await this.created?.disconnect();
  }
}
