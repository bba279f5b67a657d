/**
 * Delivery against both database flavours and a real SMTP server that accepts one mailbox and
 * refuses another: a batch is sent, then its attempts and disclosures are recorded together — the
 * sent delivery done, its alert delivered and disclosed; the refused one retried after the backoff,
 * then given up at ALERTER_MAX_ATTEMPTS, never disclosed. The clock is set in 2001, so the claim
 * takes only this test's deliveries from a database other suites share.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Counter } from 'prom-client';
import { loadAlertRouting, loadAreas } from '@linewatch/config';
import { createLogger } from '@linewatch/observability';
import { AlertDeliveriesRepository, AlertsRepository, AuditRepository, Database } from '@linewatch/persistence';
import {
  TEST_WEBHOOK_SECRET,
  aStateChange,
  startMailCapture,
  testDatabaseConfig,
  waitFor,
  writeOneTeamRouting,
  type DatabaseFlavour,
  type MailCapture,
} from '@linewatch/testing';
import { AlertChannels } from './alert-channels';
import type { AlerterConfig } from './alerter.config';
import { DeliverAlertsUseCase } from './deliver-alerts.usecase';
import type { RoutingHolder } from './routing.holder';

const SMTP_PORT = 28392;
const logger = createLogger('int', 'silent');

describe.each<DatabaseFlavour>(['timescale', 'postgres'])('alert delivery on %s', (flavour) => {
  const tag = randomUUID().slice(0, 6);
  const area = `dl${tag}-${flavour === 'timescale' ? 'ts' : 'pg'}`;
  const teamId = `${area}-npt`;
  const port = SMTP_PORT + (flavour === 'timescale' ? 0 : 1);
  let database: Database;
  let sql: Client;
  let smtp: MailCapture | undefined;
  let channels: AlertChannels;
  let deliver: DeliverAlertsUseCase;
  const counter = new Counter({ name: `int_deliveries_${flavour}`, help: 'int', labelNames: ['channel', 'outcome'], registers: [] });
  const received: string[] = [];
  let answerSlow = () => undefined as void;
  const slowAnswered = new Promise<void>((resolve) => (answerSlow = resolve));

  beforeAll(async () => {
    const files = writeOneTeamRouting({ code: area, name: 'Delivery Town', teamId }, [
      { id: 'officers', name: 'Officers', email: `ok-${tag}@example.invalid` },
    ]);
    const areas = loadAreas(files.areasFile);
    const routing = { current: loadAlertRouting(files.routingFile, areas) } as RoutingHolder;
    const config = {
      areas,
      webhooks: { hosts: [], allowPrivateNetworks: false },
      extra: {
        ALERTER_DELIVERY_LEASE_MS: 30_000,
        ALERTER_MAX_ATTEMPTS: 2,
        ALERT_LINK_SECRET: 'linewatch-int-link-key-0123456789abcdef',
        ALERT_LINK_BASE_URL: 'http://127.0.0.1:3000',
        ALERT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        SMTP_URL: `smtp://127.0.0.1:${port}`,
        SMTP_FROM: 'LineWatch <alerts@linewatch.invalid>',
      },
    } as unknown as AlerterConfig;
    smtp = await startMailCapture(port, [], {
      async onRecipient(address) {
        if (address.startsWith('full-')) throw Object.assign(new Error('mailbox full'), { responseCode: 552 });
        // A slow mail server for this mailbox: it answers once the test lets it.
        if (address.startsWith('slow-')) return slowAnswered;
        received.push(address);
      },
    });
    database = await Database.open(testDatabaseConfig(flavour), 'linewatch-test');
    sql = new Client({ connectionString: testDatabaseConfig(flavour).url });
    await sql.connect();
    channels = new AlertChannels(config);
    deliver = new DeliverAlertsUseCase(
      config,
      database,
      new AlertDeliveriesRepository(),
      new AuditRepository(),
      channels,
      routing,
      logger,
      counter,
    );
  });

  afterAll(async () => {
    channels?.onModuleDestroy();
    await sql?.end();
    await database?.close();
    await smtp?.close();
  });

  /** A raised alert and its one e-mail delivery, first due at `due`. */
  const raised = async (lineId: string, address: string, due: Date) => {
    const change = aStateChange({ lineId, area, areas: [area] });
    const alertId = randomUUID();
    const deliveryId = randomUUID();
    await database.transaction(async (tx) => {
      await new AlertsRepository().insert(tx, [
        {
          alertId,
          dedupKey: `${change.changeId}:${teamId}`,
          changeId: change.changeId,
          lineId,
          teamId,
          areas: [area],
          kind: change.kind,
          severity: 'high',
          status: 'raised',
          change,
          content: { version: 1, sanitised: false, subject: `line ${lineId}`, text: 'text', fields: { severity: 'high' } },
          contentVersion: 1,
          sanitised: false,
          silenceId: null,
          raisedAt: due,
          nextEscalationAt: null,
        },
      ]);
      await new AlertDeliveriesRepository().insert(tx, [
        { deliveryId, alertId, level: 1, recipientId: address, recipientName: 'PC', channel: 'email', address, nextAttemptAt: due },
      ]);
    });
    return { alertId, deliveryId };
  };

  const delivery = async (deliveryId: string) =>
    (
      await sql.query('SELECT status, attempts, sent_at, last_error, next_attempt_at FROM alert_deliveries WHERE delivery_id = $1', [
        deliveryId,
      ])
    ).rows[0] as { status: string; attempts: number; sent_at: Date | null; last_error: string | null; next_attempt_at: Date };
  const alertStatus = async (alertId: string) =>
    (await sql.query('SELECT status, delivered_at FROM alerts WHERE alert_id = $1', [alertId])).rows[0] as {
      status: string;
      delivered_at: Date | null;
    };
  const disclosures = async (alertId: string) =>
    (
      await sql.query(
        `SELECT recipient, channel FROM disclosure_log WHERE action = 'disclosure' AND subject_type = 'alert' AND subject_id = $1`,
        [alertId],
      )
    ).rows as { recipient: string; channel: string }[];
  const count = async (outcome: string) =>
    (await counter.get()).values.find((v) => v.labels.channel === 'email' && v.labels.outcome === outcome)?.value ?? 0;

  it('records a batch together: the sent one done and disclosed, the refused one retried after the backoff, then given up, never disclosed', async () => {
    const due = new Date(Date.UTC(2001, 0, 1, 9, 0, Math.floor(Math.random() * 3600)));
    const ok = await raised(`DL-${tag}-OK`, `ok-${tag}@example.invalid`, due);
    const full = await raised(`DL-${tag}-FULL`, `full-${tag}@example.invalid`, due);

    const first = new Date(due.getTime() + 1_000);
    await deliver.execute(() => first);
    expect(received).toContain(`ok-${tag}@example.invalid`);
    expect(await delivery(ok.deliveryId)).toMatchObject({ status: 'sent', attempts: 1, sent_at: first, last_error: null });
    expect(await alertStatus(ok.alertId)).toEqual({ status: 'delivered', delivered_at: first });
    expect(await disclosures(ok.alertId)).toEqual([
      { recipient: `PC <ok-${tag}@example.invalid> (ok-${tag}@example.invalid)`, channel: 'email' },
    ]);
    // Refused: tried again after the first backoff (5 s), not disclosed, the alert not delivered.
    expect(await delivery(full.deliveryId)).toMatchObject({
      status: 'pending',
      attempts: 1,
      sent_at: null,
      last_error: expect.stringContaining('mailbox full'),
      next_attempt_at: new Date(first.getTime() + 5_000),
    });
    expect(await disclosures(full.alertId)).toEqual([]);

    await deliver.execute(() => new Date(first.getTime() + 6_000));
    expect(await delivery(full.deliveryId)).toMatchObject({ status: 'failed', attempts: 2, sent_at: null });
    expect(await alertStatus(full.alertId)).toEqual({ status: 'raised', delivered_at: null });
    expect(await disclosures(full.alertId)).toEqual([]);
    const attempts = await sql.query('SELECT outcome FROM alert_delivery_attempts WHERE delivery_id = $1 ORDER BY attempt_id', [
      full.deliveryId,
    ]);
    expect(attempts.rows.map((r: { outcome: string }) => r.outcome)).toEqual(['failed', 'failed']);
    expect(await count('sent')).toBeGreaterThanOrEqual(1);
    expect(await count('failed')).toBeGreaterThanOrEqual(1);
    expect(await count('given_up')).toBeGreaterThanOrEqual(1);
  });

  it('records what was sent without waiting for a slow recipient of the same batch', async () => {
    const due = new Date(Date.UTC(2001, 0, 2, 9, 0, Math.floor(Math.random() * 3600)));
    const ok = await raised(`DL-${tag}-FAST`, `ok-${tag}-2@example.invalid`, due);
    const slow = await raised(`DL-${tag}-SLOW`, `slow-${tag}@example.invalid`, due);
    const delivering = deliver.execute(() => new Date(due.getTime() + 1_000));
    try {
      // The fast one is recorded (sent, disclosed) while the slow one's server has not answered yet.
      await waitFor(async () => (await delivery(ok.deliveryId)).status === 'sent' || undefined, {
        what: 'the fast delivery recorded',
        timeoutMs: 5_000,
      });
      expect(await disclosures(ok.alertId)).toHaveLength(1);
      expect(await delivery(slow.deliveryId)).toMatchObject({ status: 'pending', attempts: 0 });
    } finally {
      // Whatever happened above, the batch finishes before the database is closed.
      answerSlow();
      await delivering;
    }
    expect(await delivery(slow.deliveryId)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await disclosures(slow.alertId)).toHaveLength(1);
  });
});
