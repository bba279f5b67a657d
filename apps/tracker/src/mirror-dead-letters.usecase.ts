import { Injectable } from '@nestjs/common';
import { deadLetterFactsOf, type ConsumedMessage } from '@linewatch/messaging';
import { Database, DeadLettersRepository } from '@linewatch/persistence';

/**
 * Mirrors the dead-letter topic into `dead_letters` (why, where from, the eventId — not the
 * content), so that the api can count and list the dead letters waiting without reading Kafka
 * (docs/architecture.md, "Dead letters waiting"). Idempotent by topic, partition and offset: a
 * redelivered slice inserts nothing twice.
 */
@Injectable()
export class MirrorDeadLettersUseCase {
  constructor(
    private readonly database: Database,
    private readonly deadLetters: DeadLettersRepository,
  ) {}

  async execute(messages: readonly ConsumedMessage[]): Promise<number> {
    if (messages.length === 0) return 0;
    return this.database.autocommit((q) => this.deadLetters.mirror(q, messages.map(deadLetterFactsOf)));
  }
}
