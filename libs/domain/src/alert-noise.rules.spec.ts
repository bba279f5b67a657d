import { pushDecision, type LineState, type PushInputs } from '@linewatch/domain';

const NOW = new Date('2026-06-01T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 24 * 60 * 60 * 1000);

describe('pushDecision', () => {
  const inputs = (from: LineState | null, to: LineState, extra: Partial<PushInputs> = {}): PushInputs => ({
    from,
    to,
    historyOnly: false,
    newestEvidenceAt: daysAgo(1),
    windowDays: 28,
    now: NOW,
    ...extra,
  });

  it.each<[string, PushInputs, string]>([
    ['a new line seen today', inputs(null, 'active'), 'pushed'],
    ['a new line from a history import', inputs(null, 'active', { historyOnly: true }), 'history'],
    ['a reactivation from a history import', inputs('dormant', 'active', { historyOnly: true }), 'history'],
    ['a reactivation from a normal event', inputs('dormant', 'active'), 'pushed'],
    ['a first record already dormant', inputs(null, 'dormant', { newestEvidenceAt: daysAgo(60) }), 'first_record_dormant'],
    ['a first record dormant from a history import (history wins)', inputs(null, 'dormant', { historyOnly: true }), 'history'],
    ['a line going dormant that was told active', inputs('active', 'dormant', { newestEvidenceAt: daysAgo(29) }), 'pushed'],
    ['a first record closed, its evidence old', inputs(null, 'closed', { newestEvidenceAt: daysAgo(40) }), 'first_record_closed'],
    ['a first record closed exactly a window ago', inputs(null, 'closed', { newestEvidenceAt: daysAgo(28) }), 'first_record_closed'],
    ['a first record closed, its evidence recent', inputs(null, 'closed', { newestEvidenceAt: daysAgo(3) }), 'pushed'],
    ['a first record closed, a longer window', inputs(null, 'closed', { newestEvidenceAt: daysAgo(40), windowDays: 56 }), 'pushed'],
    ['a first record closed without evidence', inputs(null, 'closed', { newestEvidenceAt: null }), 'first_record_closed'],
    ['a first record disrupted', inputs(null, 'disrupted', { newestEvidenceAt: daysAgo(60) }), 'pushed'],
    ['a closure of a line told active', inputs('active', 'closed', { newestEvidenceAt: daysAgo(60) }), 'pushed'],
  ])('%s: %s', (_, given, expected) => {
    const decision = pushDecision(given);
    expect(decision.pushed ? 'pushed' : decision.heldReason).toBe(expected);
  });
});
