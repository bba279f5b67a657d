import { randomUUID } from 'node:crypto';
import { alertViewV1, type StateChangeV1 } from '@linewatch/contracts';
import { AlertsRepository, AreaScope, Database, alertViewOf, type NewAlert } from '@linewatch/persistence';
import { testDatabaseConfig, type DatabaseFlavour } from '@linewatch/testing';

const analyst = AreaScope.of({ roles: ['analyst'], areas: [] });

const aChange = (lineId: string, overrides: Partial<StateChangeV1> = {}): StateChangeV1 => ({
  schema: 'line.state-change.v1',
  changeId: randomUUID(),
  lineId,
  from: 'dormant',
  to: 'active',
  kind: 'reactivated',
  at: '2026-11-30T21:15:00Z',
  late: false,
  cause: { eventId: randomUUID(), kind: 'reactivated', type: 'line.sighting', grading: { source: '2', intelligence: 'B', handling: 'P' } },
  area: 'paulton',
  areas: ['paulton'],
  referrals: 0,
  trigger: 'events',
  detectedAt: '2026-11-30T21:16:00Z',
  ...overrides,
});

const anAlert = (change: StateChangeV1, teamId: string, raisedAt: Date): NewAlert => ({
  alertId: randomUUID(),
  dedupKey: `${change.changeId}:${teamId}`,
  changeId: change.changeId,
  lineId: change.lineId,
  teamId,
  areas: change.areas,
  kind: change.kind,
  severity: 'medium',
  status: 'raised',
  change,
  content: { version: 1, sanitised: false, subject: `line ${change.lineId}`, text: 'text', fields: { late: String(change.late) } },
  contentVersion: 1,
  sanitised: false,
  silenceId: null,
  raisedAt,
  nextEscalationAt: null,
});

describe.each<[DatabaseFlavour]>([['timescale'], ['postgres']])('alerts on %s', (flavour) => {
  let db: Database;
  const alerts = new AlertsRepository();

  beforeAll(async () => {
    db = await Database.open(testDatabaseConfig(flavour), 'linewatch-test');
  });

  afterAll(async () => {
    await db?.close();
  });

  it('lists the alerts of one batch (one raisedAt) newest first in the order they were raised, the same on every read and across pages', async () => {
    const team = `team-${randomUUID().slice(0, 8)}`;
    const earlier = new Date(Date.UTC(2026, 10, 30, 21, 0, 0, 0));
    const batch = new Date(Date.UTC(2026, 10, 30, 21, 0, 5, 123));
    const older = anAlert(aChange('ORDER-Z'), team, earlier);
    // Lines deliberately not in alphabetical order, and one line with two changes: the raised order must win.
    const raised = ['ORDER-C', 'ORDER-A', 'ORDER-B', 'ORDER-A', 'ORDER-D'].map((lineId, i) =>
      anAlert(aChange(lineId, { at: `2026-11-30T20:0${i}:00Z` }), team, batch),
    );
    await db.transaction((tx) => alerts.insert(tx, [older]));
    await db.transaction((tx) => alerts.insert(tx, raised));

    const expected = [...raised].reverse().map((a) => a.alertId).concat(older.alertId);
    const all = await db.autocommit((q) => alerts.list(q, analyst, { teamId: team, limit: 100 }));
    expect(all.map((a) => a.alertId)).toEqual(expected);
    const again = await db.autocommit((q) => alerts.list(q, analyst, { teamId: team, limit: 100 }));
    expect(again.map((a) => a.alertId)).toEqual(expected);

    // Pages of two: each starts after the last of the previous (raisedAt, raiseSeq); nothing repeated or skipped.
    const paged: string[] = [];
    let before: { raisedAt: Date; raiseSeq: string } | undefined;
    for (;;) {
      const page = await db.autocommit((q) => alerts.list(q, analyst, { teamId: team, limit: 2, before }));
      paged.push(...page.map((a) => a.alertId));
      if (page.length < 2) break;
      before = { raisedAt: page[1].raisedAt, raiseSeq: page[1].raiseSeq };
    }
    expect(paged).toEqual(expected);
  });

  it('types the change of an alert at the top level of its view: from, to, at and a boolean late', async () => {
    const team = `team-${randomUUID().slice(0, 8)}`;
    const change = aChange('LATE-1', { from: null, to: 'active', kind: 'new', late: true, at: '2026-11-29T10:00:00+01:00' });
    const alert = anAlert(change, team, new Date());
    await db.transaction((tx) => alerts.insert(tx, [alert]));

    const row = await db.autocommit((q) => alerts.findInScope(q, analyst, alert.alertId));
    const view = alertViewV1.parse(alertViewOf(row!));
    expect(view.change).toEqual({ from: null, to: 'active', at: '2026-11-29T10:00:00+01:00', late: true });
    expect(view).toMatchObject({ alertId: alert.alertId, kind: 'new', level: 1, deliveredAt: null, acknowledgedAt: null });
    // The view of an alert just raised (the alerter's live item) is the same as read back.
    expect(alertViewV1.parse(alertViewOf(alert))).toEqual(view);
  });
});
