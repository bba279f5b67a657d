/**
 * Small-number suppression for the partner version of the weekly export (docs/exports.md).
 * Pure and deterministic: the same figures give the same suppression in every format and every
 * export, so two downloads cannot be played against each other.
 *
 * 1. Primary: a count of people (arrests, referrals and their breakdowns) from 1 to threshold − 1
 *    is suppressed. Zero is shown (nobody to identify); so are counts of lines and of raids and
 *    seizures (not people).
 * 2. Secondary, so that no total recovers a suppressed cell — repeated until nothing changes:
 *    - in each row, referrals = children + adults: when exactly one of the three is hidden,
 *      the smaller of the other two is hidden too;
 *    - in each week and figure, the all-areas total = the sum of the areas: when exactly one
 *      cell of the week (the areas and the total) is hidden, the smallest other cell is hidden
 *      too (the total last).
 *    The breakdown by exploitation (criminal, sexual, cuckooing) is not a partition (one
 *    referral may name several): it gets primary suppression and takes part in the area totals.
 */
import { PEOPLE_FIGURES, type WeeklyFigure, type WeeklyRow } from './weekly-figures.rules';

/** How a suppressed cell is shown (the ONS convention for "confidential"). */
export const SUPPRESSED = '[c]';

export type PublishedValue = number | typeof SUPPRESSED;
export type PublishedRow = { readonly area: string; readonly isoWeek: string; readonly weekStart: string } & Readonly<
  Record<WeeklyFigure, PublishedValue>
>;

export interface SuppressionResult {
  readonly rows: PublishedRow[];
  readonly totals: PublishedRow[];
  /** Cells hidden: primary (small) and secondary (to protect them). */
  readonly suppressed: { readonly primary: number; readonly secondary: number };
}

type Cell = { value: number; hidden: boolean };

/**
 * Applies the rule to area rows and the all-areas totals of the same weeks (one total row per
 * week). `threshold` ≤ 1 suppresses nothing.
 */
export function suppressSmallNumbers(rows: readonly WeeklyRow[], totals: readonly WeeklyRow[], threshold: number): SuppressionResult {
  const grid = new Map<WeeklyRow, Map<WeeklyFigure, Cell>>();
  let primary = 0;
  for (const row of [...rows, ...totals]) {
    const cells = new Map<WeeklyFigure, Cell>();
    for (const figure of PEOPLE_FIGURES) {
      const value = row[figure];
      const hidden = value > 0 && value < threshold;
      if (hidden) primary += 1;
      cells.set(figure, { value, hidden });
    }
    grid.set(row, cells);
  }

  let secondary = 0;
  /** When exactly one of `group` is hidden, hide the smallest other (ties: the earlier; `last` goes last). */
  const protect = (group: Cell[]) => {
    const hidden = group.filter((c) => c.hidden);
    if (hidden.length !== 1) return false;
    const candidates = group.filter((c) => !c.hidden);
    if (candidates.length === 0) return false;
    const pick = candidates.reduce((best, c) => (c.value < best.value ? c : best));
    pick.hidden = true;
    secondary += 1;
    return true;
  };

  const totalsByWeek = new Map(totals.map((t) => [t.weekStart, t]));
  for (let changed = true; changed;) {
    changed = false;
    for (const cells of grid.values()) {
      const group = [cells.get('referralsChildren')!, cells.get('referralsAdults')!, cells.get('referrals')!];
      if (protect(group)) changed = true;
    }
    for (const [weekStart, total] of totalsByWeek) {
      for (const figure of PEOPLE_FIGURES) {
        const group = [
          ...rows.filter((r) => r.weekStart === weekStart).map((r) => grid.get(r)!.get(figure)!),
          grid.get(total)!.get(figure)!,
        ];
        if (protect(group)) changed = true;
      }
    }
  }

  const publish = (row: WeeklyRow): PublishedRow => {
    const cells = grid.get(row)!;
    const out: Record<string, unknown> = { ...row };
    for (const [figure, cell] of cells) out[figure] = cell.hidden ? SUPPRESSED : cell.value;
    return out as PublishedRow;
  };
  return { rows: rows.map(publish), totals: totals.map(publish), suppressed: { primary, secondary } };
}
