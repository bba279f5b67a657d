import { Inject, Injectable } from '@nestjs/common';
import type { WebhookAlertV2 } from '@linewatch/contracts';
import { digestGroups, type AlertContent } from '@linewatch/domain';
import { InjectMetric, ROOT_LOGGER, type Logger } from '@linewatch/observability';
import { AlertDeliveriesRepository, AuditRepository, Database, type ClaimedDelivery, type DeliveryChannel } from '@linewatch/persistence';
import { ackUrl, signAckToken } from '@linewatch/security';
import type { Counter } from 'prom-client';
import { ACK_URL_PLACEHOLDER } from './ack-links';
import { AlertChannels, type OutgoingAlert } from './alert-channels';
import { ALERTER_CONFIG, type AlerterConfig } from './alerter.config';
import { ROUTING, type RoutingHolder } from './routing.holder';

const BATCH = 50;

/** Backoff before attempt n+1: 5 s, 10 s, 20 s … capped at 10 minutes. */
export function retryDelayMs(attemptsSoFar: number): number {
  return Math.min(5_000 * 2 ** attemptsSoFar, 600_000);
}

/**
 * Sends due deliveries from the database (the delivery outbox): claims a batch under a lease,
 * sends outside any transaction, then records the attempts — and, for what was sent, the
 * disclosures (who was told what, when, why, over which channel) — those done together in one
 * transaction. Several alerts due together for one recipient and channel (a burst in one team's
 * areas) go out as one digest. A failure is retried with backoff up to ALERTER_MAX_ATTEMPTS; a
 * worker that dies mid-send leaves the claim to expire and the delivery is tried again (at least
 * once; the delivery id lets receivers drop a second copy).
 */
@Injectable()
export class DeliverAlertsUseCase {
  constructor(
    @Inject(ALERTER_CONFIG) private readonly config: AlerterConfig,
    private readonly database: Database,
    private readonly deliveries: AlertDeliveriesRepository,
    private readonly audit: AuditRepository,
    private readonly channels: AlertChannels,
    @Inject(ROUTING) private readonly routing: RoutingHolder,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @InjectMetric('linewatch_alerter_deliveries_total') private readonly counter: Counter<'channel' | 'outcome'>,
  ) {
    // Every series from boot, at 0: Prometheus's increase() sees the first failure (infra/prometheus).
    for (const channel of ['webhook', 'email'] satisfies DeliveryChannel[])
      for (const outcome of ['sent', 'failed', 'given_up']) this.counter.inc({ channel, outcome }, 0);
  }

  /** Delivers until nothing is due; returns how many deliveries were sent. */
  async execute(now: () => Date = () => new Date()): Promise<number> {
    let sent = 0;
    for (;;) {
      const claimed = await this.database.transaction((tx) =>
        this.deliveries.claimDue(
          tx,
          now(),
          BATCH,
          this.config.extra.ALERTER_DELIVERY_LEASE_MS,
          this.routing.current.digestWaitSeconds * 1000,
        ),
      );
      if (claimed.length === 0) return sent;
      sent += await this.sendAndRecord(this.messagesOf(claimed), now());
    }
  }

  /**
   * Sends the messages in parallel and records each outcome as soon as its send is done — those
   * done while a record is being written go together into the next one (one transaction, one s.62
   * chain lock for all of them). A slow recipient delays only its own record: the others' must
   * not wait for it past their claim's lease, or another worker would send them again.
   */
  private async sendAndRecord(messages: readonly ClaimedDelivery[][], at: Date): Promise<number> {
    const done: SendOutcome[] = [];
    let sent = 0;
    let recording = Promise.resolve();
    const recordDone = async () => {
      while (done.length > 0) sent += await this.record(done.splice(0), at);
    };
    await Promise.all(
      messages.map(async (message) => {
        done.push(await this.send(message, at));
        recording = recording.then(recordDone);
        await recording;
      }),
    );
    return sent;
  }

  /**
   * One message per delivery, except that deliveries for one recipient and channel, of one team,
   * raised within the team's digest window, at least `digestMinimumAlerts` of them, share one.
   */
  private messagesOf(claimed: readonly ClaimedDelivery[]): ClaimedDelivery[][] {
    const routing = this.routing.current;
    const byRecipient = new Map<string, ClaimedDelivery[]>();
    for (const d of claimed) {
      const key = `${d.teamId}|${d.channel}|${d.address}`;
      byRecipient.set(key, [...(byRecipient.get(key) ?? []), d]);
    }
    const messages: ClaimedDelivery[][] = [];
    for (const group of byRecipient.values()) {
      const team = routing.teams.find((t) => t.id === group[0].teamId);
      const window = team?.digestWindowSeconds ?? routing.digestWindowSeconds;
      const candidates = group.map((d) => ({ alertId: d.deliveryId, teamId: d.teamId, raisedAt: d.raisedAt }));
      const digested = new Set<string>();
      for (const found of digestGroups(candidates, window, routing.digestMinimumAlerts)) {
        messages.push(group.filter((d) => found.alertIds.includes(d.deliveryId)));
        for (const id of found.alertIds) digested.add(id);
      }
      for (const d of group) if (!digested.has(d.deliveryId)) messages.push([d]);
    }
    return messages;
  }

