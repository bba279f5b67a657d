/**
 * The count columns of `area_week_line_counts` and `week_line_totals` (migration 0007), one per line
 * figure and named as the flags of `line_week_figures`. The migration keeps its own copy: a committed
 * migration must not change when this list does (a new column comes with a new migration).
 */
export const LINE_COUNT_COLUMNS = [
  'active',
  'active_at_week_end',
  'new_line',
  'reactivated',
  'resurfaced',
  'went_dormant',
  'disrupted',
  'closed_type_1',
  'closed_type_2',
] as const;
