/**
 * Replacement suggestions (PRODUCT.md, "Replacement suggestions"), computed by the tracker in the
 * transaction that brought the lines up to date, with the domain's rule: when a line appears (its
 * first record), against the lines sharing a brand that ended within the window before it; when a
 * line's timeline changes and it has endings (disrupted, deactivated, dormant, closed — maybe
 * reported late), against the lines sharing a brand that appeared within the window after them.
 * Stored once per pair; a rejected pair is never proposed again. Nothing is merged. Once the
 * transaction has committed, the new ones are announced on the live stream to analysts only
 * (`announce`: best effort, as state changes are — the table is the record).
 */
import { replacementSuggestionViewOf } from '@linewatch/contracts';
import {
  lineEndingsOf,
  replacementSuggestionsAfter,
  replacementSuggestionsFor,
  type ReplacementPolicy,
  type ReplacementSuggestion,
} from '@linewatch/domain';
import { appendLive } from '@linewatch/messaging';
import type { Logger } from '@linewatch/observability';
import type { ReplacementSuggestionsRepository, StoredSuggestion, Tx } from '@linewatch/persistence';
import type Redis from 'ioredis';
import type { ComputedLine } from './line-timelines';

const DAY_MS = 24 * 60 * 60 * 1000;

export class ReplacementSuggestions {
  constructor(
    private readonly suggestions: ReplacementSuggestionsRepository,
    private readonly policy: ReplacementPolicy,
    private readonly live?: { readonly redis: Redis; readonly prefix: string; readonly logger: Logger },
  ) {}

  /** Proposes what these lines' changes suggest; returns the suggestions that are new, as stored. */
  async after(tx: Tx, computed: readonly ComputedLine[]): Promise<StoredSuggestion[]> {
    const appeared = computed.filter((c) => c.stored.state === null && c.timeline.periods.length > 0);
    // A line that appears AND ends in one batch (sighted then raided, one upload) is both: a new line
    // that appeared earlier, in a slice before this one, may be its replacement.
    const ended = computed.filter((c) => c.periodsChanged && lineEndingsOf(c.timeline).length > 0);
    if (appeared.length === 0 && ended.length === 0) return [];
    const lineIds = [...appeared, ...ended].map((c) => c.timeline.lineId);
    const brands = await this.suggestions.brandsOf(tx, lineIds);
    // Lines without a brand have nothing to compare (most of a bulk load's new lines, until named).
    if ([...brands.values()].every((mine) => mine.length === 0)) return [];
    const rejected = await this.suggestions.rejectedPairs(tx, lineIds);
    const proposed: ReplacementSuggestion[] = [];
    for (const c of appeared) {
      const lineId = c.timeline.lineId;
      const mine = brands.get(lineId) ?? [];
      const area = c.timeline.area ?? c.timeline.areas[0];
      if (mine.length === 0 || area === undefined) continue;
      const candidates = (await this.suggestions.candidatesSharingBrands(tx, mine, lineId)).map((candidate) => ({
        lineId: candidate.lineId,
        brands: candidate.brands,
        areas: candidate.areas,
        endings: candidate.timeline === null ? [] : lineEndingsOf(candidate.timeline),
      }));
      proposed.push(
        ...replacementSuggestionsFor({ lineId, brands: mine, area, at: c.timeline.periods[0].from }, candidates, this.policy, rejected),
      );
    }
    for (const c of ended) {
      const lineId = c.timeline.lineId;
      const mine = brands.get(lineId) ?? [];
      if (mine.length === 0) continue;
      const endings = lineEndingsOf(c.timeline);
      const from = endings[0].at;
      const to = new Date(endings[endings.length - 1].at.getTime() + this.policy.windowDays * DAY_MS);
      const newLines = await this.suggestions.newLinesSharingBrands(tx, mine, lineId, from, to);
      if (newLines.length === 0) continue;
      proposed.push(
        ...replacementSuggestionsAfter({ lineId, brands: mine, areas: c.timeline.areas, endings }, newLines, this.policy, rejected),
      );
    }
    // The same pair may come from both sides when both lines are in this batch: proposed once.
    const pairs = new Map(proposed.map((s) => [JSON.stringify([s.lineId, s.replaces]), s]));
    return this.suggestions.propose(tx, [...pairs.values()]);
  }

  /**
   * Announces new suggestions on the live stream, to analysts only (`roles`), with the areas of
   * their reasons; call it after the transaction that stored them committed. A failure is logged:
   * the suggestion is listed all the same.
   */
  async announce(suggested: readonly StoredSuggestion[]): Promise<void> {
    if (suggested.length === 0 || this.live === undefined) return;
    const { redis, prefix, logger } = this.live;
    await appendLive(
      redis,
      prefix,
      suggested.map((s) => ({
        type: 'replacement-suggestion' as const,
        areas: [...new Set([s.reasons.area, ...s.reasons.matchingAreas])],
        roles: ['analyst' as const],
        data: replacementSuggestionViewOf(s),
      })),
    ).catch((error: unknown) => logger.warn({ err: error }, 'replacement suggestions not announced on the live stream (Redis)'));
  }
}
