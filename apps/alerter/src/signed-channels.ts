import { createTransport, type Transporter } from 'nodemailer';
import { DeliveryError } from './alert-channels';
import type { AlerterConfig } from './alerter.config';
import { SIGNATURE_HEADER, signWebhook } from './webhook.signature';
import { WebhookRefusedError, postWebhook } from './webhook.target';

/** A message by e-mail: its subject, and its body as text and HTML. */
export interface MailMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/**
 * The channels of what the alerter sends besides alerts (team digests, check-back reminders): a
 * signed webhook under the same signature, allow-list and no-redirect rules as alerts
 * (webhook.signature.ts, webhook.target.ts), and e-mail over the alerter's SMTP. Each send carries
 * its delivery id (`X-LineWatch-Delivery`, the Message-ID) so a receiver can drop a second copy
 * after a crash between sending and recording. A failure is a `DeliveryError` with the reason.
 */
export class SignedChannels {
  private mailer: Transporter | null = null;

  constructor(private readonly config: AlerterConfig) {}

  /** POSTs the body as JSON, signed; `headers` are added (lower case). */
  async webhook(url: string, body: { readonly deliveryId: string }, headers: Record<string, string>, now: Date): Promise<string> {
    const raw = JSON.stringify(body);
    let status: number;
    try {
      status = await postWebhook(
        url,
        {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signWebhook(this.config.extra.ALERT_WEBHOOK_SECRET, raw, now),
          'x-linewatch-delivery': body.deliveryId,
          ...headers,
        },
        raw,
        this.config.webhooks,
        10_000,
      );
    } catch (error) {
      if (error instanceof WebhookRefusedError) throw new DeliveryError(error.message);
      throw new DeliveryError(`webhook unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (status < 200 || status >= 300) throw new DeliveryError(`webhook answered ${status}`);
    return `webhook answered ${status}`;
  }

  /** Sends the message as text and HTML; `headers` are added to the delivery id's. */
  async email(
    to: { name: string; address: string },
    message: MailMessage,
    deliveryId: string,
    headers: Record<string, string>,
  ): Promise<string> {
    this.mailer ??= createTransport(this.config.extra.SMTP_URL);
    try {
      const info = await this.mailer.sendMail({
        from: this.config.extra.SMTP_FROM,
        to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: `<${deliveryId}@linewatch.invalid>`,
        headers: { ...headers, 'X-LineWatch-Delivery': deliveryId },
      });
      return `smtp accepted: ${String(info.response ?? '').slice(0, 200)}`;
    } catch (error) {
      throw new DeliveryError(`smtp: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  close(): void {
    this.mailer?.close();
  }
}
