import { Inject, Injectable } from '@nestjs/common';
import type { AlertContent } from '@linewatch/domain';
import { InjectMetric, ROOT_LOGGER, type Logger } from '@linewatch/observability';
import { AlertsRepository, DATA_SOURCE, type ClaimedDelivery } from '@linewatch/persistence';
import type { Counter } from 'prom-client';
import type { DataSource } from 'typeorm';
import { ACK_URL_PLACEHOLDER, ackUrl, signAckToken } from './ack-links';
import { AlertChannels } from './alert-channels';
import { ALERTER_CONFIG, type AlerterConfig } from './alerter.config';

const BATCH = 20;

/** Backoff before attempt n+1: 5 s, 10 s, 20 s … capped at 10 minutes. */
export function retryDelayMs(attemptsSoFar: number): number {
  return Math.min(5_000 * 2 ** attemptsSoFar, 600_000);
}

/**
 * Sends due deliveries from the database (the delivery outbox): claims a few under a lease,
 * sends each outside any transaction, then records the attempt — and, when sent, the disclosure
 * (who was told what, when, why, over which channel). A failure is retried with backoff up to
 * ALERTER_MAX_ATTEMPTS; a worker that dies mid-send leaves the claim to expire and the delivery
 * is tried again (at least once; the delivery id lets receivers drop a second copy).
 */
@Injectable()
export class DeliverAlertsUseCase {
  constructor(
    @Inject(ALERTER_CONFIG) private readonly config: AlerterConfig,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly alerts: AlertsRepository,
    private readonly channels: AlertChannels,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @InjectMetric('linewatch_alerter_deliveries_total') private readonly counter: Counter<'channel' | 'outcome'>,
  ) {}

  /** Delivers until nothing is due; returns how many were sent. */
  async execute(now: () => Date = () => new Date()): Promise<number> {
    let sent = 0;
    for (;;) {
      const claimed = await this.dataSource.transaction((m) =>
        this.alerts.claimDue(m, now(), BATCH, this.config.extra.ALERTER_DELIVERY_LEASE_MS),
      );
      if (claimed.length === 0) return sent;
      const results = await Promise.all(claimed.map((delivery) => this.deliver(delivery, now())));
      sent += results.filter(Boolean).length;
    }
  }

  private async deliver(delivery: ClaimedDelivery, at: Date): Promise<boolean> {
    const content = delivery.content as AlertContent;
    const token = await signAckToken(
      this.config.extra.ALERT_LINK_SECRET,
      { alertId: delivery.alertId, recipientId: delivery.recipientId },
      at,
    );
    const link = ackUrl(this.config.extra.ALERTER_PUBLIC_URL, delivery.alertId, token);
    let outcome: 'sent' | 'failed';
    let detail: string;
    try {
      detail = await this.channels.send(
        delivery.channel,
        {
          alertId: delivery.alertId,
          deliveryId: delivery.deliveryId,
          recipientName: delivery.recipientName,
          address: delivery.address,
          subject: content.subject,
          text: content.text.replaceAll(ACK_URL_PLACEHOLDER, link),
          fields: content.fields,
          severity: content.fields.severity ?? '',
          sanitised: delivery.sanitised,
          contentVersion: delivery.contentVersion,
          ackUrl: link,
        },
        at,
      );
      outcome = 'sent';
    } catch (error) {
      outcome = 'failed';
      detail = error instanceof Error ? error.message : String(error);
    }
    const attempts = delivery.attempts + 1;
    const giveUp = outcome === 'failed' && attempts >= this.config.extra.ALERTER_MAX_ATTEMPTS;
    const retryAt = outcome === 'failed' && !giveUp ? new Date(at.getTime() + retryDelayMs(delivery.attempts)) : null;
    await this.dataSource.transaction(async (m) => {
      await this.alerts.recordAttempt(m, { deliveryId: delivery.deliveryId, alertId: delivery.alertId, at, outcome, detail, retryAt });
      if (outcome === 'sent') {
        await this.alerts.appendDisclosures(m, [
          {
            at,
            actor: 'linewatch-alerter',
            action: 'disclosure',
            subjectType: 'alert',
            subjectId: delivery.alertId,
            recipient: `${delivery.recipientName} <${delivery.address}> (${delivery.recipientId})`,
            channel: delivery.channel,
            justification: 'neighbourhood policing alert: change of a County Lines line state in the recipient team area',
            details: {
              deliveryId: delivery.deliveryId,
              level: delivery.level,
              contentVersion: delivery.contentVersion,
              sanitised: delivery.sanitised,
            },
          },
        ]);
      }
    });
    this.counter.inc({ channel: delivery.channel, outcome: giveUp ? 'given_up' : outcome });
    if (giveUp) this.logger.error({ deliveryId: delivery.deliveryId, alertId: delivery.alertId, detail }, 'alert delivery given up');
    else if (outcome === 'failed')
      this.logger.warn({ deliveryId: delivery.deliveryId, detail, retryAt }, 'alert delivery failed; will retry');
    return outcome === 'sent';
  }
}
