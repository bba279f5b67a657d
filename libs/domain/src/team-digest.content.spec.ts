import { teamDigestV1 } from '@linewatch/contracts';
import { HANDLING_C_NOTICE } from './alert-content.rules';
import { DIGEST_CHANGE_LIMIT, digestMessage, teamDigest, type DigestChangeRow, type TeamDigestInput } from './team-digest.content';
import { aStateChange } from './testing/state-change.factory';

const generatedAt = new Date('2026-12-07T07:00:00Z');
const row = (overrides: Partial<DigestChangeRow> = {}, payload: Record<string, unknown> = {}): DigestChangeRow => {
  const change = { ...aStateChange({ area: 'bath', areas: ['bath'] }), ...payload } as DigestChangeRow['payload'];
  return {
    changeId: change.changeId,
    recordedAt: new Date('2026-12-06T21:00:00Z'),
    payload: change,
    alerted: true,
    silenced: false,
    cause: null,
    ...overrides,
  };
};
const input = (overrides: Partial<TeamDigestInput> = {}): TeamDigestInput => ({
  team: { id: 'bath-npt', name: 'Bath NPT' },
  timeZone: 'Europe/London',
  from: new Date('2026-12-06T07:00:00Z'),
  to: generatedAt,
  generatedAt,
  areas: { bath: 'Bath', combe: 'Combe Down' },
  lineCounts: [
    { area: 'bath', state: 'active', count: 3 },
    { area: 'bath', state: 'dormant', count: 2 },
  ],
  changes: [],
  openAlerts: [],
  ...overrides,
});

describe('team digest content', () => {
  it('counts lines by state, per area (every area of the team, empty ones too), and is a valid teamDigestV1', () => {
    const digest = teamDigest(input());
    expect(teamDigestV1.parse(digest)).toEqual(digest);
    expect(digest.lines.byState).toEqual({ active: 3, dormant: 2, disrupted: 0, closed: 0 });
    expect(digest.lines.byArea.map((a) => [a.area, a.name, a.total])).toEqual([
      ['bath', 'Bath', 5],
      ['combe', 'Combe Down', 0],
    ]);
  });

  it.each([
    // alerted, silenced, payload markers → pushed, reason
    [true, false, {}, { pushed: true }],
    [false, true, {}, { pushed: false, reason: 'silenced' }],
    [false, false, {}, { pushed: false }],
    [false, false, { pushed: false, reason: 'history' }, { pushed: false, reason: 'history' }],
    [false, false, { pushed: false, notPushedReason: 'first_record_dormant' }, { pushed: false, reason: 'first_record_dormant' }],
    [true, false, { pushed: true }, { pushed: true }],
    [false, true, { pushed: true }, { pushed: false, reason: 'silenced' }],
    [false, false, { pushed: false, heldReason: 'first_record_closed' }, { pushed: false, reason: 'first_record_closed' }],
    [false, false, { history: true }, { pushed: false, reason: 'history' }],
    [false, false, { marker: 'history' }, { pushed: false, reason: 'history' }],
  ])('alerted %s, silenced %s, marker %j: shown as %j', (alerted, silenced, marker, shown) => {
    const [change] = teamDigest(input({ changes: [row({ alerted, silenced }, marker)] })).changes;
    expect({ pushed: change.pushed, reason: change.reason }).toEqual({ reason: undefined, ...shown });
  });

  it('handling code C: no change id, the source and numbers struck, the notice in the e-mail', () => {
    const secret = row(
      { cause: { sourceSystem: 'records', sourceReference: 'IR-SECRET-1', numbers: ['+447700900123'] } },
      {
        lineId: 'LINE-+447700900123',
        cause: {
          eventId: '7d9f1f7e-3f57-4a55-9d2a-1b2c3d4e5f60',
          kind: 'new',
          type: 'line.sighting',
          grading: { source: '2', intelligence: 'B', handling: 'C' },
        },
      },
    );
    const digest = teamDigest(input({ changes: [secret, row()] }));
    expect(digest.changes[0]).toMatchObject({ changeId: null, lineId: 'LINE-[withheld]', sanitised: true });
    expect(digest.changes[1]).toMatchObject({ changeId: expect.any(String), sanitised: false });
    expect(digest.sanitised).toBe(true);
    const message = digestMessage(digest);
    for (const text of [JSON.stringify(digest), message.text, message.html, message.subject]) {
      expect(text).not.toContain('IR-SECRET');
      expect(text).not.toContain('7700900123');
    }
    expect(message.text).toContain(HANDLING_C_NOTICE);
  });

  it('open alerts carry their age; the e-mail says it; over the limit, changes are counted', () => {
    const digest = teamDigest(
      input({
        openAlerts: [
          {
            alertId: '7d9f1f7e-3f57-4a55-9d2a-1b2c3d4e5f61',
            lineId: 'L1',
            severity: 'high',
            status: 'delivered',
            subject: 'HIGH: line L1 reactivated in Bath',
            raisedAt: new Date('2026-12-06T21:30:00Z'),
            sanitised: false,
          },
        ],
        changes: Array.from({ length: DIGEST_CHANGE_LIMIT + 2 }, () => row()),
      }),
    );
    expect(digest.openAlerts[0].ageMinutes).toBe(570);
    expect(digest.changes).toHaveLength(DIGEST_CHANGE_LIMIT);
    expect(digest.changesOmitted).toBe(2);
    const message = digestMessage(digest);
    expect(message.subject).toBe(`DIGEST: Bath NPT, ${DIGEST_CHANGE_LIMIT + 2} changes, 1 open alert`);
    expect(message.text).toContain('HIGH: line L1 reactivated in Bath (delivered, open 9 h 30 min)');
    expect(message.text).toContain('to Mon 7 Dec 2026, 07:00 GMT.');
    expect(message.html).toContain('<table>');
  });
});
