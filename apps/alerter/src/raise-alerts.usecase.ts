import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AlertRouting, AlertTeam } from '@linewatch/config';
import { stateChangeV1, type StateChangeV1 } from '@linewatch/contracts';
import {
  alertContent,
  deliverNow,
  nextEscalationAt,
  quietHoursEnd,
  severityAtLeast,
  severityOf,
  silenceFor,
  teamsFor,
} from '@linewatch/domain';
import { REDIS, appendLive, type ConsumedMessage } from '@linewatch/messaging';
import type Redis from 'ioredis';
import { InjectMetric, ROOT_LOGGER, type Logger } from '@linewatch/observability';
import {
  AlertDeliveriesRepository,
  AlertSilencesRepository,
  AlertsRepository,
  Database,
  alertViewOf,
  type NewAlert,
  type NewDelivery,
} from '@linewatch/persistence';
import type { Counter } from 'prom-client';
import { ALERTER_CONFIG, type AlerterConfig } from './alerter.config';
import { ACK_URL_PLACEHOLDER } from './ack-links';
import { alertAreasOf, causeDetailsOf } from './cause-details';
import { ROUTING, type RoutingHolder } from './routing.holder';

export interface RaiseReport {
  readonly changes: number;
  readonly raised: number;
  readonly duplicates: number;
  readonly silenced: number;
  /** Changes not pushed (a history import, a first record already dormant or closed): held for the digest. */
  readonly held: number;
  readonly invalid: number;
}

/**
 * One slice of `lines.state-changes.v1`, in one transaction: each change becomes one alert per
 * neighbourhood team of the line's areas (dedup key changeId:team — a redelivered change raises
 * nothing new), with the deliveries to that team's first level. Silenced changes are recorded as
 * silenced alerts with no deliveries; changes the tracker marked not pushed (`pushed: false`: a
 * history import, a first record already dormant or closed) as `held` alerts — no deliveries, no
 * escalation, not open in any inbox — for the team's digest. The consumer commits offsets only after this resolves, so
 * an alert is in the database before its change is considered handled.
 */
@Injectable()
export class RaiseAlertsUseCase {
  constructor(
    @Inject(ALERTER_CONFIG) private readonly config: AlerterConfig,
    private readonly database: Database,
    @Inject(ROUTING) private readonly routing: RoutingHolder,
    private readonly alerts: AlertsRepository,
    private readonly deliveries: AlertDeliveriesRepository,
    private readonly silences: AlertSilencesRepository,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @InjectMetric('linewatch_alerter_alerts_total') private readonly counter: Counter<'outcome' | 'severity'>,
  ) {}

  async execute(messages: readonly ConsumedMessage[], now: Date): Promise<RaiseReport> {
    const changes: StateChangeV1[] = [];
    let invalid = 0;
    for (const message of messages) {
      try {
        changes.push(stateChangeV1.parse(JSON.parse(message.value?.toString('utf8') ?? '')));
      } catch (error) {
        // Published by our own tracker from a validated contract: a bad one is a bug, kept in the log with where it is.
        invalid += 1;
        this.logger.error(
          { err: error, topic: message.topic, partition: message.partition, offset: message.offset },
          'invalid state change skipped',
        );
      }
    }
    if (changes.length === 0) return { changes: 0, raised: 0, duplicates: 0, silenced: 0, held: 0, invalid };
    const routing = this.routing.current;
    const outcome = await this.database.transaction(async (tx) => {
      const silences = (await this.silences.active(tx, now)).map((r) => ({
        id: r.silenceId,
        ...(r.lineId === null ? {} : { lineId: r.lineId }),
        ...(r.area === null ? {} : { area: r.area }),
        from: r.startsAt,
        until: r.endsAt,
        reason: r.reason,
      }));
      const alerts: NewAlert[] = [];
      const deliveries: NewDelivery[] = [];
      for (const change of changes) {
        const cause = await causeDetailsOf(tx, change);
        const areas = await alertAreasOf(tx, change, cause, routing.recentAreaDays);
        for (const teamId of teamsFor({ areas, area: change.area }, routing.teamOfArea)) {
          const team = routing.teams.find((t) => t.id === teamId);
          if (!team) continue;
          const alert = this.alertFor(change, team, routing, cause, silences, now);
          alerts.push(alert);
          if (alert.status === 'raised') deliveries.push(...this.deliveriesFor(alert, team, 1, now, routing.digestWaitSeconds));
        }
      }
      const inserted = await this.alerts.insert(tx, alerts);
      await this.deliveries.insert(
        tx,
        deliveries.filter((d) => inserted.has(d.alertId)),
      );
      return { alerts: alerts.filter((a) => inserted.has(a.alertId)), duplicates: alerts.length - inserted.size };
    });
    for (const alert of outcome.alerts) this.counter.inc({ outcome: alert.status, severity: alert.severity });
    await this.announce(outcome.alerts);
    this.counter.inc({ outcome: 'duplicate', severity: 'none' }, outcome.duplicates);
    return {
      changes: changes.length,
      raised: outcome.alerts.filter((a) => a.status === 'raised').length,
      duplicates: outcome.duplicates,
      silenced: outcome.alerts.filter((a) => a.status === 'silenced').length,
      held: outcome.alerts.filter((a) => a.status === 'held').length,
      invalid,
    };
  }

