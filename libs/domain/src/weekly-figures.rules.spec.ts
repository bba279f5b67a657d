import fc from 'fast-check';
import type { LineEvent } from './line-event.model';
import { computeTimeline } from './line-timeline.projection';
import type { LineTimeline } from './line-timeline.model';
import { isoWeekOf } from './london-week.calendar';
import { LINE_FIGURES, assembleWeeklyRows, lineWeekFigures, type LineFigure, type LineWeekInput } from './weekly-figures.rules';
import { isoWeeksBetween } from './london-week.calendar';
import { POLICY, closure, day, dormancyOverride, raid, reopen, sighting } from './testing/line-events.factory';

// Day 0 is Monday 2026-01-05 (2026-W02), in GMT: local and UTC days agree.
const NOW = day(70);

/** What the persistence layer hands the rule for a line: its periods, the instants its area changed, its first area. */
function inputOf(timeline: LineTimeline, now = NOW): LineWeekInput {
  const marks = timeline.evidence
    .filter((e) => e.effect.kind !== 'graded_e_ignored')
    .filter(
      (e) =>
        e.event.type === 'line.sighting' ||
        e.event.type === 'line.number_changed' ||
        (e.event.type === 'line.assessed' && e.event.decision === 'reopen'),
    )
    .map((e) => ({ at: e.event.occurredAt, area: e.event.area }));
  const first = timeline.evidence.find((e) => e.event.eventId === timeline.periods[0]?.cause.eventId);
  return {
    lineId: timeline.lineId,
    periods: timeline.periods.map((p) => ({
      state: p.state,
      from: p.from,
      to: p.to,
      transition: p.cause.kind,
      closureType: p.closureType ?? null,
    })),
    areaMarks: marks,
    firstArea: first?.event.area ?? 'unknown',
    now,
  };
}

function figuresOf(lineId: string, events: LineEvent[], now = NOW) {
  const { rows, recheckAt } = lineWeekFigures(inputOf(computeTimeline(lineId, events, now, POLICY), now));
  const table = rows.map((r) => ({ area: r.area, week: r.weekStart, set: LINE_FIGURES.filter((f) => r.flags[f]).join(' ') }));
  return { table, recheckAt };
}

describe('weekly line figures (hand-checked)', () => {
  it('a line that reactivates twice in one week counts once in each figure of that week', () => {
    const line = 'twice';
    const o = { line };
    const { table } = figuresOf(line, [
      sighting(0.4, o), // Monday W02: new
      dormancyOverride(0.5, 1, o), // a one-day window: dormant at day 1.4
      sighting(2, o), // reactivated; dormant at day 3
      sighting(4, o), // reactivated again; dormant at day 5
      raid(8, { ...o, area: 'keynsham' }), // W03: disrupted, still counted in bath (the line's area)
    ]);
    expect(table).toEqual([
      { area: 'bath', week: '2026-01-05', set: 'linesActive new reactivated wentDormant' },
      { area: 'bath', week: '2026-01-12', set: 'disrupted' },
    ]);
  });

  it('a line that moves area is active in both areas that week, and active at week end only where it ended', () => {
    const line = 'mover';
    const { table, recheckAt } = figuresOf(line, [sighting(0, { line }), sighting(3, { line, area: 'keynsham' })]);
    // keynsham's window is 14 days: dormant at day 17 (W04, Wednesday).
    expect(table).toEqual([
      { area: 'bath', week: '2026-01-05', set: 'linesActive new' },
      { area: 'keynsham', week: '2026-01-05', set: 'linesActive activeAtWeekEnd' },
      { area: 'keynsham', week: '2026-01-12', set: 'linesActive activeAtWeekEnd' },
      { area: 'keynsham', week: '2026-01-19', set: 'linesActive wentDormant' },
    ]);
    expect(recheckAt).toBeNull();
  });

  it('a line first seen by a raid is disrupted in the raid’s area; closures count by type', () => {
    expect(figuresOf('raided', [raid(1, { line: 'raided', area: 'paulton' })]).table).toEqual([
      { area: 'paulton', week: '2026-01-05', set: 'disrupted' },
    ]);
    const line = 'closed';
    expect(
      figuresOf(line, [sighting(1, { line, area: 'radstock' }), closure(2, 2, { line }), reopen(9, { line }), closure(1, 10, { line })])
        .table,
    ).toEqual([
      { area: 'radstock', week: '2026-01-05', set: 'linesActive new closedType2' },
      // reopened in bath (the assessment's area), then closed Type 1 a day later
      { area: 'bath', week: '2026-01-12', set: 'linesActive resurfaced closedType1' },
    ]);
  });

  it('sighted and raided at one instant: new and disrupted (a zero-length active period), not active at week end', () => {
    const line = 'instant';
    expect(figuresOf(line, [sighting(2, { line }), raid(2, { line })]).table).toEqual([
      { area: 'bath', week: '2026-01-05', set: 'linesActive new disrupted' },
    ]);
  });

  it('an active line with no end yet is counted up to the week in progress and asks to be looked at again next week', () => {
    const line = 'open';
    const now = day(16.5); // Wednesday of W04
    const { table, recheckAt } = figuresOf(line, [sighting(10, { line })], now);
    expect(table.map((r) => r.week)).toEqual(['2026-01-12', '2026-01-19']);
    expect(table[1].set).toBe('linesActive activeAtWeekEnd');
    expect(recheckAt).toEqual(day(21)); // Monday of W05
  });
});

