import { escalationDue, nextEscalationAt, type EscalationState } from '@linewatch/domain';

const at = (iso: string) => new Date(iso);

describe('escalation', () => {
  const LEVELS = [
    { level: 1, afterMinutes: 0 },
    { level: 2, afterMinutes: 15 },
    { level: 3, afterMinutes: 45 },
  ];
  const RAISED = at('2026-06-01T12:00:00Z');
  const minutes = (m: number) => new Date(RAISED.getTime() + m * 60_000);
  const alert = (level: number, extra: Partial<EscalationState> = {}): EscalationState => ({
    raisedAt: RAISED,
    level,
    acknowledgedAt: null,
    resolvedAt: null,
    ...extra,
  });

  it.each<[string, number | null, EscalationState, number]>([
    ['a new alert, at once', 1, alert(0), 0],
    ['level 1 sent, after 14 minutes', null, alert(1), 14],
    ['level 1 sent, after 15 minutes', 2, alert(1), 15],
    ['level 2 sent, after 44 minutes', null, alert(2), 44],
    ['level 2 sent, after 45 minutes', 3, alert(2), 45],
    ['level 1 sent, after 50 minutes (jumps to the highest due)', 3, alert(1), 50],
    ['a new alert found after an hour', 3, alert(0), 60],
    ['the top level sent', null, alert(3), 600],
    ['an acknowledged alert', null, alert(1, { acknowledgedAt: minutes(5) }), 50],
    ['a resolved alert', null, alert(1, { resolvedAt: minutes(5) }), 50],
  ])('given %s, when escalation is checked, then the level due is %s', (_name, expected, state, after) => {
    expect(escalationDue(state, LEVELS, minutes(after))).toBe(expected);
  });

  it.each<[string, Date | null, EscalationState]>([
    ['a new alert', minutes(0), alert(0)],
    ['level 1 sent', minutes(15), alert(1)],
    ['level 2 sent', minutes(45), alert(2)],
    ['the top level sent', null, alert(3)],
    ['an acknowledged alert', null, alert(1, { acknowledgedAt: minutes(5) })],
    ['a resolved alert', null, alert(2, { resolvedAt: minutes(20) })],
  ])('given %s, when the next escalation is asked, then it is %s', (_name, expected, state) => {
    expect(nextEscalationAt(state, LEVELS)).toEqual(expected);
  });

  it('given levels out of order, when escalation is checked, then the order does not matter', () => {
    const shuffled = [LEVELS[2], LEVELS[0], LEVELS[1]];

    expect(escalationDue(alert(1), shuffled, minutes(20))).toBe(2);
    expect(nextEscalationAt(alert(1), shuffled)).toEqual(minutes(15));
  });
});
