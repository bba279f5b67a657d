import { DEFAULT_DIGEST_SCHEDULE, dueDigestSlot, nextDigestSlot, previousDigestSlot, zonedWallTime } from './team-digest.schedule';

const at = (iso: string) => new Date(iso);
const london = DEFAULT_DIGEST_SCHEDULE;

describe('team digest schedule', () => {
  it.each([
    // now, the period due (latest 07:00 London at or before now)
    ['2026-12-06T07:00:00Z', '2026-12-06T07:00:00.000Z'], // exactly at the slot (GMT)
    ['2026-12-06T06:59:59Z', '2026-12-05T07:00:00.000Z'], // just before: yesterday's
    ['2026-07-01T06:00:00Z', '2026-07-01T06:00:00.000Z'], // BST: 07:00 local is 06:00 UTC
    ['2026-07-01T05:59:00Z', '2026-06-30T06:00:00.000Z'],
    // October change (Sun 25 Oct 2026, 02:00 BST -> 01:00 GMT)
    ['2026-10-24T06:00:00Z', '2026-10-24T06:00:00.000Z'], // Saturday, BST
    ['2026-10-25T06:59:00Z', '2026-10-24T06:00:00.000Z'], // Sunday 06:59 GMT: today's 07:00 GMT not yet
    ['2026-10-25T07:00:00Z', '2026-10-25T07:00:00.000Z'], // Sunday 07:00 GMT
    // March change (Sun 29 Mar 2026, 01:00 GMT -> 02:00 BST)
    ['2026-03-28T07:00:00Z', '2026-03-28T07:00:00.000Z'], // Saturday, GMT
    ['2026-03-29T06:30:00Z', '2026-03-29T06:00:00.000Z'], // Sunday: 07:00 BST is 06:00 UTC
    ['2026-03-29T05:59:59Z', '2026-03-28T07:00:00.000Z'],
    // missed for three days: only the latest is due (caught up once)
    ['2026-12-09T12:00:00Z', '2026-12-09T07:00:00.000Z'],
  ])('at %s the period due ends %s', (now, slot) => {
    expect(dueDigestSlot(at(now), london).toISOString()).toBe(slot);
  });

  it('periods across the changes of the clocks last 25 and 23 hours; next and previous agree', () => {
    const oct = dueDigestSlot(at('2026-10-25T12:00:00Z'), london);
    expect(oct.getTime() - previousDigestSlot(oct, london).getTime()).toBe(25 * 3_600_000);
    const mar = dueDigestSlot(at('2026-03-29T12:00:00Z'), london);
    expect(mar.getTime() - previousDigestSlot(mar, london).getTime()).toBe(23 * 3_600_000);
    expect(nextDigestSlot(at('2026-10-24T06:00:00Z'), london).toISOString()).toBe('2026-10-25T07:00:00.000Z');
    expect(nextDigestSlot(at('2026-03-28T07:00:00Z'), london).toISOString()).toBe('2026-03-29T06:00:00.000Z');
  });

  it('runs only on the given days, at each given time, in the given zone', () => {
    const weekdays = { at: ['07:00', '19:00'], days: ['monday', 'friday'] as const, timeZone: 'Europe/London' };
    // Sunday 6 December 2026: the latest is Friday 4th 19:00
    expect(dueDigestSlot(at('2026-12-06T12:00:00Z'), weekdays).toISOString()).toBe('2026-12-04T19:00:00.000Z');
    expect(nextDigestSlot(at('2026-12-06T12:00:00Z'), weekdays).toISOString()).toBe('2026-12-07T07:00:00.000Z');
    expect(dueDigestSlot(at('2026-12-07T12:00:00Z'), weekdays).toISOString()).toBe('2026-12-07T07:00:00.000Z');
    const newYork = { at: ['07:00'], days: [], timeZone: 'America/New_York' };
    expect(dueDigestSlot(at('2026-12-06T13:00:00Z'), newYork).toISOString()).toBe('2026-12-06T12:00:00.000Z');
  });

  it('a wall time the clocks skip is read an hour later; one that happens twice is its first instant', () => {
    expect(zonedWallTime('2026-03-29', '01:30', 'Europe/London').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(zonedWallTime('2026-10-25', '01:30', 'Europe/London').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(zonedWallTime('2026-10-25', '07:00', 'Europe/London').toISOString()).toBe('2026-10-25T07:00:00.000Z');
  });
});