  /** Sends one alert, or several as one digest; what came of it, for each of its deliveries. */
  private async send(deliveries: readonly ClaimedDelivery[], at: Date): Promise<SendOutcome> {
    const parts = await Promise.all(
      deliveries.map(async (d) => {
        const content = d.content as AlertContent;
        const token = await signAckToken(this.config.extra.ALERT_LINK_SECRET, { alertId: d.alertId, recipientId: d.recipientId }, at);
        const link = ackUrl(this.config.extra.ALERT_LINK_BASE_URL, d.alertId, token);
        return { d, content, link, text: content.text.replaceAll(ACK_URL_PLACEHOLDER, link) };
      }),
    );
    const [first] = parts;
    const digest = parts.length > 1;
    const teamName = this.routing.current.teams.find((t) => t.id === first.d.teamId)?.name ?? first.d.teamId;
    const alerts = parts.map((p): WebhookAlertV2 => ({
      alertId: p.d.alertId,
      severity: p.content.fields.severity as WebhookAlertV2['severity'],
      subject: p.content.subject,
      text: p.text,
      acknowledgeUrl: p.link,
      sanitised: p.d.sanitised,
      // The stored fields name the link by a placeholder: the recipient's own link replaces it.
      fields: Object.fromEntries(
        Object.entries(p.content.fields).map(([key, value]) => [key, value.replaceAll(ACK_URL_PLACEHOLDER, p.link)]),
      ),
    }));
    const message: OutgoingAlert = {
      deliveryId: first.d.deliveryId,
      recipientName: first.d.recipientName,
      address: first.d.address,
      alerts: [alerts[0], ...alerts.slice(1)],
      ...(digest
        ? {
            subject: `DIGEST: ${parts.length} line changes for ${teamName}`,
            text: [
              `${parts.length} lines changed state within a few minutes for ${teamName}. Each has its own acknowledgement link.`,
              ...parts.map((p, i) => `\n${i + 1}. ${p.content.subject}\n${p.text}`),
            ].join('\n'),
          }
        : { subject: first.content.subject, text: first.text }),
    };
    let outcome: 'sent' | 'failed';
    let detail: string;
    try {
      detail = await this.channels.send(first.d.channel, message, at);
      if (digest) detail = `${detail} (digest ${first.d.deliveryId} of ${parts.length})`;
      outcome = 'sent';
    } catch (error) {
      outcome = 'failed';
      detail = error instanceof Error ? error.message : String(error);
    }
    return { deliveries, outcome, detail, digestId: digest ? first.d.deliveryId : null };
  }

  /**
   * Records these messages' attempts and the disclosures of what was sent in one transaction (the
   * s.62 chain's lock taken once for them all, not once per delivery, which ordered a burst's
   * records one commit at a time); then counts them. Returns how many deliveries were sent.
   */
  private async record(messages: readonly SendOutcome[], at: Date): Promise<number> {
    const attempts = messages.flatMap(({ deliveries, outcome, detail, digestId }) =>
      deliveries.map((delivery) => {
        const giveUp = outcome === 'failed' && delivery.attempts + 1 >= this.config.extra.ALERTER_MAX_ATTEMPTS;
        const retryAt = outcome === 'failed' && !giveUp ? new Date(at.getTime() + retryDelayMs(delivery.attempts)) : null;
        return { delivery, outcome, detail, digestId, giveUp, retryAt };
      }),
    );
    await this.database.transaction(async (tx) => {
      await this.deliveries.recordAttempts(
        tx,
        attempts.map(({ delivery, outcome, detail, retryAt }) => ({
          deliveryId: delivery.deliveryId,
          alertId: delivery.alertId,
          at,
          outcome,
          detail,
          retryAt,
        })),
      );
      await this.audit.append(
        tx,
        attempts
          .filter((a) => a.outcome === 'sent')
          .map(({ delivery, digestId }) => ({
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
              digest: digestId,
            },
          })),
      );
    });
    for (const { delivery, outcome, detail, giveUp, retryAt } of attempts) {
      this.counter.inc({ channel: delivery.channel, outcome: giveUp ? 'given_up' : outcome });
      if (giveUp) this.logger.error({ deliveryId: delivery.deliveryId, alertId: delivery.alertId, detail }, 'alert delivery given up');
      else if (outcome === 'failed')
        this.logger.warn({ deliveryId: delivery.deliveryId, detail, retryAt }, 'alert delivery failed; will retry');
    }
    return attempts.filter((a) => a.outcome === 'sent').length;
  }
}

/** One message sent (or not): its deliveries, the outcome and detail they share, and the digest id when it was one. */
interface SendOutcome {
  readonly deliveries: readonly ClaimedDelivery[];
  readonly outcome: 'sent' | 'failed';
  readonly detail: string;
  readonly digestId: string | null;
}
