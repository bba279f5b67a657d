import { deliverNow, inQuietHours, quietHoursEnd, type AlertSeverity, type QuietHoursRule } from '@linewatch/domain';
import fc from 'fast-check';

const at = (iso: string) => new Date(iso);

describe('quiet hours', () => {
  const SOMER_VALLEY: QuietHoursRule = { from: '23:00', to: '06:00', timeZone: 'Europe/London', minimumSeverity: 'high' };
  const OFFICE: QuietHoursRule = { ...SOMER_VALLEY, from: '09:00', to: '17:00' };

  describe('inQuietHours', () => {
    it.each<[string, string, boolean, QuietHoursRule]>([
      ['winter, a minute before the start', '2026-01-15T22:59:59Z', false, SOMER_VALLEY],
      ['winter, at the start', '2026-01-15T23:00:00Z', true, SOMER_VALLEY],
      ['winter, past midnight', '2026-01-16T02:00:00Z', true, SOMER_VALLEY],
      ['winter, the last minute', '2026-01-16T05:59:59Z', true, SOMER_VALLEY],
      ['winter, at the end', '2026-01-16T06:00:00Z', false, SOMER_VALLEY],
      ['winter, midday', '2026-01-16T12:00:00Z', false, SOMER_VALLEY],
      ['summer, 22:59 BST', '2026-07-15T21:59:00Z', false, SOMER_VALLEY],
      ['summer, 23:00 BST (22:00 UTC)', '2026-07-15T22:00:00Z', true, SOMER_VALLEY],
      ['summer, 05:59 BST', '2026-07-16T04:59:00Z', true, SOMER_VALLEY],
      ['summer, 06:00 BST (05:00 UTC)', '2026-07-16T05:00:00Z', false, SOMER_VALLEY],
      ['spring change day, 00:59 GMT', '2026-03-29T00:59:00Z', true, SOMER_VALLEY],
      ['spring change day, 02:00 BST just after the jump', '2026-03-29T01:00:00Z', true, SOMER_VALLEY],
      ['spring change day, 05:59 BST', '2026-03-29T04:59:00Z', true, SOMER_VALLEY],
      ['spring change day, 06:00 BST (05:00 UTC)', '2026-03-29T05:00:00Z', false, SOMER_VALLEY],
      ['autumn change day, 23:00 BST the evening before', '2026-10-24T22:00:00Z', true, SOMER_VALLEY],
      ['autumn change day, 01:30 BST', '2026-10-25T00:30:00Z', true, SOMER_VALLEY],
      ['autumn change day, 01:30 GMT (again)', '2026-10-25T01:30:00Z', true, SOMER_VALLEY],
      ['autumn change day, 05:59 GMT', '2026-10-25T05:59:00Z', true, SOMER_VALLEY],
      ['autumn change day, 06:00 GMT', '2026-10-25T06:00:00Z', false, SOMER_VALLEY],
      ['a day window, before it', '2026-01-15T08:59:00Z', false, OFFICE],
      ['a day window, at its start', '2026-01-15T09:00:00Z', true, OFFICE],
      ['a day window, its last minute', '2026-01-15T16:59:00Z', true, OFFICE],
      ['a day window, at its end', '2026-01-15T17:00:00Z', false, OFFICE],
      [
        'a window in the hour the spring change skips',
        '2026-03-29T01:00:00Z', // 02:00 BST: 01:00-02:00 never happened
        false,
        { ...SOMER_VALLEY, from: '01:00', to: '02:00' },
      ],
      ['New York, 22:00 EST', '2026-01-16T03:00:00Z', true, { ...SOMER_VALLEY, from: '22:00', to: '07:00', timeZone: 'America/New_York' }],
      ['New York, 07:00 EST', '2026-01-16T12:00:00Z', false, { ...SOMER_VALLEY, from: '22:00', to: '07:00', timeZone: 'America/New_York' }],
    ])('given %s (%s), when quiet hours are checked, then inside is %s', (_name, now, expected, rule) => {
      expect(inQuietHours(rule, at(now))).toBe(expected);
    });
  });

  describe('deliverNow', () => {
    it.each<[string, boolean, AlertSeverity, QuietHoursRule | undefined, string]>([
      ['no quiet hours, a low alert at night', true, 'low', undefined, '2026-01-16T02:00:00Z'],
      ['outside quiet hours, a low alert', true, 'low', SOMER_VALLEY, '2026-01-16T12:00:00Z'],
      ['inside quiet hours, a low alert', false, 'low', SOMER_VALLEY, '2026-01-16T02:00:00Z'],
      ['inside quiet hours, a medium alert', false, 'medium', SOMER_VALLEY, '2026-01-16T02:00:00Z'],
      ['inside quiet hours, a high alert (the minimum)', true, 'high', SOMER_VALLEY, '2026-01-16T02:00:00Z'],
      ['inside quiet hours, a critical alert', true, 'critical', SOMER_VALLEY, '2026-01-16T02:00:00Z'],
    ])('given %s, when delivery is decided, then now is %s', (_name, expected, severity, rule, now) => {
      expect(deliverNow(severity, rule, at(now))).toBe(expected);
    });
  });

  describe('quietHoursEnd', () => {
    const EARLY: QuietHoursRule = { ...SOMER_VALLEY, from: '00:30', to: '01:30' };
    const LATE_START: QuietHoursRule = { ...SOMER_VALLEY, from: '01:30', to: '03:00' };

    it.each<[string, string, string, QuietHoursRule]>([
      ['outside quiet hours', '2026-01-16T12:00:00Z', '2026-01-16T12:00:00.000Z', SOMER_VALLEY],
      ['winter, before midnight', '2026-01-15T23:30:00Z', '2026-01-16T06:00:00.000Z', SOMER_VALLEY],
      ['winter, after midnight', '2026-01-16T02:00:00Z', '2026-01-16T06:00:00.000Z', SOMER_VALLEY],
      ['summer, before midnight', '2026-07-15T22:30:00Z', '2026-07-16T05:00:00.000Z', SOMER_VALLEY],
      ['summer, after midnight', '2026-07-15T23:30:00Z', '2026-07-16T05:00:00.000Z', SOMER_VALLEY],
      ['the night the clocks go forward', '2026-03-28T23:30:00Z', '2026-03-29T05:00:00.000Z', SOMER_VALLEY],
      ['the night the clocks go back', '2026-10-24T22:30:00Z', '2026-10-25T06:00:00.000Z', SOMER_VALLEY],
      ['an end the spring change skips (01:30)', '2026-03-29T00:45:00Z', '2026-03-29T01:00:00.000Z', EARLY],
      ['an end the autumn change repeats, first time', '2026-10-24T23:45:00Z', '2026-10-25T00:30:00.000Z', EARLY],
      ['an end the autumn change repeats, second time', '2026-10-25T01:10:00Z', '2026-10-25T01:30:00.000Z', EARLY],
      ['the autumn change going back out of the window', '2026-10-25T00:45:00Z', '2026-10-25T01:00:00.000Z', LATE_START],
      ['a day window', '2026-01-15T10:00:00Z', '2026-01-15T17:00:00.000Z', OFFICE],
    ])('given %s, when the end of quiet hours is asked at %s, then it is %s', (_name, now, expected, rule) => {
      expect(quietHoursEnd(rule, at(now)).toISOString()).toBe(expected);
    });

    const ZONES = ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/Santiago', 'Asia/Kolkata'];
    // Around the 2026 clock changes of those zones, and an ordinary day.
    const BASES = [
      '2026-03-29T01:00:00Z',
      '2026-10-25T01:00:00Z',
      '2026-03-08T07:00:00Z',
      '2026-11-01T06:00:00Z',
      '2026-04-04T15:00:00Z',
      '2026-10-03T16:00:00Z',
      '2026-04-05T03:00:00Z',
      '2026-09-06T04:00:00Z',
      '2026-06-10T12:00:00Z',
    ].map(Date.parse);
    const clock = fc
      .integer({ min: 0, max: 24 * 60 - 1 })
      .map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
    const MINUTE = 60_000;

    /** The first whole minute after `now` outside quiet hours, by stepping (window ends and clock changes fall on whole minutes). */
    const oracle = (rule: QuietHoursRule, now: number): number => {
      if (!inQuietHours(rule, new Date(now))) return now;
      let t = Math.floor(now / MINUTE) * MINUTE + MINUTE;
      while (inQuietHours(rule, new Date(t))) t += MINUTE;
      return t;
    };

    it('given any window, zone and instant near a clock change, when the end is asked, then it is the first instant after which quiet hours are over', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...ZONES),
          clock,
          clock,
          fc.constantFrom(...BASES),
          fc.integer({ min: -36 * 60 * MINUTE, max: 36 * 60 * MINUTE }),
          (timeZone, from, to, base, offset) => {
            fc.pre(from !== to);
            const rule: QuietHoursRule = { from, to, timeZone, minimumSeverity: 'high' };
            const now = base + offset;
            expect(quietHoursEnd(rule, new Date(now)).getTime()).toBe(oracle(rule, now));
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
