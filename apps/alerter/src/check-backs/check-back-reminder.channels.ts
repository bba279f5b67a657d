import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { CheckBackReminderWebhookV1 } from '@linewatch/contracts';
import { createTransport, type Transporter } from 'nodemailer';
import { DeliveryError } from '../alert-channels';
import { ALERTER_CONFIG, type AlerterConfig } from '../alerter.config';
import { SIGNATURE_HEADER, signWebhook } from '../webhook.signature';
import { WebhookRefusedError, postWebhook } from '../webhook.target';
import type { ReminderMessage } from './check-back-reminder.message';

/**
 * A check-back reminder's channels, as the team digest's (digest.channels.ts): a signed webhook
 * under the same allow-list and no-redirect rules, and e-mail over the alerter's SMTP. Both carry
 * the delivery id (`X-LineWatch-Delivery`, the Message-ID) so a receiver can drop a second copy
 * after a crash between sending and recording.
 */
@Injectable()
export class CheckBackReminderChannels implements OnModuleDestroy {
  private mailer: Transporter | null = null;

  constructor(@Inject(ALERTER_CONFIG) private readonly config: AlerterConfig) {}

  async webhook(url: string, body: CheckBackReminderWebhookV1, now: Date): Promise<string> {
    const raw = JSON.stringify(body);
    let status: number;
    try {
      status = await postWebhook(
        url,
        {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signWebhook(this.config.extra.ALERT_WEBHOOK_SECRET, raw, now),
          'x-linewatch-delivery': body.deliveryId,
          'x-linewatch-reminder': body.reminderId,
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

  async email(to: { name: string; address: string }, message: ReminderMessage, reminderId: string, deliveryId: string): Promise<string> {
    this.mailer ??= createTransport(this.config.extra.SMTP_URL);
    try {
      const info = await this.mailer.sendMail({
        from: this.config.extra.SMTP_FROM,
        to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: `<${deliveryId}@linewatch.invalid>`,
        headers: { 'X-LineWatch-Reminder': reminderId, 'X-LineWatch-Delivery': deliveryId, 'X-LineWatch-Severity': 'low' },
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
