import { Inject, Injectable } from '@nestjs/common';
import type { IntelEventV1 } from '@linewatch/contracts';
import {
  AreaScope,
  Database,
  LineQueriesRepository,
  LineReviewsRepository,
  LinesRepository,
  type LineFilter,
} from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { ConsultationLog } from '../audit/consultation.log';
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
 * Reading lines: every read is scoped (officers: their areas; a line outside is not found) and
 * logged as a consultation (DPA 2018 s.62) with who, what and the justification given.
 */
@Injectable()
export class ReadLinesUseCase {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly database: Database,
    private readonly queries: LineQueriesRepository,
    private readonly lines: LinesRepository,
    private readonly reviews: LineReviewsRepository,
    private readonly log: ConsultationLog,
  ) {}

  async list(principal: Principal, filter: LineFilter, justification: string | null) {
    const found = await this.database.autocommit((q) =>
      this.queries.list(q, AreaScope.of(principal), filter, this.review, { seesHandlingC: seesHandlingC(principal) }),
    );
    await this.log.record(principal, { type: 'lines', id: JSON.stringify(filter) }, justification, { returned: found.length });
    return { lines: found, next: found.length === filter.limit ? found.at(-1)?.lineId : null };
  }

  /** Null when not found or out of scope (the same answer: an officer learns nothing of other areas). */
  async one(principal: Principal, lineId: string, options: { asAt?: Date; justification: string | null }) {
    const line = await this.database.autocommit((q) => this.queries.one(q, AreaScope.of(principal), lineId, this.review));
    if (!line) {
      // Asking for a line that is not there (or not in your areas) is recorded too: probing shows in the log.
      await this.log.record(principal, { type: 'line', id: lineId }, options.justification, { found: false });
      return null;
    }
    // In scope: its history is read in parallel, each statement on its own pooled connection.
    const [periods, events, reviews, asAt] = await this.database.autocommit((q) =>
      Promise.all([
        this.lines.periodsOf(q, lineId),
        this.queries.recentEvents(q, lineId, 100),
        this.reviews.historyOf(q, lineId),
        options.asAt ? this.queries.periodAt(q, lineId, options.asAt) : Promise.resolve(undefined),
      ]),
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
