import { HEADERS } from '@linewatch/contracts';
import type { TopicNames } from '@linewatch/contracts';
import type { DatabaseConfig } from '@linewatch/config';
import { KafkaPublisher, eventIdOf, readTopicSnapshot, type ConsumedMessage, type KafkaClient } from '@linewatch/messaging';
import { Database, DeadLettersRepository } from '@linewatch/persistence';

export const RETRIED_FROM_HEADER = HEADERS.dlqRetriedFrom;

export interface DeadLetter {
  readonly id: string;
  readonly code: string;
  readonly reason: string;
  readonly failedAt: string;
  readonly source: string;
  readonly key: string;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The eventId the message named, when one could be read. */
  readonly eventId: string | null;
}

function toDeadLetter(message: ConsumedMessage): DeadLetter {
  return {
    id: `${message.partition}:${message.offset}`,
    code: message.headers[HEADERS.dlqCode] ?? '?',
    reason: message.headers[HEADERS.dlqReason] ?? '',
    failedAt: message.headers[HEADERS.dlqFailedAt] ?? '',
    source: `${message.headers[HEADERS.dlqSourceTopic] ?? '?'}[${message.headers[HEADERS.dlqSourcePartition] ?? '?'}]@${message.headers[HEADERS.dlqSourceOffset] ?? '?'}`,
    key: message.key?.toString('utf8') ?? '',
    value: message.value?.toString('utf8') ?? '',
    headers: message.headers,
    eventId: eventIdOf(message.value, message.headers),
  };
}

export async function listDeadLetters(kafka: KafkaClient, topics: TopicNames, filter: { code?: string; limit?: number }): Promise<DeadLetter[]> {
  const messages = await readTopicSnapshot(kafka, topics.intelEventsDlq);
  return messages
    .map(toDeadLetter)
    .filter((d) => !filter.code || d.code === filter.code)
    .slice(0, filter.limit ?? Number.MAX_SAFE_INTEGER);
}

/**
 * Re-drives dead letters after their cause was fixed (an area added, a
 * producer corrected): the original bytes and key go back to the input topic,
 * marked with where they came from. Still invalid, they come back here.
 */
export async function retryDeadLetters(kafka: KafkaClient, topics: TopicNames, letters: readonly DeadLetter[]): Promise<number> {
  if (letters.length === 0) return 0;
  const publisher = new KafkaPublisher(kafka);
  try {
    await publisher.publish(
      topics.intelEvents,
      letters.map((letter) => {
        const headers = Object.fromEntries(Object.entries(letter.headers).filter(([name]) => !name.startsWith('linewatch-dlq-')));
        return {
          key: letter.key,
          value: letter.value,
          headers: { ...headers, [RETRIED_FROM_HEADER]: `${topics.intelEventsDlq}:${letter.id}` },
        };
      }),
    );
    return letters.length;
  } finally {
    await publisher.disconnect();
  }
}

/**
 * Records what `retryDeadLetters` re-drove (table `dead_letter_redrives`): those dead letters are no
 * longer waiting (the admins' home figure, GET /v1/dead-letters). Called after publishing: if this
 * fails, they were re-driven but still show as waiting, and a second retry sends them again
 * (harmless: events are idempotent by eventId).
 */
export async function recordRedrives(
  database: DatabaseConfig,
  topics: TopicNames,
  letters: readonly DeadLetter[],
  by: string,
  at: Date,
): Promise<void> {
  if (letters.length === 0) return;
  const db = await Database.open(database, 'linewatch-cli');
  try {
    await db.autocommit((q) =>
      new DeadLettersRepository().recordRedrives(
        q,
        letters.map((letter) => {
          const [partition, offset] = letter.id.split(':');
          return { topic: topics.intelEventsDlq, partition: Number(partition), offset, eventId: letter.eventId, at, by };
        }),
      ),
    );
  } finally {
    await db.close();
  }
}
