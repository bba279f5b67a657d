import { Inject, Injectable } from '@nestjs/common';
import {
  topicNames,
  validateIntelSubmission,
  type FieldError,
  type IntelEventSubmission,
  type IntelEventV1,
  type LineResolution,
  type RejectionCode,
  resolutionOf,
} from '@linewatch/contracts';
import { answeredLines, intakeLookupsOf, resolveSubmission, type IntakeResolution } from '@linewatch/domain';
import { KafkaPublisher, intelEventMessages } from '@linewatch/messaging';
import { ROOT_LOGGER, type Logger } from '@linewatch/observability';
import { CodedError, DEPENDENCY_RETRY_AFTER_S } from '@linewatch/platform';
import { AuditRepository, Database, IntelEventsRepository, LineAttributionRepository } from '@linewatch/persistence';
import { INGEST_CONFIG, type IngestConfig } from './ingest.config';

/** Who sent the request, and whether it is a history import (its events' changes are not pushed). */
export interface IntakeOrigin {
  readonly by: string;
  readonly history: boolean;
}

/** Where an accepted event went: every line and how; the one line at the top when there is exactly one. */
export interface LinesAnswer {
  readonly lineId?: string;
  readonly how?: LineResolution['how'];
  readonly conflictWith?: string;
  readonly lines?: readonly LineResolution[];
}

export type EventOutcome =
  | ({ readonly index: number; readonly eventId: string; readonly status: 'accepted' | 'duplicate' } & LinesAnswer)
  | {
      readonly index: number;
      readonly eventId: string | null;
      readonly status: 'rejected';
      readonly code: RejectionCode;
      readonly message: string;
      readonly errors: readonly FieldError[];
    };

/**
 * Validates each submission, answers `duplicate` for eventIds the database already holds (naming
 * the lines the first copy went to), resolves the rest — lines named by number or handset
 * attributed by the domain's rule against the intervals known now, merged lines to their
 * survivors; one read for the whole call, each identifier fetched once — and publishes them to
 * `intel.events.v1`, one message per line (key = the line it goes to). Resolves only after Kafka
 * acknowledged from every in-sync replica; if publishing fails the whole call fails and nothing is
 * reported accepted. The events of a history import carry the `linewatch-intake: history` header:
 * the tracker records their changes as not pushed (docs/alerts.md "Alert noise").
 */
