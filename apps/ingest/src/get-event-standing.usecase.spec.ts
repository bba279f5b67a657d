import type { IntelEventV1 } from '@linewatch/contracts';
import { eventStandingV1 } from '@linewatch/contracts';
import type { EventStanding } from '@linewatch/persistence';
import { eventStandingOf } from './get-event-standing.usecase';

const ID = '3f1c2b9e-5a47-4d2e-9b61-0c8e7d4a2f15';
const stored = { type: 'line.sighting', occurredAt: '2026-11-28T18:40:00Z', area: 'bath' } as IntelEventV1;
const line = { namedAs: 'N-X', lineId: 'N-X', how: 'new' as const, state: null, tracked: false };

describe('eventStandingOf', () => {
  it.each<[string, EventStanding, object]>([
    [
      'received by ingest, not stored yet',
      { receivedAt: new Date('2026-12-01T10:00:00Z'), stored: null, erasedAt: null, lines: [line] },
      { status: 'received', received: true, receivedAt: '2026-12-01T10:00:00.000Z', stored: false, applied: false },
    ],
    [
      'stored and on its line',
      { receivedAt: new Date('2026-12-01T10:00:00Z'), stored, erasedAt: null, lines: [{ ...line, state: 'active', tracked: true }] },
      { status: 'applied', stored: true, applied: true, type: 'line.sighting', lines: [{ lineId: 'N-X', how: 'new', state: 'active' }] },
    ],
    [
      'stored from a direct producer (no receipt)',
      { receivedAt: null, stored, erasedAt: null, lines: [{ ...line, tracked: true, state: 'active' }] },
      { status: 'applied', received: true, receivedAt: null },
    ],
    [
      'stored, its line without a timeline',
      { receivedAt: null, stored, erasedAt: null, lines: [line] },
      { status: 'stored', stored: true, applied: false },
    ],
    [
      'a merged line: where it is now, and as named',
      {
        receivedAt: null,
        stored,
        erasedAt: null,
        lines: [{ ...line, namedAs: 'OLD-1', lineId: 'JAY-01', how: 'given', state: 'active', tracked: true }],
      },
      { lines: [{ lineId: 'JAY-01', namedAs: 'OLD-1', how: 'given', state: 'active' }] },
    ],
    [
      'erased with its line (the content gone, the id kept)',
      { receivedAt: new Date('2026-12-01T10:00:00Z'), stored: null, erasedAt: new Date('2027-01-05T00:00:00Z'), lines: [line] },
      { status: 'erased', erasedAt: '2027-01-05T00:00:00.000Z', stored: false, applied: false },
    ],
  ])('%s', (_what, standing, expected) => {
    const answer = eventStandingOf(ID, standing);
    expect(answer).toMatchObject(expected);
    expect(eventStandingV1.parse(answer)).toEqual(answer);
  });
});
