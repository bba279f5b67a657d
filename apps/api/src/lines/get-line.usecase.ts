import { Inject, Injectable } from '@nestjs/common';
import type { IntelEventV1 } from '@linewatch/contracts';
import { AreaScope, Database, LineQueriesRepository } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { ConsultationLog } from '../audit/consultation.log';
import { LineError } from './line.errors';
import { seesHandlingC } from './line-scope';

export const WITHHELD = 'Handling code C: details withheld; contact the intelligence unit.';

/** An event as the caller may see it: handling code C keeps only what, when, where and the grading. */
function viewOf(event: IntelEventV1, full: boolean) {
  if (full || event.grading.handling !== 'C') return event;
  return {
    eventId: event.eventId,
    type: event.type,
    occurredAt: event.occurredAt,
    area: event.area,
    grading: { source: event.grading.source, intelligence: event.grading.intelligence, handling: event.grading.handling },
    withheld: WITHHELD,
  };
}

/**
 * One line as the caller may see it: current state, timeline, recent events (handling code C
 * withheld from whoever is not an analyst or admin), reviews, and optionally the state at a past
 * instant. Scoped (officers: their areas; a line outside is not found, the same answer as none)
 * and logged as a consultation (DPA 2018 s.62) with the justification given, a miss too.
 */
@Injectable()
export class GetLineUseCase {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly database: Database,
    private readonly queries: LineQueriesRepository,
    private readonly log: ConsultationLog,
  ) {}

  async execute(principal: Principal, lineId: string, options: { asAt?: Date; justification: string | null }) {
    const line = await this.database.autocommit((q) => this.queries.one(q, AreaScope.of(principal), lineId, this.review));
    if (!line) {
      // Asking for a line that is not there (or not in your areas) is recorded too: probing shows in the log.
      await this.log.record(principal, { type: 'line', id: lineId }, options.justification, { found: false });
      throw new LineError('LINE_NOT_FOUND', `no line ${lineId} in your scope`);
    }
    // In scope (only a found line can be passed on): its history, read in parallel.
    const { periods, events, reviews, asAt } = await this.database.autocommit((q) =>
      this.queries.details(q, line, { events: 100, ...(options.asAt ? { asAt: options.asAt } : {}) }),
    );
    await this.log.record(principal, { type: 'line', id: lineId }, options.justification, { asAt: options.asAt?.toISOString() ?? null });
    const full = seesHandlingC(principal);
    return {
      ...line,
      periods,
      events: events.map((event) => viewOf(event, full)),
      reviews,
      ...(options.asAt ? { asAt: { at: options.asAt, state: asAt?.state ?? null, since: asAt?.from ?? null } } : {}),
    };
  }

  private get review() {
    return { intervalDays: this.config.extra.LINE_REVIEW_INTERVAL_DAYS };
  }
}
