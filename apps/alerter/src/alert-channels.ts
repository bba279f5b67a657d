import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { DeliveryChannel } from '@linewatch/persistence';
import { createTransport, type Transporter } from 'nodemailer';
import { ALERTER_CONFIG, type AlerterConfig } from './alerter.config';
import { webhookBodyOf, type OutgoingMessage } from './webhook.body';
import { SIGNATURE_HEADER, signWebhook } from './webhook.signature';
import { WebhookRefusedError, postWebhook } from './webhook.target';

/** A message (one alert or companions) for one recipient, at one address. */
export interface OutgoingAlert extends OutgoingMessage {
  readonly recipientName: string;
  readonly address: string;
}

/** A failure worth retrying is thrown; the message says what the channel answered. */
export class DeliveryError extends Error {}

/**
 * The channels: signed webhooks (to allow-listed targets only, see webhook.target.ts) and e-mail over SMTP. Both carry the delivery id
 * (`X-LineWatch-Delivery`, the e-mail's Message-ID) so that a receiver can drop the rare second
 * copy after a crash between sending and recording (delivery is at least once).
 */
@Injectable()
export class AlertChannels implements OnModuleDestroy {
  private mailer: Transporter | null = null;

  constructor(@Inject(ALERTER_CONFIG) private readonly config: AlerterConfig) {}

  async send(channel: DeliveryChannel, alert: OutgoingAlert, now: Date): Promise<string> {
    switch (channel) {
      case 'webhook':
        return this.webhook(alert, now);
      case 'email':
        return this.email(alert);
      default: {
        const unhandled: never = channel;
        return unhandled;
      }
    }
  }

  private async webhook(alert: OutgoingAlert, now: Date): Promise<string> {
    // Signed over exactly these bytes (contentVersion 2: libs/contracts alert-webhook.v2).
    const body = JSON.stringify(webhookBodyOf(alert, now));
    let status: number;
    try {
      status = await postWebhook(
        alert.address,
        {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signWebhook(this.config.extra.ALERT_WEBHOOK_SECRET, body, now),
          'x-linewatch-delivery': alert.deliveryId,
          // Every alert the body carries (one, or the companions' ids comma-separated).
          'x-linewatch-alert': alert.alerts.map((a) => a.alertId).join(','),
        },
        body,
        this.config.webhooks,
        10_000,
      );
    } catch (error) {
      if (error instanceof WebhookRefusedError) throw new DeliveryError(error.message);
      throw new DeliveryError(`webhook unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (status >= 300 && status < 400) throw new DeliveryError(`webhook answered ${status}; redirects are not followed`);
    if (status < 200 || status >= 300) throw new DeliveryError(`webhook answered ${status}`);
    return `webhook answered ${status}`;
  }

  private async email(alert: OutgoingAlert): Promise<string> {
    this.mailer ??= createTransport(this.config.extra.SMTP_URL);
    try {
      const info = await this.mailer.sendMail({
        from: this.config.extra.SMTP_FROM,
        to: { name: alert.recipientName, address: alert.address },
        subject: alert.subject,
        text: alert.text,
        messageId: `<${alert.deliveryId}@linewatch.invalid>`,
        headers: { 'X-LineWatch-Alert': alert.alerts.map((a) => a.alertId).join(','), 'X-LineWatch-Delivery': alert.deliveryId },
      });
      return `smtp accepted: ${String(info.response ?? '').slice(0, 200)}`;
    } catch (error) {
      throw new DeliveryError(`smtp: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  onModuleDestroy(): void {
    this.mailer?.close();
  }
}
