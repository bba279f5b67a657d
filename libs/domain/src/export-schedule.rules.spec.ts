import { dueExport, londonWallTime, nextExportSlot } from './export-schedule.rules';

describe('weekly export schedule (Europe/London)', () => {
  const mondaySix = { day: 'monday', time: '06:00' } as const;

  it.each([
    // now, latest slot, last complete week it covers
    ['2026-11-30T06:00:00Z', '2026-11-30T06:00:00.000Z', '2026-11-23'], // exactly at the slot (GMT)
    ['2026-11-30T05:59:59Z', '2026-11-23T06:00:00.000Z', '2026-11-16'], // just before: last week's slot
    ['2026-12-03T12:00:00Z', '2026-11-30T06:00:00.000Z', '2026-11-23'], // missed since Monday: still that run (caught up once)
    ['2026-06-15T05:30:00Z', '2026-06-15T05:00:00.000Z', '2026-06-08'], // BST: 06:00 local is 05:00 UTC
    ['2026-10-26T06:00:00Z', '2026-10-26T06:00:00.000Z', '2026-10-19'], // the Monday after the clocks went back; covers the 169-hour week
  ])('at %s the latest run is %s, covering up to the week of %s', (now, slot, week) => {
    const due = dueExport(new Date(now), mondaySix);
    expect(due.slotAt.toISOString()).toBe(slot);
    expect(due.week.weekStart).toBe(week);
  });

  it('runs on the configured day and time', () => {
    const due = dueExport(new Date('2026-12-06T20:00:00Z'), { day: 'sunday', time: '19:30' });
    expect(due.slotAt.toISOString()).toBe('2026-12-06T19:30:00.000Z');
    expect(due.week.weekStart).toBe('2026-11-23');
    expect(nextExportSlot(new Date('2026-12-06T20:00:00Z'), { day: 'sunday', time: '19:30' }).toISOString()).toBe(
      '2026-12-13T19:30:00.000Z',
    );
  });

  it('a local time the clocks skip is read an hour later', () => {
    expect(londonWallTime('2026-03-29', '01:30').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(londonWallTime('2026-03-30', '01:30').toISOString()).toBe('2026-03-30T00:30:00.000Z');
  });
});
