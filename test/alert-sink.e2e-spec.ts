/**
 * The local alert sink of `npm start` (scripts/alert-sink.ts; issue 15, defect 8) receiving a
 * webhook over HTTP from the alerter's own channel (AlertChannels, as deliveries send it): it keeps
 * the raw body and the request's headers, so that the signature can be checked afterwards from
 * its files, the way docs/alerts.md tells a receiver to (HMAC-SHA256 over "<t>.<raw body>").
 */
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWebhookAllowList } from '@linewatch/config';
import { TEST_WEBHOOK_SECRET } from '@linewatch/testing';
import { AlertChannels, type OutgoingAlert } from '../apps/alerter/src/alert-channels';
import type { AlerterConfig } from '../apps/alerter/src/alerter.config';
import { verifyWebhookSignature } from '../apps/alerter/src/webhook.signature';
import { startAlertSink, type AlertSink } from '../scripts/alert-sink';

const SMTP_PORT = 27525;
const WEBHOOK_PORT = 27599;

describe('the local alert sink', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linewatch-alert-sink-'));
  const said: string[] = [];
  let sink: AlertSink;
  let channels: AlertChannels;

  beforeAll(async () => {
    sink = await startAlertSink({
      dir,
      smtpPort: SMTP_PORT,
      webhookPort: WEBHOOK_PORT,
      webhookSecret: TEST_WEBHOOK_SECRET,
      say: (line) => said.push(line),
    });
    // The alerter's channel with the settings deliveries use: its signing key and an allow-list naming the sink.
    channels = new AlertChannels({
      extra: { ALERT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET },
      webhooks: { hosts: parseWebhookAllowList(`127.0.0.1:${WEBHOOK_PORT}`).hosts, allowPrivateNetworks: false },
    } as unknown as AlerterConfig);
  });

  afterAll(async () => {
    channels?.onModuleDestroy();
    await sink?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps each webhook with its headers, and the signature checks out from the files', async () => {
    const subject = 'HIGH: line SINK-01 reactivated in Bath – “Café” test';
    const alertId = randomUUID();
    const alert: OutgoingAlert = {
      deliveryId: randomUUID(),
      recipientName: 'Officers (test)',
      address: `http://127.0.0.1:${WEBHOOK_PORT}/hooks/bath-npt`,
      subject,
      text: 'Fictional test alert.',
      alerts: [
        {
          alertId,
          severity: 'high',
          subject,
          text: 'Fictional test alert.',
          acknowledgeUrl: 'http://127.0.0.1:3000/v1/alerts/x/acknowledge?token=t',
          sanitised: false,
          fields: { line: 'SINK-01' },
        },
      ],
    };
    const sentAt = new Date();
    // The channel has the sink's answer: 204 (signature valid), after the files are written.
    expect(await channels.send('webhook', alert, sentAt)).toBe('webhook answered 204');

    const kept = readdirSync(dir).filter((name) => name.endsWith('-webhook.headers.json'));
    expect(kept).toHaveLength(1);
    const stem = kept[0].replace(/\.headers\.json$/, '');
    const record = JSON.parse(readFileSync(join(dir, kept[0]), 'utf8')) as {
      url: string;
      headers: Record<string, string>;
      signature: string;
      body: string;
    };
    expect(record).toMatchObject({
      url: '/hooks/bath-npt',
      signature: 'valid',
      body: `${stem}.json`,
      headers: {
        'content-type': 'application/json',
        'x-linewatch-delivery': alert.deliveryId,
        'x-linewatch-alert': alertId,
        'x-linewatch-signature': expect.stringMatching(/^t=\d+,v1=[0-9a-f]{64}$/),
      },
    });
    const rawBody = readFileSync(join(dir, record.body));
    expect(JSON.parse(rawBody.toString('utf8'))).toMatchObject({ deliveryId: alert.deliveryId, subject: alert.subject });

    // As a receiver checks it (docs/alerts.md): the reference implementation, then the recipe by hand.
    const signature = record.headers['x-linewatch-signature'];
    expect(verifyWebhookSignature(TEST_WEBHOOK_SECRET, signature, rawBody.toString('utf8'), sentAt)).toBe(true);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature)!;
    const recomputed = createHmac('sha256', TEST_WEBHOOK_SECRET)
      .update(Buffer.concat([Buffer.from(`${t}.`), rawBody]))
      .digest('hex');
    expect(recomputed).toBe(v1);

    expect(said).toEqual([
      `alert sink: webhook /hooks/bath-npt (signature valid, delivery ${alert.deliveryId}, ${stem}.json): ${alert.subject}`,
    ]);
  });

  it('keeps a webhook whose signature does not check out too, marked invalid, and answers 401', async () => {
    const body = JSON.stringify({ subject: 'forged' });
    const response = await fetch(`http://127.0.0.1:${WEBHOOK_PORT}/hooks/forged`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-linewatch-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` },
      body,
    });
    expect(response.status).toBe(401);
    const kept = readdirSync(dir)
      .filter((name) => name.endsWith('-webhook.headers.json'))
      .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as { url: string; signature: string; body: string });
    const forged = kept.find((record) => record.url === '/hooks/forged');
    expect(forged).toMatchObject({ signature: 'invalid' });
    expect(readFileSync(join(dir, forged!.body), 'utf8')).toBe(body);
  });
});
