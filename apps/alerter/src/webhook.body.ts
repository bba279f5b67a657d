import { WEBHOOK_CONTENT_VERSION, type WebhookAlertV2, type WebhookBodyV2 } from '@linewatch/contracts';

/** A message for one recipient and channel: one alert, or several of one team sent together (companions). */
export interface OutgoingMessage {
  readonly deliveryId: string;
  readonly subject: string;
  readonly text: string;
  /** Each alert with its own id, severity, subject, text and acknowledgement link. At least one. */
  readonly alerts: readonly [WebhookAlertV2, ...WebhookAlertV2[]];
}

/**
 * The webhook body (libs/contracts alert-webhook.v2: `alert` for one alert, `companions` for
 * several). The caller signs exactly the JSON text of this object.
 */
export function webhookBodyOf(message: OutgoingMessage, sentAt: Date): WebhookBodyV2 {
  const [first] = message.alerts;
  const envelope = {
    contentVersion: WEBHOOK_CONTENT_VERSION,
    deliveryId: message.deliveryId,
    subject: message.subject,
    text: message.text,
    sanitised: message.alerts.some((a) => a.sanitised),
    sentAt: sentAt.toISOString(),
  } as const;
  if (message.alerts.length === 1) {
    return {
      type: 'alert',
      ...envelope,
      alerts: [first],
      alertId: first.alertId,
      severity: first.severity,
      fields: first.fields,
      acknowledgeUrl: first.acknowledgeUrl,
    };
  }
  return { type: 'companions', ...envelope, alerts: [...message.alerts] };
}
