import { digestGroups, type DigestCandidate } from '@linewatch/domain';
import fc from 'fast-check';

describe('digestGroups', () => {
  const T = Date.parse('2026-06-01T12:00:00Z');
  const c = (alertId: string, teamId: string, seconds: number): DigestCandidate => ({
    alertId,
    teamId,
    raisedAt: new Date(T + seconds * 1000),
  });

  it.each<[string, { teamId: string; alertIds: string[] }[], DigestCandidate[]]>([
    ['nothing pending', [], []],
    [
      'three alerts of a team within the window',
      [{ teamId: 't1', alertIds: ['a', 'b', 'c'] }],
      [c('a', 't1', 0), c('b', 't1', 60), c('c', 't1', 120)],
    ],
    ['two alerts of a team (below the minimum)', [], [c('a', 't1', 0), c('b', 't1', 30)]],
    ['three alerts, the last past the window', [], [c('a', 't1', 0), c('b', 't1', 60), c('c', 't1', 121)]],
    [
      'alerts of two teams',
      [
        { teamId: 't1', alertIds: ['b', 'd', 'f'] },
        { teamId: 't2', alertIds: ['a', 'c', 'e'] },
      ],
      [c('a', 't2', 0), c('b', 't1', 10), c('c', 't2', 20), c('d', 't1', 30), c('e', 't2', 40), c('f', 't1', 50)],
    ],
    [
      'two bursts of one team',
      [
        { teamId: 't1', alertIds: ['a', 'b', 'c'] },
        { teamId: 't1', alertIds: ['d', 'e', 'f', 'g'] },
      ],
      [c('a', 't1', 0), c('b', 't1', 5), c('c', 't1', 10), c('d', 't1', 500), c('e', 't1', 505), c('f', 't1', 510), c('g', 't1', 515)],
    ],
    [
      'a burst counted from its first alert, not the previous one',
      [{ teamId: 't1', alertIds: ['c', 'd', 'e'] }],
      [c('a', 't1', 0), c('b', 't1', 100), c('c', 't1', 200), c('d', 't1', 210), c('e', 't1', 220)],
    ],
    ['alerts given out of order', [{ teamId: 't1', alertIds: ['a', 'b', 'c'] }], [c('c', 't1', 120), c('a', 't1', 0), c('b', 't1', 60)]],
  ])('given %s, when digests are formed (120 s, at least 3), then they are %j', (_name, expected, pending) => {
    expect(digestGroups(pending, 120, 3)).toEqual(expected);
  });

  it('given any pending alerts in any order, then the digests are the same and each is one team within the window', () => {
    const candidate = fc.record({ alertId: fc.uuid(), teamId: fc.constantFrom('t1', 't2', 't3'), seconds: fc.nat({ max: 900 }) });
    fc.assert(
      fc.property(
        fc.uniqueArray(candidate, { selector: (x) => x.alertId, maxLength: 30 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 2, max: 5 }),
        (given, window, minimum) => {
          const pending = given.map((g) => c(g.alertId, g.teamId, g.seconds));
          const groups = digestGroups(pending, window, minimum);
          const byId = new Map(pending.map((p) => [p.alertId, p]));

          expect(digestGroups([...pending].reverse(), window, minimum)).toEqual(groups);
          for (const group of groups) {
            const times = group.alertIds.map((id) => byId.get(id)?.raisedAt.getTime() ?? NaN);
            expect(group.alertIds.length).toBeGreaterThanOrEqual(minimum);
            expect(group.alertIds.every((id) => byId.get(id)?.teamId === group.teamId)).toBe(true);
            expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(window * 1000);
          }
          expect(new Set(groups.flatMap((g) => g.alertIds)).size).toBe(groups.flatMap((g) => g.alertIds).length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
