import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { topicNames, validateLineLink, type LineLinkV1 } from '@linewatch/contracts';
import { linkDecisionOf, linkStateOf, parentOf, type LinkErrorCode } from '@linewatch/domain';
import { KafkaPublisher, intelEventMessages } from '@linewatch/messaging';
import { CodedError } from '@linewatch/platform';
import { AreaScope, Database, LineLinksRepository, LineQueriesRepository, type LineInScope } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { API_CONFIG, type ApiConfig } from '../api.config';

/** What an analyst decides about a line (the line of the path: B of a merge). */
export type LinkCommand =
  | { readonly type: 'merge'; readonly lineId: string; readonly into: string }
  | { readonly type: 'unmerge'; readonly lineId: string; readonly mergeEventId?: string }
  | { readonly type: 'attach'; readonly lineId: string; readonly identifier: { readonly msisdn?: string; readonly imei?: string } };

export interface LinkContext {
  readonly rationale: string;
  /** The decision's instant in event time (default `now`). */
  readonly occurredAt?: Date;
}

type LinkCode =
  | 'LINE_NOT_FOUND'
  | 'INVALID_LINK_DECISION'
  | 'INVALID_MSISDN'
  | 'INVALID_IMEI'
  | 'MERGE_INTO_ITSELF'
  | 'MERGE_INTO_OWN_ALIAS'
  | 'ALREADY_MERGED'
  | 'ALREADY_UNMERGED'
  | 'UNMERGE_BEFORE_MERGE'
  | 'MERGE_NOT_FOUND';

export class LinkDecisionError extends CodedError<LinkCode> {}

/** The domain's refusal as the api's code: 409 for a conflict with the links in force, 404 for a merge that never happened (LINK_ERROR_KINDS). */
const CODE_OF: Record<LinkErrorCode, LinkCode> = {
  merge_into_itself: 'MERGE_INTO_ITSELF',
  merge_into_own_alias: 'MERGE_INTO_OWN_ALIAS',
  already_merged: 'ALREADY_MERGED',
  merge_not_found: 'MERGE_NOT_FOUND',
  already_unmerged: 'ALREADY_UNMERGED',
  unmerge_before_merge: 'UNMERGE_BEFORE_MERGE',
};

/**
 * Analysts' link decisions (PRODUCT.md "Links"), shared by the link routes and an accepted
 * replacement suggestion: `prepare` checks a decision BEFORE anything is published — the lines
 * exist, and the domain's rule accepts it against every decision applied so far, folded in event
 * time exactly as the tracker folds them (a backdated decision that would void an earlier one is
 * refused too) — and builds the link event, validated by the same contract the tracker reads
 * (`validateLineLink`); `publish` puts it on `intel.events.v1`, keyed by each line it concerns.
 *
 * The tracker applies it and writes the s.62 combination entry (who, when, why, which lines);
 * the api writes no entry of its own for it (the combination is the record; a collection entry
 * would log the same decision twice). A decision published while an earlier one is still on its
 * way to the tracker is judged again there: refused then, it is dead-lettered with the same code.
 */
