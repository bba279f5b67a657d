/**
 * Replacement suggestions (PRODUCT.md, "Replacement suggestions"): a new line whose first record
 * shares a brand with another line that was disrupted, deactivated, went dormant or closed within
 * the replacement window before it, in the same or a neighbouring area, is shown to analysts as a
 * "possible replacement of line X" with the reasons. A suggestion never merges anything; a
 * rejected pair is never proposed again. Pure: lines, areas and rejections are data.
 */
import { normaliseBrand } from './identifier.normalise';
import type { LineTimeline } from './line-timeline.model';

export const DEFAULT_REPLACEMENT_WINDOW_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

export type EndingKind = 'disrupted' | 'deactivated' | 'dormant' | 'closed';

/** An instant at which a line stopped operating as it was (what a replacement follows). */
export interface LineEnding {
  readonly kind: EndingKind;
  readonly at: Date;
}

/** A new line's first record. */
export interface NewLineRecord {
  readonly lineId: string;
  readonly brands: readonly string[];
  readonly area: string;
  readonly at: Date;
}

/** Another line as the rule reads it. */
export interface CandidateLine {
  readonly lineId: string;
  readonly brands: readonly string[];
  /** Every area it has evidence in. */
  readonly areas: readonly string[];
  readonly endings: readonly LineEnding[];
}

export interface ReplacementPolicy {
  readonly windowDays: number;
  /** Configured neighbours of each area (`config/areas.json`); read both ways (a neighbour of b is b's neighbour). */
  readonly neighbours: Readonly<Record<string, readonly string[]>>;
}

export interface ReplacementSuggestion {
  /** The new line… */
  readonly lineId: string;
  /** …possibly the replacement of this one. */
  readonly replaces: string;
  readonly reasons: {
    /** The brands both used, in compared form, sorted. */
    readonly brands: readonly string[];
    /** The new line's area, and the candidate's areas that are it or its neighbours. */
    readonly area: string;
    readonly sameArea: boolean;
    readonly matchingAreas: readonly string[];
    /** The candidate's ending the new line followed (the latest within the window at or before its first record). */
    readonly ending: LineEnding;
    /** Days from the ending to the new line's first record, to one decimal. */
    readonly daysBetween: number;
  };
}

/** The key of a pair (new line, candidate) for the set of rejected pairs. */
export function replacementPairKey(lineId: string, replaces: string): string {
  return JSON.stringify([lineId, replaces]);
}

function neighbourly(policy: ReplacementPolicy, a: string, b: string): boolean {
  return a === b || (policy.neighbours[a] ?? []).includes(b) || (policy.neighbours[b] ?? []).includes(a);
}

const brandSet = (brands: readonly string[]) => new Set(brands.map(normaliseBrand).filter((brand): brand is string => brand !== null));

/** Why `candidate` may have been replaced by `line`, or null when it does not qualify. */
export function replacementReasons(
  line: NewLineRecord,
  candidate: CandidateLine,
  policy: ReplacementPolicy,
): ReplacementSuggestion['reasons'] | null {
  if (candidate.lineId === line.lineId) return null;
  const mine = brandSet(line.brands);
  const brands = [...brandSet(candidate.brands)].filter((brand) => mine.has(brand)).sort();
  if (brands.length === 0) return null;
  const matchingAreas = candidate.areas.filter((area) => neighbourly(policy, line.area, area)).sort();
  if (matchingAreas.length === 0) return null;
  const t = line.at.getTime();
  const ending = candidate.endings
    .filter((e) => e.at.getTime() <= t && t - e.at.getTime() <= policy.windowDays * DAY_MS)
    .sort((a, b) => b.at.getTime() - a.at.getTime() || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0))[0];
  if (ending === undefined) return null;
  return {
    brands,
    area: line.area,
    sameArea: matchingAreas.includes(line.area),
    matchingAreas,
    ending,
    daysBetween: Math.round((t - ending.at.getTime()) / (DAY_MS / 10)) / 10,
  };
}

const bySuggestion = (a: ReplacementSuggestion, b: ReplacementSuggestion) =>
  a.reasons.daysBetween - b.reasons.daysBetween ||
  (a.lineId < b.lineId ? -1 : a.lineId > b.lineId ? 1 : 0) ||
  (a.replaces < b.replaces ? -1 : a.replaces > b.replaces ? 1 : 0);

