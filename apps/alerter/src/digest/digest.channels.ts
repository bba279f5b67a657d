import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { DigestMessage } from '@linewatch/domain';
import type { TeamDigestWebhookV1 } from '@linewatch/contracts';
import { ALERTER_CONFIG, type AlerterConfig } from '../alerter.config';
import { SignedChannels } from '../signed-channels';

/** A team digest's channels (signed-channels.ts): the webhook and e-mail say which digest (`X-LineWatch-Digest`). */
@Injectable()
export class DigestChannels implements OnModuleDestroy {
  private readonly channels: SignedChannels;

  constructor(@Inject(ALERTER_CONFIG) config: AlerterConfig) {
    this.channels = new SignedChannels(config);
  }

  webhook(url: string, body: TeamDigestWebhookV1, now: Date): Promise<string> {
    return this.channels.webhook(url, body, { 'x-linewatch-digest': body.digestId }, now);
  }

  email(to: { name: string; address: string }, message: DigestMessage, digestId: string, deliveryId: string): Promise<string> {
    return this.channels.email(to, message, deliveryId, { 'X-LineWatch-Digest': digestId });
  }

  onModuleDestroy(): void {
    this.channels.close();
  }
}
