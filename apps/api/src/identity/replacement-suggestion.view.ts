import type { ReplacementSuggestionV1 } from '@linewatch/contracts';
import type { StoredSuggestion } from '@linewatch/persistence';

/** A suggestion's id: `<new line>~<line it may replace>` (`~` is never part of a line id; SUGGESTION_ID_PATTERN). */
export function suggestionIdOf(pair: { readonly lineId: string; readonly replaces: string }): string {
  return `${pair.lineId}~${pair.replaces}`;
}

/** The pair a (validated) suggestion id names. */
export function pairOf(suggestionId: string): { lineId: string; replaces: string } {
  const [lineId, replaces] = suggestionId.split('~');
  return { lineId, replaces };
}

export function suggestionView(s: StoredSuggestion): ReplacementSuggestionV1 {
  return {
    id: suggestionIdOf(s),
    lineId: s.lineId,
    replaces: s.replaces,
    status: s.status,
    reasons: {
      brands: [...s.reasons.brands],
      area: s.reasons.area,
      sameArea: s.reasons.sameArea,
      matchingAreas: [...s.reasons.matchingAreas],
      // Stored as JSON: the instant is its ISO text already.
      ending: { kind: s.reasons.ending.kind, at: new Date(s.reasons.ending.at).toISOString() },
      daysBetween: s.reasons.daysBetween,
    },
    suggestedAt: s.suggestedAt.toISOString(),
    decidedAt: s.decidedAt?.toISOString() ?? null,
    decidedBy: s.decidedBy,
    decisionReason: s.decisionReason,
  };
}
