/**
 * Test data for the alert-rule specs: a state change (a reactivation in Paulton at 01:30 UTC on the
 * night the clocks go forward), with any field overridden. Not exported from the library's index.
 */
import type { StateChangeV1 } from '@linewatch/contracts';

export const aStateChange = (overrides: Partial<StateChangeV1> = {}): StateChangeV1 => ({
  schema: 'line.state-change.v1',
  changeId: '0b8f7c52-4a9e-4d55-9a43-2f6f1d1f6a10',
  lineId: 'JAY-01',
  from: 'dormant',
  to: 'active',
  kind: 'reactivated',
  at: '2026-03-29T01:30:00Z',
  late: false,
  cause: {
    eventId: '5d9b8a1e-7c3f-4e2a-8b6d-1a2b3c4d5e6f',
    kind: 'reactivated',
    type: 'line.sighting',
    grading: { source: '2', intelligence: 'B', handling: 'P' },
  },
  area: 'paulton',
  areas: ['paulton', 'radstock'],
  referrals: 0,
  trigger: 'events',
  detectedAt: '2026-03-29T01:31:00Z',
  ...overrides,
});
