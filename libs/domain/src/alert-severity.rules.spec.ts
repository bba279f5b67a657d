import { severityOf, type AlertSeverity, type SeverityPolicy, type TransitionKind } from '@linewatch/domain';

const POLICY: SeverityPolicy = {
  severityByKind: { resurfaced: 'high', reactivated: 'high', new: 'medium', disrupted: 'medium', closed: 'low', went_dormant: 'low' },
  referralsRaiseSeverity: true,
};

describe('severityOf', () => {
  it.each<[TransitionKind, AlertSeverity]>([
    ['resurfaced', 'high'],
    ['reactivated', 'high'],
    ['new', 'medium'],
    ['disrupted', 'medium'],
    ['closed', 'low'],
    ['went_dormant', 'low'],
  ])('given a %s change and no referrals, when its severity is taken, then it is %s', (kind, expected) => {
    expect(severityOf({ kind, referrals: 0 }, POLICY)).toBe(expected);
  });

  it.each<[string, TransitionKind, number, AlertSeverity, SeverityPolicy]>([
    ['a team override of the kind', 'new', 0, 'critical', { ...POLICY, overrides: { new: 'critical' } }],
    ['a team override of another kind', 'disrupted', 0, 'medium', { ...POLICY, overrides: { new: 'critical' } }],
    ['a team override lowering the kind', 'resurfaced', 0, 'low', { ...POLICY, overrides: { resurfaced: 'low' } }],
    ['referrals on a low change', 'went_dormant', 1, 'medium', POLICY],
    ['referrals on a medium change', 'new', 3, 'high', POLICY],
    ['referrals on a high change', 'resurfaced', 2, 'critical', POLICY],
    ['referrals on a critical override (the cap)', 'new', 2, 'critical', { ...POLICY, overrides: { new: 'critical' } }],
    ['referrals raising over an override', 'closed', 1, 'high', { ...POLICY, overrides: { closed: 'medium' } }],
    ['referrals with raising switched off', 'new', 4, 'medium', { ...POLICY, referralsRaiseSeverity: false }],
  ])('given %s, when a %s change with %i referrals is rated, then it is %s', (_name, kind, referrals, expected, policy) => {
    expect(severityOf({ kind, referrals }, policy)).toBe(expected);
  });
});
