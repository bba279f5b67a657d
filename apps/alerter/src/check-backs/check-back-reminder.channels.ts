import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { CheckBackReminderWebhookV1 } from '@linewatch/contracts';
import { ALERTER_CONFIG, type AlerterConfig } from '../alerter.config';
import { SignedChannels } from '../signed-channels';
import type { ReminderMessage } from './check-back-reminder.message';

/** A check-back reminder's channels (signed-channels.ts, as the team digest's): they say which reminder, and its low severity. */
@Injectable()
export class CheckBackReminderChannels implements OnModuleDestroy {
  private readonly channels: SignedChannels;

  constructor(@Inject(ALERTER_CONFIG) config: AlerterConfig) {
    this.channels = new SignedChannels(config);
  }

  webhook(url: string, body: CheckBackReminderWebhookV1, now: Date): Promise<string> {
    return this.channels.webhook(url, body, { 'x-linewatch-reminder': body.reminderId }, now);
  }

  email(to: { name: string; address: string }, message: ReminderMessage, reminderId: string, deliveryId: string): Promise<string> {
    return this.channels.email(to, message, deliveryId, { 'X-LineWatch-Reminder': reminderId, 'X-LineWatch-Severity': 'low' });
  }

  onModuleDestroy(): void {
    this.channels.close();
  }
}
