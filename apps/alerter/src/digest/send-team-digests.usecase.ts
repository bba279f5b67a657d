import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import type { AlertTeam } from '@linewatch/config';
import type { TeamDigestV1, TeamDigestWebhookV1 } from '@linewatch/contracts';
import { digestMessage, dueDigestSlot, previousDigestSlot, teamDigest } from '@linewatch/domain';
import { ROOT_LOGGER, type Logger } from '@linewatch/observability';
import { AuditRepository, Database, TeamDigestsRepository, type StoredDigest } from '@linewatch/persistence';
import { ALERTER_CONFIG, type AlerterConfig } from '../alerter.config';
import { ROUTING, type RoutingHolder } from '../routing.holder';
import { DigestChannels } from './digest.channels';

export type DigestOutcome =
  | { readonly kind: 'sent'; readonly teamId: string; readonly periodEnd: Date; readonly digestId: string; readonly deliveries: number }
  | { readonly kind: 'already-done' | 'held-elsewhere'; readonly teamId: string; readonly periodEnd: Date }
  | { readonly kind: 'retry'; readonly teamId: string; readonly periodEnd: Date; readonly failed: number };

/** The areas of a team (areas file: neighbourhoodTeam), code -> name. */
export function teamAreas(config: Pick<AlerterConfig, 'areas'>, teamId: string): Record<string, string> {
  return Object.fromEntries(config.areas.areas.filter((a) => a.neighbourhoodTeam === teamId).map((a) => [a.code, a.name]));
}

/**
 * Each team's digest on its schedule (PRODUCT.md "Team digest"): when the latest scheduled
 * instant at or before `now` is past the team's last completed period, take the team's lease,
 * build the digest covering everything since that period (stored, so a retry after a crash sends
 * the same one), send it to the team's level-1 recipients by e-mail and webhook, log each
 * disclosure (s.62), and record the period. Several replicas: one takes the lease, the others find
 * it held or the period done. A missed period is caught up once: only the latest is ever due, and
 * it covers everything since the previous digest. A failed send is retried at the next tick
 * (only to whom it failed) up to ALERTER_MAX_ATTEMPTS times; then the period is recorded anyway.
 */
