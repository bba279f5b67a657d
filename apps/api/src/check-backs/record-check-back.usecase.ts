import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { topicNames, validateIntelEvent, type IntelEventV1 } from '@linewatch/contracts';
import { KafkaPublisher, intelEventMessages } from '@linewatch/messaging';
import { AreaScope, AuditRepository, ClosureCheckBacksRepository, Database, LineQueriesRepository } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { CheckBackError } from './check-back.errors';
import { checkBackView } from './check-back.view';

export interface CheckBackRequest {
  readonly outcome: 'out_of_use' | 'in_use';
  readonly rationale: string;
  readonly checkedAt?: Date;
  readonly checkBackId?: string;
}

/**
 * An analyst's closure check-back (PRODUCT.md "Closure check-backs"). `out_of_use`: the check-back
 * is recorded done with an s.62 alteration entry, in one transaction. `in_use`: recorded done, and
 * a `line.sighting` dated `checkedAt` is published to intel.events.v1 inside the same transaction
 * (it commits only once Kafka has the event; a failed publish records nothing): the tracker applies
 * it like any sighting, so the line resurfaces and alerts through the normal path, and the line's
 * other check-backs are cancelled when it leaves the closed state. The row is locked first, so the
 * tracker's cancellation waits for this record and never overtakes it.
 */
@Injectable()
export class RecordCheckBackUseCase {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly database: Database,
    private readonly queries: LineQueriesRepository,
    private readonly checkBacks: ClosureCheckBacksRepository,
    private readonly publisher: KafkaPublisher,
    private readonly audit: AuditRepository,
  ) {}

  async execute(principal: Principal, lineId: string, request: CheckBackRequest, now: Date) {
    const line = await this.database.autocommit((q) => this.queries.one(q, AreaScope.of(principal), lineId, { intervalDays: 1 }));
    if (!line) throw new CheckBackError('LINE_NOT_FOUND', `no line ${lineId}`);
    const checkedAt = request.checkedAt ?? now;
    if (checkedAt.getTime() > now.getTime() + this.config.extra.INGEST_MAX_FUTURE_SKEW_MS)
      throw new CheckBackError('INVALID_CHECK_BACK', 'checkedAt is in the future', [{ path: 'checkedAt', message: 'in the future' }]);
    return this.database.transaction(async (tx) => {
      const all = await this.checkBacks.ofLine(tx, lineId);
      if (all.length === 0 || (request.checkBackId === undefined && !all.some((c) => c.status === 'scheduled') && line.state !== 'closed'))
        throw new CheckBackError('NO_TYPE_1_CLOSURE', `line ${lineId} is not closed by a Type 1 closure: it has no check-backs`);
      const targetId = request.checkBackId ?? all.find((c) => c.status === 'scheduled')?.checkBackId;
      if (targetId === undefined)
        throw new CheckBackError('CHECK_BACK_NOT_OPEN', `every check-back of line ${lineId}'s closure is recorded or cancelled`);
      const target = await this.checkBacks.lockOne(tx, lineId, targetId);
      if (!target) throw new CheckBackError('CHECK_BACK_NOT_FOUND', `no check-back ${targetId} on line ${lineId}`);
      if (target.status !== 'scheduled')
        throw new CheckBackError(
          'CHECK_BACK_NOT_OPEN',
          `check-back ${targetId} is ${target.status === 'done' ? 'already recorded' : 'cancelled'}`,
        );
      if (checkedAt.getTime() < target.closedAt.getTime())
        throw new CheckBackError('INVALID_CHECK_BACK', 'checkedAt is before the closure', [
          { path: 'checkedAt', message: 'before the closure' },
        ]);
      const sighting =
        request.outcome === 'in_use' ? this.sightingOf(principal, line, target.checkBackId, request.rationale, checkedAt, now) : null;
      const recorded = await this.checkBacks.record(tx, {
        checkBackId: target.checkBackId,
        outcome: request.outcome,
        checkedAt,
        recordedAt: now,
        recordedBy: principal.subject,
        rationale: request.rationale,
        sightingEventId: sighting?.eventId ?? null,
      });
      if (!recorded) throw new CheckBackError('CHECK_BACK_NOT_OPEN', `check-back ${targetId} is no longer scheduled`);
      await this.audit.append(tx, [
        {
          at: now,
          actor: principal.subject,
          action: sighting ? 'collection' : 'alteration',
          subjectType: 'line',
          subjectId: lineId,
          justification: `closure check-back ${request.outcome}: ${request.rationale}`,
          details: {
            checkBackId: target.checkBackId,
            closureEventId: target.closureEventId,
            offsetDays: target.offsetDays,
            outcome: request.outcome,
            checkedAt: checkedAt.toISOString(),
            ...(sighting ? { eventId: sighting.eventId } : {}),
          },
        },
      ]);
      // Last: the record commits only if Kafka took the sighting.
      if (sighting) await this.publisher.publish(topicNames(this.config.kafka.topicPrefix).intelEvents, intelEventMessages(sighting, now));
      return { checkBack: checkBackView(recorded), sighting };
    });
  }

  /** The sighting an `in_use` check-back is published as, validated by intake's contract. */
  private sightingOf(
    principal: Principal,
    line: { lineId: string; area: string | null; areas: readonly string[] },
    checkBackId: string,
    rationale: string,
    checkedAt: Date,
    now: Date,
  ): IntelEventV1 {
    const result = validateIntelEvent(
      {
        eventId: sightingIdOf(checkBackId),
        type: 'line.sighting',
        occurredAt: checkedAt.toISOString(),
        reportedAt: now.toISOString(),
        area: line.area ?? line.areas[0],
        grading: { system: '3x5x2', source: '1', intelligence: 'A', handling: 'P' },
        source: { system: 'linewatch-api', reference: `check-back ${checkBackId} by ${principal.subject}`.slice(0, 128) },
        lineId: line.lineId,
        body: { kind: 'other', note: `closure check-back: number in use. ${rationale}`.slice(0, 2000) },
      },
      { now, maxFutureSkewMs: this.config.extra.INGEST_MAX_FUTURE_SKEW_MS, areas: this.config.areas.codes },
    );
    if (!result.ok) throw new CheckBackError('INVALID_CHECK_BACK', result.message, result.errors);
    return result.event;
  }
}

/**
 * The sighting's eventId, named by its check-back (RFC 9562's version-5 layout over SHA-1): a
 * check-back is recorded `in_use` once, so it names one sighting — and a retry after a commit that
 * failed once Kafka had the event publishes the same eventId, a duplicate to the tracker, not a
 * second sighting.
 */
export function sightingIdOf(checkBackId: string): string {
  const hash = createHash('sha1').update(`linewatch:check-back-sighting:${checkBackId}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
