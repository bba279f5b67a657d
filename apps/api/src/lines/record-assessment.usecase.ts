import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { topicNames, validateIntelEvent } from '@linewatch/contracts';
import { KafkaPublisher, intelEventMessages } from '@linewatch/messaging';
import { CodedError } from '@linewatch/platform';
import { AreaScope, AuditRepository, Database, LineQueriesRepository } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { API_CONFIG, type ApiConfig } from '../api.config';

export interface AssessmentRequest {
  readonly decision: 'closure_type_1' | 'closure_type_2' | 'reopen' | 'dormancy_override';
  readonly rationale: string;
  readonly dormancyWindowDays?: number;
  /** When the decision takes effect in event time (default now), e.g. the date of the charge. */
  readonly occurredAt?: Date;
  /** Handling code of the assessment itself (default P). */
  readonly handling?: 'P' | 'C';
}

export class AssessmentError extends CodedError<'LINE_NOT_FOUND' | 'INVALID_ASSESSMENT'> {}

/**
 * An analyst's assessment (closure Type 1/2, reopen, dormancy override) becomes a `line.assessed`
 * event on `intel.events.v1`, validated by the same contract as intake: the tracker applies it
 * like any other event (in event time, idempotently), so the state rules stay in one place.
 * Answered once Kafka has it; the collection is logged (s.62) with the analyst and the rationale.
 */
@Injectable()
export class RecordAssessmentUseCase {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly database: Database,
    private readonly queries: LineQueriesRepository,
    private readonly publisher: KafkaPublisher,
    private readonly audit: AuditRepository,
  ) {}

  async execute(principal: Principal, lineId: string, request: AssessmentRequest, now: Date) {
    const line = await this.database.autocommit((q) => this.queries.one(q, AreaScope.of(principal), lineId, { intervalDays: 1 }));
    if (!line) throw new AssessmentError('LINE_NOT_FOUND', `no line ${lineId}`);
    const eventId = randomUUID();
    const result = validateIntelEvent(
      {
        eventId,
        type: 'line.assessed',
        occurredAt: (request.occurredAt ?? now).toISOString(),
        reportedAt: now.toISOString(),
        area: line.area ?? line.areas[0],
        grading: { system: '3x5x2', source: '1', intelligence: 'A', handling: request.handling ?? 'P' },
        source: { system: 'linewatch-api', reference: `assessment by ${principal.subject}`.slice(0, 128) },
        lineId,
        body: {
          decision: request.decision,
          rationale: request.rationale,
          ...(request.dormancyWindowDays === undefined ? {} : { dormancyWindowDays: request.dormancyWindowDays }),
        },
      },
      { now, maxFutureSkewMs: this.config.extra.INGEST_MAX_FUTURE_SKEW_MS, areas: this.config.areas.codes },
    );
    if (!result.ok) throw new AssessmentError('INVALID_ASSESSMENT', result.message, result.errors);
    await this.publisher.publish(topicNames(this.config.kafka.topicPrefix).intelEvents, intelEventMessages(result.event, now));
    await this.database.autocommit((q) =>
      this.audit.append(q, [
        {
          at: now,
          actor: principal.subject,
          action: 'collection',
          subjectType: 'line',
          subjectId: lineId,
          justification: `assessment ${request.decision}: ${request.rationale}`,
          details: { eventId, decision: request.decision, occurredAt: result.event.occurredAt },
        },
      ]),
    );
    return { eventId, status: 'accepted' as const, event: result.event };
  }
}
