/**
 * The events naming one line, as the two halves migration 0055 indexes: those naming it first
 * (`intel_events_first_line_time`, a B-tree range in time order) and those naming it after another
 * line (`intel_events_other_lines`, a partial GIN over the few events naming several lines). A
 * query selects from each half with its own time bounds or order and combines them (`UNION ALL`:
 * an event is in exactly one half). A recomputation reads whole histories the same way
 * (`eventsOfLinesHalves`): `line_ids && $ids` tests every id against every row the planner
 * reaches, and before the table has statistics it reaches every row — 1.5 s to read the 7,000
 * events of a new slice's 400 lines, where `line_ids[1] = ANY($ids)` (hashed) took 30 ms.
 */
export function eventsOfLineHalves(lineParam: string): readonly [first: string, other: string] {
  return [
    `line_ids[1] = ${lineParam}`,
    `cardinality(line_ids) > 1 AND line_ids @> ARRAY[${lineParam}]::text[] AND line_ids[1] <> ${lineParam}`,
  ];
}

/**
 * `eventsOfLineHalves` for several lines at once (a line and the lines merged into it), bound as
 * one text array at `idsParam` — a parameter, never a subquery: the planner must see the ids to
 * estimate how few rows they name. Behind an `InitPlan` it assumed thousands and chose to read
 * `intel_events` in time order until enough matched: ~240,000 rows per batch of a full-size
 * erasure, and the whole table to find that an erased line has none left (docs/benchmarks.md).
 */
export function eventsOfLinesHalves(idsParam: string): readonly [first: string, other: string] {
  return [
    `line_ids[1] = ANY(${idsParam})`,
    `cardinality(line_ids) > 1 AND line_ids && ${idsParam} AND NOT (line_ids[1] = ANY(${idsParam}))`,
  ];
}
