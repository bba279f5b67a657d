/** Silences (PRODUCT.md "Alerts"): whether a change is silenced, by its line or one of its areas, at `now`. */
import type { StateChangeV1 } from '@linewatch/contracts';

export interface Silence {
  readonly id: string;
  readonly lineId?: string;
  readonly area?: string;
  readonly from: Date;
  readonly until: Date;
  readonly reason: string;
}

/**
 * The silence that holds back this change's alert, if any: active (`from <= now < until`) and
 * matching the line or one of its areas. A silence naming both a line and an area needs both; one
 * naming neither matches nothing (silencing every alert must be a deliberate act, not an empty
 * form). Of several, the one lasting longest (then the lowest id), so the caller knows the latest
 * end.
 */
export function silenceFor(change: Pick<StateChangeV1, 'lineId' | 'areas'>, silences: readonly Silence[], now: Date): Silence | null {
  const at = now.getTime();
  const matching = silences.filter((s) => {
    if (!(s.from.getTime() <= at && at < s.until.getTime())) return false;
    if (s.lineId === undefined && s.area === undefined) return false;
    return (s.lineId === undefined || s.lineId === change.lineId) && (s.area === undefined || change.areas.includes(s.area));
  });
  matching.sort((a, b) => b.until.getTime() - a.until.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return matching[0] ?? null;
}
