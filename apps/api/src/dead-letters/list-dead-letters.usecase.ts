import { Inject, Injectable } from '@nestjs/common';
import { topicNames, type DeadLettersV1 } from '@linewatch/contracts';
import { Database, DeadLettersRepository, type DeadLetterStatus } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { ConsultationLog } from '../audit/consultation.log';

/**
 * The dead letters an admin acts on (waiting by default), newest first, from the tracker's mirror of
 * the dead-letter topic: reason, where from, eventId, age and re-drive — no content. The read is an
 * s.62 consultation (eventIds and reasons name intelligence).
 */
@Injectable()
export class ListDeadLettersUseCase {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly database: Database,
    private readonly deadLetters: DeadLettersRepository,
    private readonly log: ConsultationLog,
  ) {}

  async execute(
    principal: Principal,
    query: { readonly status: DeadLetterStatus; readonly limit: number },
    justification: string | undefined,
    now: Date,
  ): Promise<DeadLettersV1> {
    // The deployment's own dead-letter topic (KAFKA_TOPIC_PREFIX).
    const topic = topicNames(this.config.kafka.topicPrefix).intelEventsDlq;
    const [letters, waiting] = await this.database.autocommit((q) =>
      Promise.all([this.deadLetters.list(q, topic, query), this.deadLetters.waiting(q, topic)]),
    );
    await this.log.record(principal, { type: 'dead-letters', id: query.status }, justification, {
      returned: letters.length,
      waiting,
    });
    return {
      at: now.toISOString(),
      waiting,
      deadLetters: letters.map((letter) => ({
        id: `${letter.partition}:${letter.offset}`,
        topic: letter.topic,
        partition: letter.partition,
        offset: letter.offset,
        code: letter.code,
        reason: letter.reason,
        source: letter.source,
        eventId: letter.eventId,
        retriedFrom: letter.retriedFrom,
        failedAt: letter.failedAt?.toISOString() ?? null,
        ageSeconds: letter.failedAt ? Math.max(0, Math.floor((now.getTime() - letter.failedAt.getTime()) / 1000)) : null,
        redriven: letter.redriven ? { at: letter.redriven.at.toISOString(), by: letter.redriven.by } : null,
      })),
    };
  }
}
