import { Inject, Injectable } from '@nestjs/common';
import type { IntelEventV1, LineIdentityV1 } from '@linewatch/contracts';
import { AreaScope, Database, LineQueriesRepository, type LineIdentityDetails, type RecordedLinkDecision } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { ConsultationLog } from '../audit/consultation.log';
import { LineError } from './line.errors';
import { holdView } from '../disposals/hold-view';
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
 * withheld from whoever is not an analyst or admin), reviews, identity (numbers, handsets, brands,
 * the lines merged into it and the link decisions; nothing known only from handling-C evidence for
 * whoever is shown it withheld), and optionally the state at a past instant. A merged line's id
 * resolves to its survivor (`resolvedFrom` says which id was asked for). Scoped (officers: their
 * areas; a line outside is not found, the same answer as none) and logged as a consultation (DPA
 * 2018 s.62) with the justification given, a miss too.
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
    const full = seesHandlingC(principal);
    const reader = { seesHandlingC: full };
    const { root, line } = await this.database.autocommit((q) =>
      this.queries.oneResolved(q, AreaScope.of(principal), lineId, this.review, reader),
    );
    const resolved = root === lineId ? {} : { resolvedFrom: lineId };
    if (!line) {
      // Asking for a line that is not there (or not in your areas) is recorded too: probing shows in the log.
      await this.log.record(principal, { type: 'line', id: root }, options.justification, { found: false, ...resolved });
      throw new LineError('LINE_NOT_FOUND', `no line ${lineId} in your scope`);
    }
    // In scope (only a found line can be passed on): its history (one statement, its events
    // another, in parallel) — and the consultation recorded meanwhile (what it names is known
    // already); nothing is answered unless the entry was written.
    const [{ periods, events, reviews, asAt, identity, hold }] = await this.database.autocommit((q) =>
      Promise.all([
        this.queries.details(q, line, { events: 100, reader, ...(options.asAt ? { asAt: options.asAt } : {}) }),
        this.log.record(principal, { type: 'line', id: root }, options.justification, {
          asAt: options.asAt?.toISOString() ?? null,
          ...resolved,
        }),
      ]),
    );
    return {
      ...line,
      ...resolved,
      identity: identityView(identity, full),
      periods,
      events: events.map((event) => viewOf(event, full)),
      reviews,
      disposal: holdView(hold),
      ...(options.asAt ? { asAt: { at: options.asAt, state: asAt?.state ?? null, since: asAt?.from ?? null } } : {}),
    };
  }

  private get review() {
    return { intervalDays: this.config.extra.LINE_REVIEW_INTERVAL_DAYS };
  }
}

/** The identity read as the answer shows it (the repository already left out what the reader may not see). */
function identityView(identity: LineIdentityDetails, full: boolean): LineIdentityV1 {
  const interval = (i: LineIdentityDetails['intervals'][number]) => ({
    kind: i.kind,
    value: i.value,
    from: i.from.toISOString(),
    to: i.to?.toISOString() ?? null,
    startedBy: i.startedBy,
    endedBy: i.endedBy,
  });
  return {
    numbers: identity.intervals.filter((i) => i.kind === 'msisdn').map(interval),
    handsets: identity.intervals.filter((i) => i.kind === 'imei').map(interval),
    brands: identity.brands.map((b) => ({
      brand: b.brand,
      // The spellings as written may come from handling-C reports: shown to those who see them (as the lookup does).
      ...(full ? { writtenAs: [...b.writtenAs] } : {}),
      firstSeenAt: b.firstSeenAt.toISOString(),
      lastSeenAt: b.lastSeenAt.toISOString(),
    })),
    aliases: identity.aliases.map((a) => ({
      lineId: a.aliasId,
      mergedInto: a.parentId,
      mergedAt: a.mergedAt.toISOString(),
      mergeEventId: a.mergeEventId,
    })),
    links: identity.links.map(linkView),
  };
}

function linkView({ decision, decidedBy, justification }: RecordedLinkDecision): LineIdentityV1['links'][number] {
  const base = {
    eventId: decision.eventId,
    lineId: decision.lineId,
    occurredAt: decision.at.toISOString(),
    decidedBy,
    rationale: justification,
  };
  switch (decision.type) {
    case 'merge':
      return { ...base, type: 'line.merged', into: decision.into, mergeEventId: null, identifier: null };
    case 'unmerge':
      return { ...base, type: 'line.unmerged', into: null, mergeEventId: decision.mergeEventId, identifier: null };
    case 'attach':
      return {
        ...base,
        type: 'line.identifier_attached',
        into: null,
        mergeEventId: null,
        identifier: { kind: decision.identifier.kind, value: decision.identifier.value },
      };
    default: {
      const unhandled: never = decision;
      return unhandled;
    }
  }
}
