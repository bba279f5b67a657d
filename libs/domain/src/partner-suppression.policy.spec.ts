import { SUPPRESSED, suppressSmallNumbers } from './partner-suppression.policy';
import { zeroCounts, type WeeklyRow } from './weekly-figures.rules';

const row = (area: string, counts: Partial<WeeklyRow>, weekStart = '2026-11-23'): WeeklyRow => ({
  ...zeroCounts(),
  area,
  isoWeek: '2026-W48',
  weekStart,
  ...counts,
});

/** Totals as the export computes them: the sum of the areas for event counts. */
const totalOf = (rows: WeeklyRow[]): WeeklyRow => {
  const t: Record<string, unknown> = { ...row('all', {}) };
  for (const r of rows) for (const k of Object.keys(zeroCounts())) t[k] = (t[k] as number) + (r[k as keyof WeeklyRow] as number);
  return t as unknown as WeeklyRow;
};

describe('partner suppression', () => {
  it('hides counts of people from 1 to threshold − 1, shows zero and large counts, never hides lines, raids or seizures', () => {
    const rows = [row('bath', { arrests: 0, referralsCriminal: 7, linesActive: 2, raids: 1, seizures: 3, referralsSexual: 4 })];
    const { rows: out } = suppressSmallNumbers(rows, [], 5);
    expect(out[0]).toMatchObject({ arrests: 0, referralsCriminal: 7, linesActive: 2, raids: 1, seizures: 3, referralsSexual: SUPPRESSED });
  });

  it('children + adults = referrals: one hidden part hides the smaller other cell, so the total cannot recover it', () => {
    const { rows: out } = suppressSmallNumbers([row('bath', { referrals: 12, referralsChildren: 2, referralsAdults: 10 })], [], 5);
    expect(out[0]).toMatchObject({ referrals: 12, referralsChildren: SUPPRESSED, referralsAdults: SUPPRESSED });
  });

  it('the all-areas total cannot recover one hidden area: the smallest other area is hidden too', () => {
    const areas = [row('bath', { arrests: 9 }), row('keynsham', { arrests: 3 }), row('paulton', { arrests: 6 })];
    const { rows: out, totals, suppressed } = suppressSmallNumbers(areas, [totalOf(areas)], 5);
    expect(out.map((r) => r.arrests)).toEqual([9, SUPPRESSED, SUPPRESSED]);
    expect(totals[0].arrests).toBe(18);
    expect(suppressed).toEqual({ primary: 1, secondary: 1 });
  });

  it('no suppressed cell can be recovered from the published cells of its groups (any data)', () => {
    // Brute check on a grid: for every group with a total, the hidden cells are never exactly one.
    for (let seed = 0; seed < 200; seed += 1) {
      const values = Array.from({ length: 4 }, (_, i) => (seed * (i + 3)) % 9);
      const areas = values.map((v, i) =>
        row(`a${i}`, { referralsChildren: v, referralsAdults: (v * 7) % 6, referrals: v + ((v * 7) % 6) }),
      );
      const { rows: out, totals } = suppressSmallNumbers(areas, [totalOf(areas)], 5);
      for (const figure of ['referrals', 'referralsChildren', 'referralsAdults'] as const) {
        const hidden = [...out, ...totals].filter((r) => r[figure] === SUPPRESSED).length;
        expect(hidden === 0 || hidden >= 2).toBe(true);
      }
      for (const r of out) {
        const hidden = [r.referrals, r.referralsChildren, r.referralsAdults].filter((v) => v === SUPPRESSED).length;
        expect(hidden === 0 || hidden >= 2).toBe(true);
      }
    }
  });

  it('threshold 1 or below hides nothing', () => {
    const { suppressed } = suppressSmallNumbers([row('bath', { arrests: 1, referrals: 1, referralsAdults: 1 })], [], 1);
    expect(suppressed).toEqual({ primary: 0, secondary: 0 });
  });
});
