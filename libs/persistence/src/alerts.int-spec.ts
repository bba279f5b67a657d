import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { alertViewV1, type StateChangeV1 } from '@linewatch/contracts';
import { AlertDeliveriesRepository, AlertsRepository, AreaScope, Database, alertViewOf, type NewAlert } from '@linewatch/persistence';
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
  let pool: Pool;
  const alerts = new AlertsRepository();
  const deliveries = new AlertDeliveriesRepository();

  beforeAll(async () => {
    db = await Database.open(testDatabaseConfig(flavour), 'linewatch-test');
    pool = new Pool({ connectionString: testDatabaseConfig(flavour).url, max: 1 });
  });

  afterAll(async () => {
    await pool?.end();
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

    const expected = [...raised]
      .reverse()
      .map((a) => a.alertId)
      .concat(older.alertId);
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

  it('records a batch of attempts at once: sent (its alert delivered, once for two channels), failed and retried, failed and given up', async () => {
    const team = `team-${randomUUID().slice(0, 8)}`;
    const raised = new Date('2026-11-30T21:16:00Z');
    const [both, retried, givenUp] = ['REC-1', 'REC-2', 'REC-3'].map((line) => anAlert(aChange(line), team, raised));
    const delivery = (alertId: string, channel: 'webhook' | 'email') => ({
      deliveryId: randomUUID(),
      alertId,
      level: 1,
      recipientId: 'pc-1',
      recipientName: 'PC One',
      channel,
      address: channel === 'email' ? 'pc1@example.org' : 'https://hooks.example.org/pc1',
      nextAttemptAt: raised,
    });
    const [webhook, email, retry, last] = [
      delivery(both.alertId, 'webhook'),
      delivery(both.alertId, 'email'),
      delivery(retried.alertId, 'webhook'),
      delivery(givenUp.alertId, 'email'),
    ];
    await db.transaction(async (tx) => {
      await alerts.insert(tx, [both, retried, givenUp]);
      await deliveries.insert(tx, [webhook, email, retry, last]);
    });
    const at = new Date('2026-11-30T21:16:05Z');
    const retryAt = new Date('2026-11-30T21:16:10Z');
    await db.transaction((tx) =>
      deliveries.recordAttempts(tx, [
        { deliveryId: webhook.deliveryId, alertId: both.alertId, at, outcome: 'sent', detail: 'HTTP 200', retryAt: null },
        { deliveryId: email.deliveryId, alertId: both.alertId, at, outcome: 'sent', detail: '250 OK', retryAt: null },
        { deliveryId: retry.deliveryId, alertId: retried.alertId, at, outcome: 'failed', detail: 'HTTP 503', retryAt },
        { deliveryId: last.deliveryId, alertId: givenUp.alertId, at, outcome: 'failed', detail: 'mailbox full', retryAt: null },
      ]),
    );

    const ids = [webhook, email, retry, last].map((d) => d.deliveryId);
    const { rows } = await pool.query(
      `SELECT delivery_id, status, attempts, sent_at, last_error, next_attempt_at FROM alert_deliveries WHERE delivery_id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((r: { delivery_id: string }) => [r.delivery_id, r]));
    expect(byId.get(webhook.deliveryId)).toMatchObject({
      status: 'sent',
      attempts: 1,
      sent_at: at,
      last_error: null,
      next_attempt_at: raised,
    });
    expect(byId.get(email.deliveryId)).toMatchObject({ status: 'sent', attempts: 1, sent_at: at });
    expect(byId.get(retry.deliveryId)).toMatchObject({
      status: 'pending',
      attempts: 1,
      sent_at: null,
      last_error: 'HTTP 503',
      next_attempt_at: retryAt,
    });
    expect(byId.get(last.deliveryId)).toMatchObject({
      status: 'failed',
      attempts: 1,
      sent_at: null,
      last_error: 'mailbox full',
      next_attempt_at: raised,
    });

    const { rows: tried } = await pool.query(
      `SELECT delivery_id, outcome, detail FROM alert_delivery_attempts WHERE delivery_id = ANY($1::uuid[]) ORDER BY attempt_id`,
      [ids],
    );
    expect(tried.map((t: { delivery_id: string; outcome: string; detail: string }) => [t.delivery_id, t.outcome, t.detail])).toEqual([
      [webhook.deliveryId, 'sent', 'HTTP 200'],
      [email.deliveryId, 'sent', '250 OK'],
      [retry.deliveryId, 'failed', 'HTTP 503'],
      [last.deliveryId, 'failed', 'mailbox full'],
    ]);
    for (const [alert, status, deliveredAt] of [
      [both, 'delivered', at],
      [retried, 'raised', null],
      [givenUp, 'raised', null],
    ] as const) {
      const row = await db.autocommit((q) => alerts.findInScope(q, analyst, alert.alertId));
      expect(row).toMatchObject({ status, deliveredAt });
    }
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
