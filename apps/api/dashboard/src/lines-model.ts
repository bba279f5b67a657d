import type { LineSummaryV1, StateChangeV1 as StateChange } from '@linewatch/contracts';
import type { LineState } from './format';

/**
 * A row of the lines list (a UI shape, not an API one): the API's line summary, or — a line first
 * known from a live state change — what the change says of it, without what only the API knows
 * (review date, dormancy override, last update, brands, current number) until the list is loaded again.
 */
export type LineRow = Pick<LineSummaryV1, 'lineId' | 'state' | 'stateSince' | 'area' | 'areas' | 'lastSightingAt' | 'referrals'> &
  Partial<Pick<LineSummaryV1, 'dormancyOverrideDays' | 'updatedAt' | 'reviewDueAt' | 'brands' | 'currentNumber'>>;

export interface LineFilter {
  readonly state: LineState | '';
  readonly area: string;
  readonly brand: string;
}

/** Whether a line, as a state change describes it, belongs in a list with this filter (brand: not known, so no). */
function changeMatches(change: StateChange, filter: LineFilter): boolean {
  if (filter.brand) return false;
  if (filter.state && filter.state !== change.to) return false;
  if (filter.area && !change.areas.includes(filter.area)) return false;
  return true;
}

const SIGHTING_KINDS = new Set(['new', 'reactivated', 'resurfaced']);

/**
 * The list after a live state change: the line's row changes in place (state, since, areas), or a
 * line new to the list is inserted in line-id order (the API's order). A row whose new state no
 * longer matches the state filter stays, so the change is seen; the next load drops it.
 */
export function applyStateChange(lines: readonly LineRow[], change: StateChange, filter: LineFilter, hasMore: boolean): LineRow[] {
  const index = lines.findIndex((line) => line.lineId === change.lineId);
  const sighted = SIGHTING_KINDS.has(change.kind) && (change.cause?.type ?? 'line.sighting') !== 'line.assessed';
  if (index >= 0) {
    const line = lines[index];
    const updated: LineRow = {
      ...line,
      state: change.to,
      stateSince: change.at,
      area: change.area ?? line.area,
      areas: change.areas.length > 0 ? change.areas : line.areas,
      referrals: change.referrals ?? line.referrals,
      lastSightingAt: sighted && (!line.lastSightingAt || line.lastSightingAt < change.at) ? change.at : line.lastSightingAt,
    };
    return [...lines.slice(0, index), updated, ...lines.slice(index + 1)];
  }
  if (!changeMatches(change, filter)) return [...lines];
  const added: LineRow = {
    lineId: change.lineId,
    state: change.to,
    stateSince: change.at,
    area: change.area ?? null,
    areas: change.areas,
    lastSightingAt: sighted ? change.at : null,
    referrals: change.referrals ?? 0,
  };
  const at = lines.findIndex((line) => line.lineId > change.lineId);
  // Past the last row loaded, with more pages to come: it arrives with its page.
  if (at < 0 && hasMore) return [...lines];
  return at < 0 ? [...lines, added] : [...lines.slice(0, at), added, ...lines.slice(at)];
}
