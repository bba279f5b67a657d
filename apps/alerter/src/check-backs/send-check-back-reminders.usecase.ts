import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import type { CheckBackDueV1, CheckBackReminderWebhookV1 } from '@linewatch/contracts';
import { ROOT_LOGGER, type Logger } from '@linewatch/observability';
import { AuditRepository, ClosureCheckBacksRepository, Database, checkBackDueV1Of, type ClaimedReminder } from '@linewatch/persistence';
import type { IntelligenceTeam } from '@linewatch/config';
import { ALERTER_CONFIG, type AlerterConfig } from '../alerter.config';
import { ROUTING, type RoutingHolder } from '../routing.holder';
import { CheckBackReminderChannels } from './check-back-reminder.channels';
import { checkBackReminderMessage } from './check-back-reminder.message';

const DAY_MS = 86_400_000;
/** Check-backs looked at per tick (oldest first); the rest wait for the next tick. */
const PER_TICK = 50;

export interface ReminderReport {
  readonly sent: number;
  readonly failed: number;
}

/**
 * One low-severity reminder per closure check-back overdue by more than
 * CHECK_BACK_REMINDER_AFTER_DAYS, to the intelligence team's recipients (routing file,
 * `intelligenceTeam`) and never to officers. Exactly one across replicas and restarts: the
 * reminder's record is keyed by the check-back (`check_back_reminders`), a lease picks the replica
 * that sends it, each recipient/channel sent is recorded with its s.62 disclosure, and a completed
 * reminder is never looked at again. A failed send is retried at the next tick (only what is
 * missing) up to ALERTER_MAX_ATTEMPTS times, then given up (recorded complete, logged).
 */
@Injectable()
export class SendCheckBackRemindersUseCase {
  private readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(
    @Inject(ALERTER_CONFIG) private readonly config: AlerterConfig,
    @Inject(ROUTING) private readonly routing: RoutingHolder,
    private readonly database: Database,
    private readonly checkBacks: ClosureCheckBacksRepository,
    private readonly audit: AuditRepository,
    private readonly channels: CheckBackReminderChannels,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async execute(now: Date): Promise<ReminderReport> {
    const team = this.routing.current.intelligenceTeam;
    if (team === null) return { sent: 0, failed: 0 };
    const before = new Date(now.getTime() - this.config.extra.CHECK_BACK_REMINDER_AFTER_DAYS * DAY_MS);
    const due = await this.database.autocommit((q) => this.checkBacks.wantingReminder(q, before, PER_TICK));
    let sent = 0;
    let failed = 0;
    for (const checkBack of due) {
      const leaseUntil = new Date(now.getTime() + this.config.extra.CHECK_BACK_REMINDER_LEASE_MS);
      const claimed = await this.database.autocommit((q) =>
        this.checkBacks.claimReminder(q, checkBack.checkBackId, randomUUID(), this.holder, now, leaseUntil),
      );
      if (!claimed) continue;
      const outcome = await this.send(team, claimed, checkBackDueV1Of(checkBack, now), checkBack.lineId, now);
      sent += outcome.sent;
      failed += outcome.failed;
      await this.database.autocommit(async (q) => {
        if (outcome.failed > 0 && claimed.attempts + 1 < this.config.extra.ALERTER_MAX_ATTEMPTS)
          return this.checkBacks.releaseReminder(q, claimed.checkBackId, this.holder);
        if (outcome.failed > 0)
          this.logger.error(
            { checkBackId: claimed.checkBackId, failed: outcome.failed },
            'check-back reminder given up for some recipients',
          );
        return this.checkBacks.completeReminder(q, claimed.checkBackId, this.holder, now);
      });
    }
    return { sent, failed };
  }

  private async send(
    team: IntelligenceTeam,
    reminder: ClaimedReminder,
    due: CheckBackDueV1,
    lineId: string,
    now: Date,
  ): Promise<ReminderReport> {
    const message = checkBackReminderMessage(due, `${this.config.extra.ALERT_LINK_BASE_URL}/dashboard/#/check-backs`);
    let sent = 0;
    let failed = 0;
    for (const recipient of team.recipients) {
      const targets = [
        ...(recipient.email ? [{ channel: 'email' as const, address: recipient.email }] : []),
        ...(recipient.webhookUrl ? [{ channel: 'webhook' as const, address: recipient.webhookUrl }] : []),
      ];
      for (const { channel, address } of targets) {
        const key = `${recipient.id}/${channel}`;
        if (reminder.sentTo.includes(key)) continue;
        const deliveryId = `check-back-${reminder.reminderId}-${recipient.id}-${channel}`;
        try {
          const detail =
            channel === 'email'
              ? await this.channels.email({ name: recipient.name, address }, message, reminder.reminderId, deliveryId)
              : await this.channels.webhook(
                  address,
                  {
                    type: 'check-back-reminder',
                    reminderId: reminder.reminderId,
                    deliveryId,
                    severity: 'low',
                    checkBack: due,
                    subject: message.subject,
                    text: message.text,
                    sentAt: now.toISOString(),
                  } satisfies CheckBackReminderWebhookV1,
                  now,
                );
          await this.database.transaction(async (tx) => {
            await this.checkBacks.markReminderSent(tx, reminder.checkBackId, key);
            await this.audit.append(tx, [
              {
                at: now,
                actor: 'linewatch-alerter',
                action: 'disclosure',
                subjectType: 'line',
                subjectId: lineId,
                recipient: `${recipient.name} <${address}> (${team.id}/${recipient.id})`,
                channel,
                justification: 'closure check-back overdue: reminder to the intelligence team',
                details: { deliveryId, reminderId: reminder.reminderId, checkBackId: reminder.checkBackId, dueAt: due.dueAt, detail },
              },
            ]);
          });
          sent += 1;
        } catch (error) {
          failed += 1;
          this.logger.warn(
            { checkBackId: reminder.checkBackId, recipientId: recipient.id, channel, err: error },
            'check-back reminder delivery failed; will retry at the next tick',
          );
        }
      }
    }
    return { sent, failed };
  }
}