/** When a new line appears: the lines it may replace, closest first; rejected pairs left out. */
export function replacementSuggestionsFor(
  line: NewLineRecord,
  candidates: readonly CandidateLine[],
  policy: ReplacementPolicy,
  rejected: ReadonlySet<string> = new Set(),
): ReplacementSuggestion[] {
  return candidates
    .filter((candidate) => !rejected.has(replacementPairKey(line.lineId, candidate.lineId)))
    .flatMap((candidate) => {
      const reasons = replacementReasons(line, candidate, policy);
      return reasons === null ? [] : [{ lineId: line.lineId, replaces: candidate.lineId, reasons }];
    })
    .sort(bySuggestion);
}

/**
 * `replacementSuggestionsFor` for each of several new lines, in their order — the same answer,
 * without comparing every line with every candidate: candidates are indexed by compared brand
 * once, and those with no ending at all (most of them in a bulk load of new lines) left out,
 * since neither can make a pair. A slice of thousands of new lines sharing one brand with
 * thousands of stored ones was a product of the two (minutes of CPU a slice).
 */
export function replacementSuggestionsForEach(
  lines: readonly NewLineRecord[],
  candidates: readonly CandidateLine[],
  policy: ReplacementPolicy,
  rejected: ReadonlySet<string> = new Set(),
): ReplacementSuggestion[] {
  const byBrand = new Map<string, CandidateLine[]>();
  for (const candidate of candidates) {
    if (candidate.endings.length === 0) continue;
    for (const brand of brandSet(candidate.brands)) {
      const listed = byBrand.get(brand);
      if (listed === undefined) byBrand.set(brand, [candidate]);
      else listed.push(candidate);
    }
  }
  return lines.flatMap((line) => {
    const sharing = new Set<CandidateLine>();
    for (const brand of brandSet(line.brands)) for (const candidate of byBrand.get(brand) ?? []) sharing.add(candidate);
    return replacementSuggestionsFor(line, [...sharing], policy, rejected);
  });
}

/**
 * When a line is disrupted, deactivated or closed (maybe reported late): the new lines that
 * appeared within the window after it and may replace it. The same rule, from the other side.
 */
export function replacementSuggestionsAfter(
  ended: CandidateLine,
  newLines: readonly NewLineRecord[],
  policy: ReplacementPolicy,
  rejected: ReadonlySet<string> = new Set(),
): ReplacementSuggestion[] {
  return newLines
    .filter((line) => !rejected.has(replacementPairKey(line.lineId, ended.lineId)))
    .flatMap((line) => {
      const reasons = replacementReasons(line, ended, policy);
      return reasons === null ? [] : [{ lineId: line.lineId, replaces: ended.lineId, reasons }];
    })
    .sort(bySuggestion);
}

/**
 * The endings of a line from its timeline: the start of every disrupted (a deactivation's:
 * `deactivated`), dormant and closed period, and every deactivation in its evidence. A compacted
 * timeline lacks older evidence: a disruption whose cause is not in it counts as `disrupted`.
 */
export function lineEndingsOf(timeline: LineTimeline): LineEnding[] {
  const typeOf = new Map(timeline.evidence.map((entry) => [entry.event.eventId, entry.event.type]));
  // A number cut off while the line was already disrupted changes no state, but is still an ending a replacement follows.
  const deactivations = timeline.evidence
    .filter((entry) => entry.event.type === 'line.deactivated')
    .map((entry): LineEnding => ({ kind: 'deactivated', at: entry.event.occurredAt }));
  const starts = timeline.periods.flatMap((period): LineEnding[] => {
    switch (period.state) {
      case 'disrupted': {
        const deactivated = period.cause.eventId !== null && typeOf.get(period.cause.eventId) === 'line.deactivated';
        return [{ kind: deactivated ? 'deactivated' : 'disrupted', at: period.from }];
      }
      case 'dormant':
      case 'closed':
        return [{ kind: period.state, at: period.from }];
      case 'active':
        return [];
      default: {
        const unhandled: never = period.state;
        return unhandled;
      }
    }
  });
  const seen = new Set<string>();
  return [...starts, ...deactivations]
    .filter((ending) => {
      const key = `${ending.kind}@${ending.at.getTime()}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.at.getTime() - b.at.getTime() || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
}
