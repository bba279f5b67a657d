import { HEADERS } from '@linewatch/contracts';
import type { ConsumedMessage } from './kafka.batch-consumer';
import type { KafkaPublisher } from './kafka.publisher';

export interface DeadLetterReason {
  /** A stable code (see REJECTION_CODES in contracts). */
  readonly code: string;
  readonly message: string;
}

/**
 * Keeps rejected input: the original bytes as value, the original key and
 * headers, and why and where from in `linewatch-dlq-*` headers.
 */
export class DeadLetterPublisher {
  constructor(
    private readonly publisher: KafkaPublisher,
    private readonly topic: string,
  ) {}

  async send(rejected: readonly { message: ConsumedMessage; reason: DeadLetterReason }[], failedAt: Date): Promise<void> {
    if (rejected.length === 0) return;
    await this.publisher.publish(
      this.topic,
      rejected.map(({ message, reason }) => ({
        key: message.key?.toString('utf8') ?? '',
        value: message.value ?? Buffer.alloc(0),
        headers: {
          ...message.headers,
          [HEADERS.dlqCode]: reason.code,
          [HEADERS.dlqReason]: reason.message.slice(0, 4000),
          [HEADERS.dlqSourceTopic]: message.topic,
          [HEADERS.dlqSourcePartition]: String(message.partition),
          [HEADERS.dlqSourceOffset]: message.offset,
          [HEADERS.dlqFailedAt]: failedAt.toISOString(),
        },
      })),
    );
  }
}

/** What a dead letter says about itself, read back from its headers (the inverse of `send`); never its content. */
export interface DeadLetterFacts {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly code: string;
  readonly reason: string;
  readonly source: { readonly topic: string; readonly partition: number | null; readonly offset: string | null } | null;
  readonly eventId: string | null;
  readonly retriedFrom: string | null;
  readonly failedAt: Date | null;
}

const EVENT_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const OFFSET = /^\d{1,19}$/;

/**
 * The eventId a rejected message named, when there is one to read: the producer's header, else an
 * `eventId` string at the top of a JSON object. Malformed bytes give null.
 */
export function eventIdOf(value: Buffer | null, headers: Readonly<Record<string, string>>): string | null {
  const fromHeader = headers[HEADERS.eventId];
  if (fromHeader && EVENT_ID.test(fromHeader)) return fromHeader;
  if (!value || value.length === 0 || value.length > 1_000_000) return null;
  try {
    const parsed: unknown = JSON.parse(value.toString('utf8'));
    const id = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as { eventId?: unknown }).eventId : null;
    return typeof id === 'string' && EVENT_ID.test(id) ? id : null;
  } catch {
    return null;
  }
}

export function deadLetterFactsOf(message: ConsumedMessage): DeadLetterFacts {
  const h = message.headers;
  const failedAt = h[HEADERS.dlqFailedAt] ? new Date(h[HEADERS.dlqFailedAt]) : null;
  const sourcePartition = Number(h[HEADERS.dlqSourcePartition]);
  const sourceOffset = h[HEADERS.dlqSourceOffset];
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    code: (h[HEADERS.dlqCode] ?? '').slice(0, 100) || 'UNKNOWN',
    reason: (h[HEADERS.dlqReason] ?? '').slice(0, 4000),
    source: h[HEADERS.dlqSourceTopic]
      ? {
          topic: h[HEADERS.dlqSourceTopic].slice(0, 300),
          partition: Number.isInteger(sourcePartition) && h[HEADERS.dlqSourcePartition] !== '' ? sourcePartition : null,
          offset: sourceOffset && OFFSET.test(sourceOffset) ? sourceOffset : null,
        }
      : null,
    eventId: eventIdOf(message.value, h),
    retriedFrom: h[HEADERS.dlqRetriedFrom]?.slice(0, 400) ?? null,
    failedAt: failedAt && !Number.isNaN(failedAt.getTime()) ? failedAt : null,
  };
}
