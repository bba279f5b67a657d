/**
 * Alert routing (PRODUCT.md "Alerts"): which neighbourhood teams hear of a change, from the areas
 * of the line's evidence. The routing config is handed in as a plain map (this library does not
 * import libs/config).
 */
import type { StateChangeV1 } from '@linewatch/contracts';

/** The distinct teams of every area the line has evidence in (and of its latest area), sorted; unknown areas are ignored. */
export function teamsFor(change: Pick<StateChangeV1, 'areas' | 'area'>, teamOfArea: Readonly<Record<string, string>>): string[] {
  const areas = change.area === null ? change.areas : [...change.areas, change.area];
  const teams = new Set<string>();
  for (const area of areas) {
    // Own properties only: an area code such as "constructor" must not reach Object.prototype.
    if (Object.prototype.hasOwnProperty.call(teamOfArea, area)) teams.add(teamOfArea[area]);
  }
  return [...teams].sort();
}
