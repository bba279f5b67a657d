import { Inject, Injectable } from '@nestjs/common';
import { topicNames, type LineLinkV1 } from '@linewatch/contracts';
import { linkDecisionOf, linkStateOf, type LinkErrorCode } from '@linewatch/domain';
import {
  AuditRepository,
  Database,
  LineLinksRepository,
  LinesRepository,
  OutboxRepository,
  type AliasRow,
  type DisclosureEntry,
  type StoredSuggestion,
  type Tx,
} from '@linewatch/persistence';
import type { LineIdentities } from './line-identities';
import type { LineTimelines } from './line-timelines';
import type { ReplacementSuggestions } from './replacement-suggestions';
import { TRACKER_CONFIG, type TrackerConfig } from './tracker.config';
import { LINE_IDENTITIES, LINE_TIMELINES, REPLACEMENT_SUGGESTIONS } from './tracker.tokens';

export type LinkOutcome =
  | { readonly outcome: 'applied'; readonly changes: number }
  | { readonly outcome: 'duplicate' }
  | { readonly outcome: 'refused'; readonly code: string; readonly message: string };

/** The dead-letter code of a refused decision (the domain's code, upper case like every rejection code). */
export function linkRejectionCode(code: LinkErrorCode): string {
  return code.toUpperCase();
}

const rootIn = (aliases: readonly AliasRow[]) => {
  const roots = new Map(aliases.map((a) => [a.aliasId, a.rootId]));
  return (lineId: string) => roots.get(lineId) ?? lineId;
};

/**
 * A link decision from the input topic (PRODUCT.md, "Links"), in its own transaction, one decision
 * at a time across all tracker instances (an exclusive advisory lock the batches share):
 * recorded once per eventId; judged with the domain's rule against every decision already applied,
 * folded in event time (`linkStateOf`) — a decision that would be refused, or would make an
 * earlier one refused, is not applied and the caller dead-letters it with the code. Applied: the
 * aliases are rewritten, every line whose family changed is recomputed from the union of its
 * family's events (timeline, identity) and written through the same path as a batch, so an alert
 * goes out only when a surviving line's current state changes; lines that became aliases give up
 * their periods and identifiers; the decision is an s.62 `combination` entry.
 */
@Injectable()
export class ApplyLineLinksUseCase {
  private get topic(): string {
    return topicNames(this.config.kafka.topicPrefix).lineStateChanges;
  }

  constructor(
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    private readonly database: Database,
    private readonly links: LineLinksRepository,
    private readonly lines: LinesRepository,
    private readonly outbox: OutboxRepository,
    private readonly audit: AuditRepository,
    @Inject(LINE_TIMELINES) private readonly timelines: LineTimelines,
    @Inject(LINE_IDENTITIES) private readonly identities: LineIdentities,
    @Inject(REPLACEMENT_SUGGESTIONS) private readonly suggestions: ReplacementSuggestions,
  ) {}

  async execute(event: LineLinkV1, now: Date): Promise<LinkOutcome> {
    const { outcome, suggested } = await this.database.transaction((tx) => this.apply(tx, event, now));
    await this.suggestions.announce(suggested);
    return outcome;
  }

  private async apply(tx: Tx, event: LineLinkV1, now: Date): Promise<{ outcome: LinkOutcome; suggested: StoredSuggestion[] }> {
    await this.links.lockForDecision(tx);
    if ((await this.links.recorded(tx, [event.eventId])).has(event.eventId)) return { outcome: { outcome: 'duplicate' }, suggested: [] };
    const applied = (await this.links.decisions(tx)).map((r) => r.decision);
    const decision = linkDecisionOf(event);
    const before = linkStateOf(applied);
    const after = linkStateOf([...applied, decision]);
    const wasRefused = new Set(before.refused.map((r) => r.decision.eventId));
    const refused = after.refused.filter((r) => !wasRefused.has(r.decision.eventId));
    if (refused.length > 0) {
      const own = refused.find((r) => r.decision.eventId === decision.eventId);
      const code = own?.code ?? refused[0].code;
      const message = own
        ? `line link ${event.type} refused: ${code}`
        : `line link ${event.type} refused: it would make decision ${refused[0].decision.eventId} (${refused[0].code}) void`;
      return { outcome: { outcome: 'refused', code: linkRejectionCode(code), message }, suggested: [] };
    }

    await this.links.record(tx, event);
    const attached = event.type === 'line.identifier_attached' ? await this.identities.record(tx, [event]) : new Set<string>();
    const { before: aliasesBefore, after: aliasesAfter } = await this.links.replaceAliases(tx, after.state);
    const rootBefore = rootIn(aliasesBefore);
    const rootAfter = rootIn(aliasesAfter);

    // Every line whose root moved, and the lines the decision names: their families before and after.
    const moved = new Set<string>([event.lineId, ...(event.type === 'line.merged' ? [event.body.into] : []), ...attached]);
    for (const alias of [...aliasesBefore, ...aliasesAfter])
      if (rootBefore(alias.aliasId) !== rootAfter(alias.aliasId)) moved.add(alias.aliasId);
    const aliasesNow = new Set(aliasesAfter.map((a) => a.aliasId));
    const affected = new Set([...moved].flatMap((lineId) => [rootBefore(lineId), rootAfter(lineId)]));
    const roots = [...affected].filter((lineId) => !aliasesNow.has(lineId)).sort();
    const retired = [...affected].filter((lineId) => aliasesNow.has(lineId)).sort();

    const locked = await this.lines.lock(tx, [...roots, ...retired]);
    const recomputed = await this.timelines.recompute(tx, roots, now);
    const computed = this.timelines.fromScratch(new Map(roots.map((lineId) => [lineId, locked.get(lineId)!])), recomputed);
    await this.timelines.save(tx, computed);
    await this.links.retire(tx, retired);
    await this.identities.clear(tx, retired);
    await this.identities.recompute(tx, roots);
    // A family changed: its brands and endings are the union's now — check the roots as new.
    const suggested = await this.suggestions.after(tx, computed, new Set(roots));
    const changes = await this.timelines.changesOf(tx, computed, [], 'events', now);
    await this.outbox.append(tx, this.topic, changes);
    await this.audit.append(tx, [this.combinationEntry(event, roots, retired, now)]);
    return { outcome: { outcome: 'applied', changes: changes.length }, suggested };
  }

  /** The s.62 combination entry: who decided, why, which lines and identifiers, and what it left. */
  private combinationEntry(event: LineLinkV1, roots: readonly string[], retired: readonly string[], now: Date): DisclosureEntry {
    const what = (() => {
      switch (event.type) {
        case 'line.merged':
          return { decision: 'merge', lines: [event.lineId, event.body.into], into: event.body.into };
        case 'line.unmerged':
          return { decision: 'unmerge', lines: [event.lineId], mergeEventId: event.body.mergeEventId };
        case 'line.identifier_attached':
          return {
            decision: 'attach',
            lines: [event.lineId],
            identifier:
              event.body.msisdn !== undefined ? { kind: 'msisdn', value: event.body.msisdn } : { kind: 'imei', value: event.body.imei },
          };
        default: {
          const unhandled: never = event;
          return unhandled;
        }
      }
    })();
    return {
      actor: event.body.decidedBy,
      action: 'combination',
      subjectType: 'line',
      subjectId: event.type === 'line.merged' ? event.body.into : event.lineId,
      justification: event.body.justification,
      details: { ...what, eventId: event.eventId, type: event.type, occurredAt: event.occurredAt, recomputed: roots, retired },
      at: now,
    };
  }
}