@Injectable()
export class SendTeamDigestsUseCase {
  private readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(
    @Inject(ALERTER_CONFIG) private readonly config: AlerterConfig,
    @Inject(ROUTING) private readonly routing: RoutingHolder,
    private readonly database: Database,
    private readonly digests: TeamDigestsRepository,
    private readonly audit: AuditRepository,
    private readonly channels: DigestChannels,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async execute(now: Date): Promise<DigestOutcome[]> {
    const outcomes: DigestOutcome[] = [];
    for (const team of this.routing.current.teams) outcomes.push(await this.forTeam(team, now));
    return outcomes;
  }

  private async forTeam(team: AlertTeam, now: Date): Promise<DigestOutcome> {
    const schedule = team.digest.schedule;
    const periodEnd = dueDigestSlot(now, schedule);
    const leaseUntil = new Date(now.getTime() + this.config.extra.ALERTER_DIGEST_LEASE_MS);
    const run = await this.database.autocommit((q) => this.digests.acquire(q, team.id, this.holder, now, leaseUntil));
    if (!run) return { kind: 'held-elsewhere', teamId: team.id, periodEnd };
    if (run.lastPeriodEnd !== null && run.lastPeriodEnd.getTime() >= periodEnd.getTime()) {
      await this.database.autocommit((q) => this.digests.release(q, team.id, this.holder));
      return { kind: 'already-done', teamId: team.id, periodEnd };
    }
    try {
      const digest = await this.database.autocommit(async (q) => {
        const stored = await this.digests.findForPeriod(q, team.id, periodEnd);
        if (stored) return stored;
        const from = run.lastPeriodEnd ?? previousDigestSlot(periodEnd, schedule);
        const input = await this.digests.digestInput(q, team, teamAreas(this.config, team.id), schedule.timeZone, from, periodEnd, now);
        return this.digests.store(q, { digestId: randomUUID(), teamId: team.id, periodFrom: from, periodEnd, body: teamDigest(input) });
      });
      const { sent, failed } = await this.send(team, digest, now);
      if (failed > 0 && digest.attempts + 1 < this.config.extra.ALERTER_MAX_ATTEMPTS) {
        await this.database.autocommit(async (q) => {
          await this.digests.countAttempt(q, digest.digestId);
          await this.digests.release(q, team.id, this.holder);
        });
        return { kind: 'retry', teamId: team.id, periodEnd, failed };
      }
      if (failed > 0) this.logger.error({ teamId: team.id, digestId: digest.digestId, failed }, 'team digest given up for some recipients');
      await this.database.autocommit((q) => this.digests.complete(q, team.id, this.holder, digest.digestId, periodEnd, now));
      this.logger.info({ teamId: team.id, digestId: digest.digestId, periodEnd, deliveries: sent }, 'team digest sent');
      return { kind: 'sent', teamId: team.id, periodEnd, digestId: digest.digestId, deliveries: sent };
    } catch (error) {
      await this.database.autocommit((q) => this.digests.release(q, team.id, this.holder)).catch(() => undefined);
      throw error;
    }
  }

  /** Sends to each level-1 recipient and channel not yet sent to; each send is recorded with its disclosure. */
  private async send(team: AlertTeam, digest: StoredDigest, now: Date): Promise<{ sent: number; failed: number }> {
    const body = digest.body as TeamDigestV1;
    const message = digestMessage(body);
    let sent = 0;
    let failed = 0;
    for (const recipient of team.levels[0].recipients) {
      const targets = [
        ...(recipient.email ? [{ channel: 'email' as const, address: recipient.email }] : []),
        ...(recipient.webhookUrl ? [{ channel: 'webhook' as const, address: recipient.webhookUrl }] : []),
      ];
      for (const { channel, address } of targets) {
        const key = `${recipient.id}/${channel}`;
        if (digest.sentTo.includes(key)) continue;
        const deliveryId = `digest-${digest.digestId}-${recipient.id}-${channel}`;
        try {
          const detail =
            channel === 'email'
              ? await this.channels.email({ name: recipient.name, address }, message, digest.digestId, deliveryId)
              : await this.channels.webhook(
                  address,
                  {
                    ...body,
                    type: 'team-digest',
                    digestId: digest.digestId,
                    deliveryId,
                    subject: message.subject,
                    text: message.text,
                    sentAt: now.toISOString(),
                  } satisfies TeamDigestWebhookV1,
                  now,
                );
          await this.database.transaction(async (tx) => {
            await this.digests.markSent(tx, digest.digestId, key);
            await this.audit.append(tx, [
              {
                at: now,
                actor: 'linewatch-alerter',
                action: 'disclosure',
                subjectType: 'team-digest',
                subjectId: digest.digestId,
                recipient: `${recipient.name} <${address}> (${recipient.id})`,
                channel,
                justification: 'neighbourhood policing team digest: County Lines line states and changes in the recipient team area',
                details: {
                  deliveryId,
                  teamId: team.id,
                  periodFrom: digest.periodFrom.toISOString(),
                  periodEnd: digest.periodEnd.toISOString(),
                  contentVersion: body.contentVersion,
                  sanitised: body.sanitised,
                  changes: body.changes.length + body.changesOmitted,
                  openAlerts: body.openAlerts.length,
                  detail,
                },
              },
            ]);
          });
          sent += 1;
        } catch (error) {
          failed += 1;
          this.logger.warn(
            { teamId: team.id, digestId: digest.digestId, recipientId: recipient.id, channel, err: error },
            'team digest delivery failed; will retry at the next tick',
          );
        }
      }
    }
    return { sent, failed };
  }
}
