import { Partitioners, type Message, type PartitionMetadata, type Producer } from 'kafkajs';
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

const PARTITIONS_TTL_MS = 60_000;

export interface PublishOptions {
  /**
   * Longest the caller waits, in ms (its turn included): past it the call rejects with a
   * `PublishTimeoutError`. A send already under way goes on to its end (the next waits for it); one
   * not yet begun is dropped.
   */
  readonly timeoutMs?: number;
}

/** The acknowledgement did not come in time: the messages may or may not reach Kafka. */
export class PublishTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Kafka did not acknowledge within ${timeoutMs} ms`);
    this.name = 'PublishTimeoutError';
  }
}

/** Kafka did not name where it wrote a partition's share: the send counts as failed. */
export class UnacknowledgedSendError extends Error {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly errorCode: number | undefined,
  ) {
    super(`Kafka answered no offset for ${topic} partition ${partition}${errorCode ? ` (error ${errorCode})` : ''}`);
    this.name = 'UnacknowledgedSendError';
  }
}

/**
 * A producer that resolves only once every in-sync replica has the messages (acks = -1, with the
 * topics' `min.insync.replicas`). One in-flight request per connection keeps a line's messages in
 * order through retries.
 *
 * **Not kafkajs's idempotent producer.** It numbers each partition's batches and takes a failed
 * request's numbers back (sendMessages.js) — also when the leader had written the batch and only
 * the acknowledgement failed (a request timed out waiting for replicas that were down). The next
 * batch then carries a written batch's numbers, and the broker answers it as that batch's
 * duplicate: acknowledged, never written. Its numbering also lost messages when two sends crossed a
 * leader change (found by the fault harness, cluster-lose-one). Without sequence numbers the broker
 * never drops a batch as a duplicate: a retry after a lost acknowledgement may write a message
 * twice, and every consumer is idempotent on what the message carries (the eventId in the
 * database, the change id at the alerter): exactly once in effect, end to end (docs/events.md,
 * "Duplicates").
 *
 * **An acknowledgement names an offset.** kafkajs resolves a send with no record for a partition
 * its metadata does not list (`findLeaderForPartitions` skips it): such a send is refused here
 * (`UnacknowledgedSendError`), and the producer is made again (fresh metadata).
 *
 * **One partition a request.** kafkajs sends a multi-partition batch as one request per leader and,
 * when one fails and the leadership moved to a broker that had already answered, its retry skips
 * those partitions and resolves (sendMessages.js keeps the earlier answer per broker). So the
 * messages are partitioned here (the same murmur2 of the key as the Java client) and each
 * partition's share goes in a send of its own, all at once; and one publish at a time.
 */
export class KafkaPublisher {
  private created: Producer | null = null;
  private connected = false;
  private connecting: Promise<void> | null = null;
  /** The last send queued: the next one starts when it has settled. */
  private tail: Promise<unknown> = Promise.resolve();
  private readonly partitioner = Partitioners.DefaultPartitioner();
  /** Partitions per topic, looked up again after PARTITIONS_TTL_MS (topics may grow). */
  private readonly partitions = new Map<string, { count: number; at: number }>();

  constructor(private readonly kafka: KafkaClient) {}

  /** Made on first use: a service that never publishes opens no producer. */
  private get producer(): Producer {
    if (!this.created) {
      // Java-compatible murmur2 partitioning, so other clients agree on a line's partition.
      // Retries stay bounded (kafkajs warns about it): a request fails rather than hangs while
      // Kafka is down, the client retries, and the eventId makes the retry harmless.
      const producer = kafkajsOf(this.kafka).producer({
        idempotent: false,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      // A discarded producer's leaving says nothing about its successor.
      producer.on(producer.events.CONNECT, () => this.created === producer && (this.connected = true));
      producer.on(producer.events.DISCONNECT, () => this.created === producer && (this.connected = false));
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

  async publish(topic: string, messages: readonly OutgoingMessage[], options: PublishOptions = {}): Promise<PublishedRecord[]> {
    if (messages.length === 0) return [];
    let abandoned = false;
    const turn = this.tail.then(() => {
      if (abandoned) throw new PublishTimeoutError(options.timeoutMs ?? 0);
      return this.send(topic, messages);
    });
    this.tail = turn.catch(() => undefined);
    if (options.timeoutMs === undefined) return turn;
    const timeoutMs = options.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abandoned = true;
        reject(new PublishTimeoutError(timeoutMs));
      }, timeoutMs);
    });
    try {
      return await Promise.race([turn, deadline]);
    } finally {
      clearTimeout(timer);
      turn.catch(() => undefined); // its end no longer answers anyone
    }
  }

  private async send(topic: string, messages: readonly OutgoingMessage[]): Promise<PublishedRecord[]> {
    await this.connect();
    const count = await this.partitionCount(topic);
    const metadata = Array.from({ length: count }, (_, i) => ({ partitionId: i, leader: 0 }) as PartitionMetadata);
    const byPartition = new Map<number, Message[]>();
    for (const m of messages) {
      const message: Message = { key: m.key, value: m.value, headers: m.headers ? { ...m.headers } : undefined };
      const partition = this.partitioner({ topic, partitionMetadata: metadata, message });
      const share = byPartition.get(partition) ?? [];
      share.push({ ...message, partition });
      byPartition.set(partition, share);
    }
    const producer = this.producer;
    return Promise.all(
      [...byPartition].map(async ([partition, share]) => {
        const records = await producer.send({ topic, acks: -1, messages: share });
        // Acknowledged means Kafka named the offset it wrote them at. kafkajs resolves a send whose
        // partition it found no leader for in its metadata with no record at all (sendMessages.js
        // skips it): that is no acknowledgement, and must not become one.
        const record = records.find((r) => r.partition === partition);
        if (!record || record.errorCode !== 0 || record.baseOffset === undefined) {
          // Its metadata is wrong and nothing makes kafkajs look again: the next send gets a fresh producer.
          this.discard(producer);
          throw new UnacknowledgedSendError(topic, partition, record?.errorCode);
        }
        return { partition, offset: record.baseOffset };
      }),
    );
  }

  private discard(producer: Producer): void {
    if (this.created !== producer) return;
    this.created = null;
    this.connected = false;
    this.connecting = null;
    void producer.disconnect().catch(() => undefined);
  }

  private async partitionCount(topic: string): Promise<number> {
    const known = this.partitions.get(topic);
    if (known && Date.now() - known.at < PARTITIONS_TTL_MS) return known.count;
    const admin = kafkajsOf(this.kafka).admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      const count = metadata.topics[0]?.partitions.length ?? 0;
      if (count === 0) throw new Error(`topic ${topic} has no partitions`);
      this.partitions.set(topic, { count, at: Date.now() });
      return count;
    } finally {
      await admin.disconnect();
    }
  }

  async disconnect(): Promise<void> {
    await this.connecting?.catch(() => undefined);
    await this.created?.disconnect();
  }
}
