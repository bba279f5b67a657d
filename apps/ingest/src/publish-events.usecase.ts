import { Inject, Injectable } from '@nestjs/common';
import { topicNames, validateIntelEvent, type FieldError, type IntelEventV1, type RejectionCode } from '@linewatch/contracts';
import { KafkaPublisher, intelEventMessages } from '@linewatch/messaging';
import { AuditRepository, Database, IntelEventsRepository } from '@linewatch/persistence';
import { INGEST_CONFIG, type IngestConfig } from './ingest.config';

export type EventOutcome =
  | { readonly index: number; readonly eventId: string; readonly status: 'accepted' | 'duplicate' }
  | {
      readonly index: number;
      readonly eventId: string | null;
      readonly status: 'rejected';
      readonly code: RejectionCode;
      readonly message: string;
      readonly errors: readonly FieldError[];
    };

/**
 * Validates each event, answers `duplicate` for eventIds the database already
 * holds, and publishes the rest to `intel.events.v1`, one message per line
 * (key = lineId). Resolves only after Kafka acknowledged from every in-sync
 * replica; if publishing fails the whole call fails and nothing is reported
 * accepted.
 */
@Injectable()
export class PublishEventsUseCase {
  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly publisher: KafkaPublisher,
    private readonly events: IntelEventsRepository,
    private readonly database: Database,
    private readonly audit: AuditRepository,
  ) {}

  async execute(inputs: readonly unknown[], receivedAt: Date, collectedBy: string): Promise<EventOutcome[]> {
    const context = { now: receivedAt, maxFutureSkewMs: this.config.extra.INGEST_MAX_FUTURE_SKEW_MS, areas: this.config.areas.codes };
    const outcomes: EventOutcome[] = [];
    const valid: { index: number; event: IntelEventV1 }[] = [];
    inputs.forEach((input, index) => {
      const result = validateIntelEvent(input, context);
      if (result.ok) {
        valid.push({ index, event: result.event });
      } else {
        const eventId = (input as { eventId?: unknown } | null)?.eventId;
        outcomes.push({ index, eventId: typeof eventId === 'string' ? eventId : null, status: 'rejected', ...withoutOk(result) });
      }
    });
    const known = await this.database.autocommit((q) =>
      this.events.known(
        q,
        valid.map((v) => v.event.eventId),
      ),
    );
    const seenInRequest = new Set<string>();
    const toPublish: IntelEventV1[] = [];
    for (const { index, event } of valid) {
      const duplicate = known.has(event.eventId) || seenInRequest.has(event.eventId);
      seenInRequest.add(event.eventId);
      outcomes.push({ index, eventId: event.eventId, status: duplicate ? 'duplicate' : 'accepted' });
      if (!duplicate) toPublish.push(event);
    }
    await this.publisher.publish(
      topicNames(this.config.kafka.topicPrefix).intelEvents,
      toPublish.flatMap((event) => intelEventMessages(event, receivedAt)),
    );
    // Kafka has them: remember, so that a resend before the tracker stored them is still a duplicate.
    await this.database.autocommit((q) =>
      this.events.recordReceipts(
        q,
        toPublish.map((event) => event.eventId),
      ),
    );
    if (toPublish.length > 0) await this.collected(toPublish, collectedBy, receivedAt);
    return outcomes.sort((a, b) => a.index - b.index);
  }

  /** s.62: collection is logged per request (or upload chunk) — who sent which events, from which systems. */
  private async collected(events: readonly IntelEventV1[], by: string, at: Date): Promise<void> {
    const systems = [...new Set(events.map((event) => event.source.system))].sort();
    await this.database.autocommit((q) =>
      this.audit.append(q, [
        {
          at,
          actor: by,
          action: 'collection',
          subjectType: 'intel-events',
          subjectId: events.length === 1 ? events[0].eventId : `${events.length} events`,
          justification: `intake from ${systems.join(', ')}`,
          details: { count: events.length, eventIds: events.map((event) => event.eventId) },
        },
      ]),
    );
  }
}

function withoutOk<T extends { ok: false }>(result: T): Omit<T, 'ok'> {
  const { ok: _ok, ...rest } = result;
  return rest;
}
