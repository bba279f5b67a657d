import { randomUUID } from 'node:crypto';
import { kafkajsOf, type KafkaClient } from './kafka.client';
import type { ConsumedMessage } from './kafka.batch-consumer';

export interface SnapshotOptions {
  /** Stop after this many messages. */
  readonly limit?: number;
  readonly timeoutMs?: number;
}

/**
 * Reads a topic from the beginning up to its end as it is now, without
 * committing anything, then removes the throwaway consumer group. For tools
 * (dead-letter inspection), not for services.
 */
export async function readTopicSnapshot(client: KafkaClient, topic: string, options: SnapshotOptions = {}): Promise<ConsumedMessage[]> {
  const kafka = kafkajsOf(client);
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `linewatch-snapshot-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const ends = new Map(offsets.map((p) => [p.partition, BigInt(p.high)]));
    const starts = new Map(offsets.map((p) => [p.partition, BigInt(p.low)]));
    const pending = new Set([...ends].filter(([partition, high]) => high > (starts.get(partition) ?? 0n)).map(([partition]) => partition));
    const messages: ConsumedMessage[] = [];
    if (pending.size === 0) return messages;
    const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`reading ${topic} took longer than ${options.timeoutMs ?? 30_000} ms`)),
        options.timeoutMs ?? 30_000,
      );
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const end = ends.get(partition) ?? 0n;
            if (BigInt(message.offset) < end && messages.length < limit) {
              const headers: Record<string, string> = {};
              for (const [name, value] of Object.entries(message.headers ?? {})) if (value !== undefined) headers[name] = String(value);
              messages.push({
                topic,
                partition,
                offset: message.offset,
                key: message.key,
                value: message.value,
                headers,
                timestamp: message.timestamp,
              });
            }
            if (BigInt(message.offset) + 1n >= end) pending.delete(partition);
            if (pending.size === 0 || messages.length >= limit) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    return messages.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