describe('weekly line figures (properties)', () => {
  const areas = ['bath', 'keynsham', 'paulton'];
  const anEvent = fc.oneof(
    fc.record({ kind: fc.constant('sighting'), at: fc.integer({ min: 0, max: 80 * 4 }), area: fc.constantFrom(...areas) }),
    fc.record({ kind: fc.constant('raid'), at: fc.integer({ min: 0, max: 80 * 4 }), area: fc.constantFrom(...areas) }),
    fc.record({ kind: fc.constantFrom('close1', 'reopen'), at: fc.integer({ min: 0, max: 80 * 4 }), area: fc.constantFrom(...areas) }),
  );
  const toEvent = (e: { kind: string; at: number; area: string }, i: number): LineEvent => {
    const o = { line: 'p', area: e.area, id: `ev-${String(i).padStart(4, '0')}` };
    const days = e.at / 4;
    if (e.kind === 'sighting') return sighting(days, o);
    if (e.kind === 'raid') return raid(days, o);
    if (e.kind === 'reopen') return reopen(days, o);
    return closure(1, days, o);
  };

  it('active at week end implies active in the week, in one area at most, and agrees with the state at the week’s last instant', () => {
    fc.assert(
      fc.property(fc.array(anEvent, { minLength: 1, maxLength: 25 }), (raw) => {
        const timeline = computeTimeline('p', raw.map(toEvent), NOW, POLICY);
        const { rows } = lineWeekFigures(inputOf(timeline));
        const weeks = new Map<string, string[]>();
        const atEnd = rows.filter((row) => row.flags.activeAtWeekEnd);
        expect(atEnd.every((row) => row.flags.linesActive)).toBe(true);
        for (const row of atEnd) weeks.set(row.weekStart, [...(weeks.get(row.weekStart) ?? []), row.area]);
        for (const areasAtEnd of weeks.values()) expect(areasAtEnd).toHaveLength(1);
        for (const week of isoWeeksBetween('2026-01-05', '2026-03-15')) {
          const last = new Date(week.end.getTime() - 1);
          const period = timeline.periods.find((p) => p.from <= last && (p.to === null || p.to > last));
          const expected = period?.state === 'active';
          expect(rows.some((r) => r.weekStart === week.weekStart && r.flags.activeAtWeekEnd)).toBe(expected);
        }
        // every transition is flagged in its week
        for (const p of timeline.periods) {
          const f: Record<string, LineFigure> = {
            new: 'new',
            reactivated: 'reactivated',
            resurfaced: 'resurfaced',
            went_dormant: 'wentDormant',
            disrupted: 'disrupted',
          };
          const figure = p.cause.kind === 'closed' ? (p.closureType === 2 ? 'closedType2' : 'closedType1') : f[p.cause.kind];
          expect(rows.some((r) => r.weekStart === isoWeekOf(p.from).weekStart && r.flags[figure])).toBe(true);
        }
      }),
    );
  });
});

describe('weekly line figures: repeated sightings in the area in effect change nothing', () => {
  const areas = ['bath', 'keynsham', 'paulton'];
  const events = fc.array(
    fc.record({
      kind: fc.constantFrom('sighting', 'raid', 'reopen'),
      at: fc.integer({ min: 0, max: 80 * 4 }),
      area: fc.constantFrom(...areas),
    }),
    { minLength: 1, maxLength: 20 },
  );
  const toEvent = (e: { kind: string; at: number; area: string }, i: number): LineEvent => {
    const o = { line: 'r', area: e.area, id: `ev-${String(i).padStart(4, '0')}` };
    if (e.kind === 'sighting') return sighting(e.at / 4, o);
    if (e.kind === 'raid') return raid(e.at / 4, o);
    return reopen(e.at / 4, o);
  };

  it('the same rows with extra marks (at new instants) repeating the area then in effect', () => {
    fc.assert(
      fc.property(events, fc.array(fc.integer({ min: 0, max: 80 * 24 * 60 }), { maxLength: 30 }), (raw, extraMinutes) => {
        const input = inputOf(computeTimeline('r', raw.map(toEvent), NOW, POLICY));
        const taken = new Set(input.areaMarks.map((m) => m.at.getTime()));
        // The area in effect at t, worked out naively: the last mark at or before t, else the first area.
        const areaAt = (t: number) => input.areaMarks.filter((m) => m.at.getTime() <= t).pop()?.area ?? input.firstArea;
        const extra = extraMinutes
          .map((minutes) => day(0).getTime() + minutes * 60_000 + 1)
          .filter((t) => !taken.has(t))
          .map((t) => ({ at: new Date(t), area: areaAt(t) }));
        const padded = { ...input, areaMarks: [...input.areaMarks, ...extra] };
        expect(lineWeekFigures(padded)).toEqual(lineWeekFigures(input));
      }),
    );
  });
});

describe('assembleWeeklyRows', () => {
  it('gives every area × week, zero where nothing was found, summing what was', () => {
    const weeks = isoWeeksBetween('2026-11-23', '2026-11-30');
    const rows = assembleWeeklyRows(
      weeks,
      ['bath', 'keynsham'],
      [
        { area: 'bath', weekStart: '2026-11-30', counts: { linesActive: 3 } },
        { area: 'bath', weekStart: '2026-11-30', counts: { raids: 2 } },
        { area: 'elsewhere', weekStart: '2026-11-30', counts: { raids: 9 } },
      ],
    );
    expect(rows.map((r) => [r.area, r.isoWeek, r.linesActive, r.raids])).toEqual([
      ['bath', '2026-W48', 0, 0],
      ['keynsham', '2026-W48', 0, 0],
      ['bath', '2026-W49', 3, 2],
      ['keynsham', '2026-W49', 0, 0],
    ]);
  });
});
