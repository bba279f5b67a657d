/**
 * Dormancy windows. An active line with no sighting for W becomes dormant at last sighting + W.
 * W at an instant X: the line's own window in force at X (the latest override at or before X)
 * > the window of the line's area (the area of its latest sighting) > the global default. The
 * area and global windows are configuration, handed in: they apply to the whole history (a
 * changed setting rewrites it); a line's own window is an event and applies from its instant on.
 * Days are elapsed days of 24 hours (event time is instants, not calendar dates).
 */
import type { LineTimeline } from './line-timeline.model';

export const DEFAULT_DORMANCY_DAYS = 28;

/** Windows in days, positive (config validates them). */
export interface DormancyPolicy {
  readonly defaultDays: number;
  readonly byArea: Readonly<Record<string, number>>;
}

export const DEFAULT_DORMANCY_POLICY: DormancyPolicy = Object.freeze({ defaultDays: DEFAULT_DORMANCY_DAYS, byArea: Object.freeze({}) });

const DAY_MS = 24 * 60 * 60 * 1000;

/** The configured window for an area (own properties only: an area code may be spelled like `constructor`). */
export function areaWindowDays(policy: DormancyPolicy, area: string | null): number {
  return area !== null && Object.hasOwn(policy.byArea, area) ? policy.byArea[area] : policy.defaultDays;
}

type DormancyInputs = Pick<LineTimeline, 'lastSightingAt' | 'area' | 'dormancyOverrides'>;

/**
 * The first instant X ≥ last sighting with X ≥ last sighting + W(X): when the line goes dormant if
 * nothing else happens. An override that shortens the window past the time already elapsed makes
 * the line dormant at the override's instant (it does not rewrite the time before it); one that
 * lengthens it defers dormancy. Null when the line was never sighted.
 */
export function dormancyInstant(line: DormancyInputs, policy: DormancyPolicy): Date | null {
  if (line.lastSightingAt === null) return null;
  const sighted = line.lastSightingAt.getTime();
  let windowDays = areaWindowDays(policy, line.area);
  let segmentStart = sighted;
  for (const override of line.dormancyOverrides) {
    const from = override.from.getTime();
    if (from <= sighted) {
      windowDays = override.days;
      continue;
    }
    const candidate = Math.max(segmentStart, sighted + windowDays * DAY_MS);
    if (candidate < from) return new Date(candidate);
    segmentStart = from;
    windowDays = override.days;
  }
  return new Date(Math.max(segmentStart, sighted + windowDays * DAY_MS));
}
