import fc from 'fast-check';
import { isoWeekOf, isoWeekOfDate, isoWeeksBetween, londonDateOf, nextIsoWeek, parseIsoWeek, weekHours } from './london-week.calendar';

describe('ISO weeks in Europe/London', () => {
  it.each([
    // local date, ISO week, Monday, start (UTC), hours
    ['2026-11-23', '2026-W48', '2026-11-23', '2026-11-23T00:00:00.000Z', 168],
    ['2026-11-29', '2026-W48', '2026-11-23', '2026-11-23T00:00:00.000Z', 168],
    ['2026-06-17', '2026-W25', '2026-06-15', '2026-06-14T23:00:00.000Z', 168], // BST: Monday 00:00 is 23:00 UTC on Sunday
    ['2026-03-29', '2026-W13', '2026-03-23', '2026-03-23T00:00:00.000Z', 167], // clocks go forward on Sunday 29 March
    ['2026-10-25', '2026-W43', '2026-10-19', '2026-10-18T23:00:00.000Z', 169], // clocks go back on Sunday 25 October
    ['2026-12-31', '2026-W53', '2026-12-28', '2026-12-28T00:00:00.000Z', 168], // 2026 has 53 weeks
    ['2027-01-03', '2026-W53', '2026-12-28', '2026-12-28T00:00:00.000Z', 168], // early January in the last year's week
    ['2027-01-04', '2027-W01', '2027-01-04', '2027-01-04T00:00:00.000Z', 168],
    ['2024-12-30', '2025-W01', '2024-12-30', '2024-12-30T00:00:00.000Z', 168], // late December in next year's week 1
  ])('%s is in %s (Monday %s, from %s, %i hours)', (date, isoWeek, weekStart, start, hours) => {
    const week = isoWeekOfDate(date);
    expect(week).toMatchObject({ isoWeek, weekStart });
    expect(week.start.toISOString()).toBe(start);
    expect(weekHours(week)).toBe(hours);
  });

  it.each([
    ['2026-06-14T22:59:59Z', '2026-06-08'], // Sunday 23:59:59 BST
    ['2026-06-14T23:00:00Z', '2026-06-15'], // Monday 00:00 BST
    ['2026-10-25T23:30:00Z', '2026-10-19'], // Sunday 23:30 GMT, after the clocks went back
    ['2026-03-29T00:59:59Z', '2026-03-23'], // just before the clocks go forward
    ['2026-11-30T00:00:00Z', '2026-11-30'],
  ])('the instant %s falls in the week of %s', (at, weekStart) => {
    expect(isoWeekOf(new Date(at)).weekStart).toBe(weekStart);
  });

  it('parses ISO weeks and refuses weeks a year does not have', () => {
    expect(parseIsoWeek('2026-W53').weekStart).toBe('2026-12-28');
    expect(parseIsoWeek('2026-W01').weekStart).toBe('2025-12-29');
    expect(() => parseIsoWeek('2027-W53')).toThrow('no such ISO week');
    expect(() => parseIsoWeek('2026-48')).toThrow();
  });

  it('lists the weeks of a range, both ends included', () => {
    expect(isoWeeksBetween('2026-11-25', '2026-12-07').map((w) => w.isoWeek)).toEqual(['2026-W48', '2026-W49', '2026-W50']);
    expect(() => isoWeeksBetween('2000-01-01', '2100-01-01')).toThrow('more than');
  });

  it('weeks tile time: every instant is in exactly one week, which starts on a local Monday at 00:00', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2060-01-01T00:00:00Z'), noInvalidDate: true }), (at) => {
        const week = isoWeekOf(at);
        expect(week.start <= at && at < week.end).toBe(true);
        expect(nextIsoWeek(week).start.getTime()).toBe(week.end.getTime());
        expect(londonDateOf(week.start)).toBe(week.weekStart);
        expect(new Date(`${week.weekStart}T12:00:00Z`).getUTCDay()).toBe(1);
        expect([167, 168, 169]).toContain(weekHours(week));
      }),
    );
  });
});
