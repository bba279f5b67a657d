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
