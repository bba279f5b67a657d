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
  replacementPairKey,
  replacementSuggestionsAfter,
  replacementSuggestionsForEach,
  type LineEnding,
  type ReplacementPolicy,
  type ReplacementSuggestion,
} from '@linewatch/domain';
import { appendLive } from '@linewatch/messaging';
import type { Logger } from '@linewatch/observability';
import type { ReplacementSuggestionsRepository, StoredSuggestion, Tx } from '@linewatch/persistence';
import type Redis from 'ioredis';
import type { ComputedLine } from './line-timelines';

const DAY_MS = 24 * 60 * 60 * 1000;

/** An ending's identity: the same kind at the same instant is the same ending. */
const endingKey = (ending: LineEnding) => `${ending.kind}@${ending.at.getTime()}`;

/**
 * The endings of a line that this computation added (not in the timeline it had before). Endings
 * seen before were checked when they appeared — and a line that appeared after them was checked
 * against them when it appeared — so only these can make a new pair. A catch-up backlog changes
 * most lines' periods in every slice; checking all their endings each time was the cost.
 */
function newEndingsOf(c: ComputedLine): LineEnding[] {
  const endings = lineEndingsOf(c.timeline);
  if (c.stored.snapshot === null) return endings;
  const before = new Set(lineEndingsOf(c.stored.snapshot).map(endingKey));
  return endings.filter((ending) => !before.has(endingKey(ending)));
}

export class ReplacementSuggestions {
  constructor(
    private readonly suggestions: ReplacementSuggestionsRepository,
    private readonly policy: ReplacementPolicy,
    private readonly live?: { readonly redis: Redis; readonly prefix: string; readonly logger: Logger },
  ) {}

  /**
   * Proposes what these lines' changes suggest; returns the suggestions that are new, as stored. A line in
   * `recheck` (it gained a brand, or a link decision changed its family) is checked as if it had
   * just appeared and just ended, with all its endings: pairs its old brands could not make. Two
   * reads for the whole computation, however many lines it brought up to date.
   */
  async after(tx: Tx, computed: readonly ComputedLine[], recheck: ReadonlySet<string> = new Set()): Promise<StoredSuggestion[]> {
    const appeared = computed.filter((c) => c.timeline.periods.length > 0 && (c.stored.state === null || recheck.has(c.timeline.lineId)));
    const ended = computed
      .map((c) => ({
        c,
        // A line that appears AND ends in one slice (sighted then raided, one upload) is both: a new
        // line that appeared in an earlier slice may be its replacement.
        check: recheck.has(c.timeline.lineId) ? lineEndingsOf(c.timeline) : c.periodsChanged ? newEndingsOf(c) : [],
      }))
      .filter(({ check }) => check.length > 0);
    if (appeared.length === 0 && ended.length === 0) return [];
    const lineIds = [...new Set([...appeared, ...ended.map(({ c }) => c)].map((c) => c.timeline.lineId))];
    const brands = await this.suggestions.brandsOf(tx, lineIds);
    // Lines without a brand have nothing to compare (most of a bulk load's new lines, until named).
    if ([...brands.values()].every((mine) => mine.length === 0)) return [];
    const rejected = await this.suggestions.rejectedPairs(tx, lineIds);
    const proposed: ReplacementSuggestion[] = [];

    const newLines = appeared.flatMap((c) => {
      const mine = brands.get(c.timeline.lineId) ?? [];
      const area = c.timeline.area ?? c.timeline.areas[0];
      return mine.length === 0 || area === undefined
        ? []
        : [{ lineId: c.timeline.lineId, brands: mine, area, at: c.timeline.periods[0].from }];
    });
    if (newLines.length > 0) {
      // Every line sharing one of their brands, read once; the rule keeps, per new line, those sharing its own.
      const candidates = (await this.suggestions.candidatesSharingBrands(tx, unionOf(newLines.map((l) => l.brands)))).map((candidate) => ({
        lineId: candidate.lineId,
        brands: candidate.brands,
        areas: candidate.areas,
        endings: candidate.timeline === null ? [] : lineEndingsOf(candidate.timeline),
      }));
      proposed.push(...replacementSuggestionsForEach(newLines, candidates, this.policy, rejected));
    }

    const endedLines = ended.flatMap(({ c, check }) => {
      const mine = brands.get(c.timeline.lineId) ?? [];
      return mine.length === 0
        ? []
        : [{ line: { lineId: c.timeline.lineId, brands: mine, areas: c.timeline.areas, endings: lineEndingsOf(c.timeline) }, check }];
    });
    if (endedLines.length > 0) {
      // The new lines that appeared within the window after any ending to check, read once; the
      // rule reads each ended line's endings (all of them: the reason names the latest one).
      const checked = endedLines.flatMap(({ check }) => check.map((ending) => ending.at.getTime()));
      const from = new Date(Math.min(...checked));
      const to = new Date(Math.max(...checked) + this.policy.windowDays * DAY_MS);
      const appearedAfter = await this.suggestions.newLinesSharingBrands(tx, unionOf(endedLines.map(({ line }) => line.brands)), from, to);
      if (appearedAfter.length > 0)
        for (const { line } of endedLines) proposed.push(...replacementSuggestionsAfter(line, appearedAfter, this.policy, rejected));
    }
    return this.suggestions.propose(tx, dedupe(proposed));
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

function unionOf(lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())].sort();
}

/** One suggestion per pair: the same pair found from both sides in one computation is proposed once. */
function dedupe(suggestions: readonly ReplacementSuggestion[]): ReplacementSuggestion[] {
  const seen = new Map<string, ReplacementSuggestion>();
  for (const suggestion of suggestions) {
    const key = replacementPairKey(suggestion.lineId, suggestion.replaces);
    if (!seen.has(key)) seen.set(key, suggestion);
  }
  return [...seen.values()];
}