@Injectable()
export class LinkDecisions {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly database: Database,
    private readonly queries: LineQueriesRepository,
    private readonly links: LineLinksRepository,
    private readonly publisher: KafkaPublisher,
  ) {}

  async prepare(principal: Principal, command: LinkCommand, context: LinkContext, now: Date): Promise<LineLinkV1> {
    const { line, into, decisions } = await this.database.autocommit(async (q) => {
      const scope = AreaScope.of(principal);
      const review = { intervalDays: 1 };
      const [line, into, recorded] = await Promise.all([
        this.queries.one(q, scope, command.lineId, review),
        command.type === 'merge' ? this.queries.one(q, scope, command.into, review) : Promise.resolve(null),
        this.links.decisions(q),
      ]);
      return { line, into, decisions: recorded.map((r) => r.decision) };
    });
    if (!line) throw new LinkDecisionError('LINE_NOT_FOUND', `no line ${command.lineId}`);
    if (command.type === 'merge' && command.into !== command.lineId && !into)
      throw new LinkDecisionError('LINE_NOT_FOUND', `no line ${command.into}`);

    const applied = linkStateOf(decisions);
    const eventId = randomUUID();
    const occurredAt = (context.occurredAt ?? now).toISOString();
    const body = (() => {
      const who = { decidedBy: principal.subject, justification: context.rationale };
      switch (command.type) {
        case 'merge':
          return { type: 'line.merged' as const, body: { into: command.into, ...who } };
        case 'unmerge': {
          // Without an id: the line's merge in force (a line is merged into at most one line at a time).
          const mergeEventId =
            command.mergeEventId ?? applied.state.merges.find((m) => m.lineId === command.lineId && m.unmergedBy === null)?.eventId ?? null;
          if (mergeEventId === null)
            throw new LinkDecisionError('MERGE_NOT_FOUND', `line ${command.lineId} is not merged into any line: nothing to unmerge`);
          return { type: 'line.unmerged' as const, body: { mergeEventId, ...who } };
        }
        case 'attach':
          return { type: 'line.identifier_attached' as const, body: { ...command.identifier, ...who } };
        default: {
          const unhandled: never = command;
          return unhandled;
        }
      }
    })();
    const result = validateLineLink(
      {
        eventId,
        ...body,
        occurredAt,
        reportedAt: now.toISOString(),
        area: this.areaOf(line, into),
        grading: { system: '3x5x2', source: '1', intelligence: 'A', handling: 'P' },
        source: { system: 'linewatch-api', reference: `${body.type} by ${principal.subject}`.slice(0, 128) },
        lineId: command.lineId,
      },
      { now, maxFutureSkewMs: this.config.extra.INGEST_MAX_FUTURE_SKEW_MS, areas: this.config.areas.codes },
    );
    if (!result.ok) {
      const code = result.code === 'INVALID_MSISDN' || result.code === 'INVALID_IMEI' ? result.code : 'INVALID_LINK_DECISION';
      throw new LinkDecisionError(code, result.message, result.errors);
    }
    const event = result.event;

    // The tracker's own judgement: the set of decisions with this one, in event time.
    const decision = linkDecisionOf(event);
    const after = linkStateOf([...decisions, decision]);
    const wasRefused = new Set(applied.refused.map((r) => r.decision.eventId));
    const refused = after.refused.filter((r) => !wasRefused.has(r.decision.eventId));
    if (refused.length > 0) {
      const own = refused.find((r) => r.decision.eventId === eventId);
      const code = (own ?? refused[0]).code;
      throw new LinkDecisionError(CODE_OF[code], own ? this.explain(code, command, applied.state) : voids(refused[0]));
    }
    return event;
  }

  /** Publishes a prepared decision; resolves once Kafka has it. */
  async publish(event: LineLinkV1, now: Date): Promise<void> {
    await this.publisher.publish(topicNames(this.config.kafka.topicPrefix).intelEvents, intelEventMessages(event, now));
  }

  /** The event's area: the line's (else the line it is merged into, else the first configured — an envelope needs one). */
  private areaOf(line: LineInScope, into: LineInScope | null): string {
    return line.area ?? line.areas[0] ?? into?.area ?? into?.areas[0] ?? [...this.config.areas.codes][0];
  }

  private explain(code: LinkErrorCode, command: LinkCommand, state: ReturnType<typeof linkStateOf>['state']): string {
    switch (code) {
      case 'merge_into_itself':
        return `line ${command.lineId} cannot be merged into itself`;
      case 'already_merged':
        return `line ${command.lineId} is already merged into ${parentOf(state, command.lineId) ?? 'another line'}: unmerge it first`;
      case 'merge_into_own_alias':
        return `line ${command.type === 'merge' ? command.into : '?'} is merged into ${command.lineId}: merging would make a cycle`;
      case 'merge_not_found':
        return `no merge ${command.type === 'unmerge' ? (command.mergeEventId ?? '') : ''} of line ${command.lineId}`;
      case 'already_unmerged':
        return `that merge of line ${command.lineId} was already undone`;
      case 'unmerge_before_merge':
        return `the unmerge is dated before the merge it undoes`;
      default: {
        const unhandled: never = code;
        return unhandled;
      }
    }
  }
}

const voids = (refused: { decision: { eventId: string }; code: LinkErrorCode }) =>
  `dated where it is, this decision would make decision ${refused.decision.eventId} void (${refused.code})`;