@Injectable()
export class PublishEventsUseCase {
  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly publisher: KafkaPublisher,
    private readonly events: IntelEventsRepository,
    private readonly attribution: LineAttributionRepository,
    private readonly database: Database,
    private readonly audit: AuditRepository,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async execute(inputs: readonly unknown[], receivedAt: Date, origin: IntakeOrigin): Promise<EventOutcome[]> {
    const context = { now: receivedAt, maxFutureSkewMs: this.config.extra.INGEST_MAX_FUTURE_SKEW_MS, areas: this.config.areas.codes };
    const outcomes: EventOutcome[] = [];
    const valid: { index: number; event: IntelEventSubmission }[] = [];
    inputs.forEach((input, index) => {
      const result = validateIntelSubmission(input, context);
      if (result.ok) {
        valid.push({ index, event: result.event });
      } else {
        const eventId = (input as { eventId?: unknown } | null)?.eventId;
        outcomes.push({ index, eventId: typeof eventId === 'string' ? eventId : null, status: 'rejected', ...withoutOk(result) });
      }
    });
    // Both reads at once (each on its own pooled connection): on a busy database every statement
    // waits its turn, and a bulk upload pays that wait per chunk. The attribution read covers every
    // valid event, duplicates included; a duplicate naming a line it did not cover is read again below.
    const lookups = intakeLookupsOf(valid.map((v) => v.event));
    const [seen, attribution] = await this.database.autocommit((q) =>
      Promise.all([
        this.events.seenBefore(
          q,
          valid.map((v) => v.event.eventId),
        ),
        this.attribution.knownFor(q, lookups),
      ]),
    );
    const covered = new Set(lookups.lineIds);
    const uncovered = [...seen.values()].flatMap((lines) => (lines ?? []).map((line) => line.lineId)).filter((id) => !covered.has(id));
    const known =
      uncovered.length === 0
        ? attribution
        : await this.database.autocommit((q) =>
            this.attribution.knownFor(q, { identifiers: lookups.identifiers, lineIds: [...lookups.lineIds, ...uncovered] }),
          );
    const seenInRequest = new Map<string, readonly LineResolution[]>();
    const toPublish: IntakeResolution[] = [];
    for (const { index, event } of valid) {
      const before = seen.get(event.eventId);
      const again = seenInRequest.get(event.eventId);
      if (before !== undefined || again !== undefined) {
        const lines = again ?? (before === null || before === undefined ? null : answeredLines(before, known.rootOf));
        outcomes.push({ index, eventId: event.eventId, status: 'duplicate', ...answerOf(lines) });
        continue;
      }
      const resolved = resolveSubmission(event, known);
      seenInRequest.set(event.eventId, resolved.lines);
      outcomes.push({ index, eventId: event.eventId, status: 'accepted', ...answerOf(resolved.lines) });
      toPublish.push(resolved);
    }
    await this.acknowledged(async () => {
      const written = await this.publisher.publish(
        topicNames(this.config.kafka.topicPrefix).intelEvents,
        toPublish.flatMap(({ event, keys }) => intelEventMessages(event, receivedAt, keys, { history: origin.history })),
        { timeoutMs: this.config.extra.INGEST_PUBLISH_TIMEOUT_MS },
      );
      // Where Kafka says it wrote them (partition and first offset of each partition's share): what
      // an acknowledged event missing from the topic is traced back with.
      if (written.length > 0) this.logger.debug({ written: written.map((w) => `${w.partition}@${w.offset}`) }, 'published to Kafka');
    }, toPublish.length);
    // Kafka has them: remember (with where they went), so that a resend before the tracker stored
    // them is still a duplicate; and log the collection (s.62) — independent, so at once.
    await Promise.all([
      this.database.autocommit((q) =>
        this.events.recordReceipts(
          q,
          toPublish.map(({ event }) => ({ eventId: event.eventId, lines: resolutionOf(event) })),
        ),
      ),
      toPublish.length > 0
        ? this.collected(
            toPublish.map(({ event }) => event),
            origin,
            receivedAt,
          )
        : Promise.resolve(),
    ]);
    return outcomes.sort((a, b) => a.index - b.index);
  }

  /**
   * Kafka's acknowledgement from every in-sync replica (acks=all; min.insync.replicas follows the
   * cluster), or a refusal: the producer failed, or is still retrying at INGEST_PUBLISH_TIMEOUT_MS
   * (a cluster that lost brokers answers NOT_ENOUGH_REPLICAS, or nothing at all, until one comes
   * back). Nothing is reported accepted then; what may still reach Kafka is recognised by its
   * eventId when the caller sends it again.
   */
  private async acknowledged(publish: () => Promise<unknown>, count: number): Promise<void> {
    try {
      await publish();
    } catch (error) {
      this.logger.warn({ err: error, events: count }, 'Kafka did not acknowledge: intake refused (503 PUBLISH_FAILED)');
      throw new CodedError(
        'PUBLISH_FAILED',
        `Kafka did not acknowledge the events from enough replicas; none of this request was accepted — send it again in ${DEPENDENCY_RETRY_AFTER_S} s (duplicates are recognised)`,
        [],
        { retryAfterSeconds: DEPENDENCY_RETRY_AFTER_S },
      );
    }
  }

  /** s.62: collection is logged per request (or upload chunk) — who sent which events, from which systems. */
  private async collected(events: readonly IntelEventV1[], origin: IntakeOrigin, at: Date): Promise<void> {
    const systems = [...new Set(events.map((event) => event.source.system))].sort();
    await this.database.autocommit((q) =>
      this.audit.append(q, [
        {
          at,
          actor: origin.by,
          action: 'collection',
          subjectType: 'intel-events',
          subjectId: events.length === 1 ? events[0].eventId : `${events.length} events`,
          justification: `${origin.history ? 'history import' : 'intake'} from ${systems.join(', ')}`,
          details: { count: events.length, eventIds: events.map((event) => event.eventId), ...(origin.history ? { history: true } : {}) },
        },
      ]),
    );
  }
}

/** The answer's line fields: every line, and the one line at the top when there is exactly one. */
function answerOf(lines: readonly LineResolution[] | null): LinesAnswer {
  if (lines === null) return {};
  return lines.length === 1 ? { ...lines[0], lines } : { lines };
}

function withoutOk<T extends { ok: false }>(result: T): Omit<T, 'ok'> {
  const { ok: _ok, ...rest } = result;
  return rest;
}