  /** The live stream (dashboard): best effort, after the commit — the database has the alerts whatever Redis does. */
  private async announce(alerts: readonly NewAlert[]): Promise<void> {
    // The whole alert view (libs/contracts alert-view.v1): the same shape the api answers.
    const items = alerts.map((alert) => ({ type: 'alert' as const, areas: alert.areas, data: alertViewOf(alert) }));
    await appendLive(this.redis, this.config.kafka.topicPrefix, items).catch((error: unknown) =>
      this.logger.warn({ err: error }, 'live alerts not announced (Redis)'),
    );
  }

  private alertFor(
    change: StateChangeV1,
    team: AlertTeam,
    routing: AlertRouting,
    cause: Awaited<ReturnType<typeof causeDetailsOf>>,
    silences: Parameters<typeof silenceFor>[1],
    now: Date,
  ): NewAlert {
    const severity = severityOf(change, {
      severityByKind: routing.severityByKind,
      referralsRaiseSeverity: routing.referralsRaiseSeverity,
      overrides: team.severityOverrides,
    });
    const silence = silenceFor(change, silences, now);
    // Not pushed whatever the silences say: the digest lists it either way (its silence is still recorded).
    const held = change.pushed === false;
    const alertId = randomUUID();
    const areaNames = Object.fromEntries(this.config.areas.areas.map((a) => [a.code, a.name]));
    const content = alertContent(change, { severity, teamName: team.name, areaNames, cause, ackUrl: ACK_URL_PLACEHOLDER });
    const levels = team.levels.map((l) => ({ level: l.level, afterMinutes: l.afterMinutes }));
    const state = { raisedAt: now, level: 1, acknowledgedAt: null, resolvedAt: null };
    return {
      alertId,
      dedupKey: `${change.changeId}:${team.id}`,
      changeId: change.changeId,
      lineId: change.lineId,
      teamId: team.id,
      areas: change.areas,
      kind: change.kind,
      severity,
      status: held ? 'held' : silence ? 'silenced' : 'raised',
      change,
      content,
      contentVersion: content.version,
      sanitised: content.sanitised,
      silenceId: silence?.id ?? null,
      raisedAt: now,
      nextEscalationAt: held || silence ? null : nextEscalationAt(state, levels),
    };
  }

  /**
   * One delivery per recipient and channel of the level; deferred to the end of quiet hours below
   * their minimum severity. Below high severity a delivery waits `groupWaitSeconds` so that a
   * burst of changes for one team goes out as one digest (high and critical never wait).
   */
  deliveriesFor(
    alert: Pick<NewAlert, 'alertId' | 'severity'>,
    team: AlertTeam,
    level: number,
    now: Date,
    groupWaitSeconds = 0,
  ): NewDelivery[] {
    const rule = team.quietHours;
    const severity = alert.severity as Parameters<typeof deliverNow>[0];
    const wait = severityAtLeast(severity, 'high') ? 0 : groupWaitSeconds * 1000;
    const at = deliverNow(severity, rule, now) || !rule ? new Date(now.getTime() + wait) : quietHoursEnd(rule, now);
    const recipients = team.levels.find((l) => l.level === level)?.recipients ?? [];
    return recipients.flatMap((recipient) =>
      [
        ...(recipient.webhookUrl ? [{ channel: 'webhook' as const, address: recipient.webhookUrl }] : []),
        ...(recipient.email ? [{ channel: 'email' as const, address: recipient.email }] : []),
      ].map((target) => ({
        deliveryId: randomUUID(),
        alertId: alert.alertId,
        level,
        recipientId: recipient.id,
        recipientName: recipient.name,
        channel: target.channel,
        address: target.address,
        nextAttemptAt: at,
      })),
    );
  }
}
