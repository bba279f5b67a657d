import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { WEBHOOK_BODY_SCHEMA_FILE, webhookBodyJsonSchemas, webhookBodyV2, type WebhookAlertV2 } from '@linewatch/contracts';
import { webhookBodyOf } from './webhook.body';

const alert = (n: number, severity: WebhookAlertV2['severity']): WebhookAlertV2 => ({
  alertId: `00000000-0000-4000-8000-00000000000${n}`,
  severity,
  subject: `${severity.toUpperCase()}: line L-${n} new in Bath`,
  text: `Line L-${n} new in Bath.\nAcknowledge: https://linewatch.example/v1/alerts/${n}/acknowledge?token=t${n}`,
  acknowledgeUrl: `https://linewatch.example/v1/alerts/${n}/acknowledge?token=t${n}`,
  sanitised: n === 2,
  fields: { lineId: `L-${n}`, severity },
});
const SENT_AT = new Date('2026-06-01T12:00:00.000Z');
const DELIVERY = '11111111-1111-4111-8111-111111111111';

describe('webhookBodyOf', () => {
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
  addFormats(ajv);
  for (const schema of Object.values(webhookBodyJsonSchemas())) ajv.addSchema(schema);
  const validate = ajv.getSchema(`https://linewatch.local/schemas/${WEBHOOK_BODY_SCHEMA_FILE}`)!;

  it('one alert: type alert, the alert in the list and the version 1 fields beside it', () => {
    const body = webhookBodyOf({ deliveryId: DELIVERY, subject: 's', text: 't', alerts: [alert(1, 'high')] }, SENT_AT);
    expect(body).toMatchObject({
      type: 'alert',
      contentVersion: 2,
      alertId: alert(1, 'high').alertId,
      severity: 'high',
      acknowledgeUrl: alert(1, 'high').acknowledgeUrl,
      alerts: [alert(1, 'high')],
      sanitised: false,
      sentAt: '2026-06-01T12:00:00.000Z',
    });
    expect(validate(JSON.parse(JSON.stringify(body))) ? [] : validate.errors).toEqual([]);
    expect(webhookBodyV2.safeParse(body).success).toBe(true);
  });

  it('companions: each alert with its own id, severity and link; no joined top-level fields', () => {
    const alerts = [alert(1, 'medium'), alert(2, 'low'), alert(3, 'medium')] as const;
    const body = webhookBodyOf({ deliveryId: DELIVERY, subject: 'DIGEST: 3 line changes', text: 't', alerts: [...alerts] }, SENT_AT);
    expect(body.type).toBe('companions');
    expect(body.alerts.map((a) => [a.alertId, a.severity, a.acknowledgeUrl])).toEqual(
      alerts.map((a) => [a.alertId, a.severity, a.acknowledgeUrl]),
    );
    expect(body).not.toHaveProperty('alertId');
    expect(body).not.toHaveProperty('severity');
    expect(body.sanitised).toBe(true); // one of them is
    expect(validate(JSON.parse(JSON.stringify(body))) ? [] : validate.errors).toEqual([]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a version 1 body (joined severities)', { severity: 'medium,medium', acknowledgeUrl: 'https://a/1 https://a/2' }],
    ['companions of one alert', { type: 'companions', alerts: [alert(1, 'high')] }],
    ['an alert with a severity list', { alerts: [{ ...alert(1, 'high'), severity: 'high,low' }] }],
  ])('the schema refuses %s', (_, change) => {
    const body = { ...webhookBodyOf({ deliveryId: DELIVERY, subject: 's', text: 't', alerts: [alert(1, 'high')] }, SENT_AT), ...change };
    expect(validate(JSON.parse(JSON.stringify(body)))).toBe(false);
    expect(webhookBodyV2.safeParse(body).success).toBe(false);
  });
});
