import { Inject, Injectable } from '@nestjs/common';
import { REDIS, appendLive } from '@linewatch/messaging';
import { ROOT_LOGGER, type Logger } from '@linewatch/observability';
import { CodedError } from '@linewatch/platform';
import type { AlertViewV1 } from '@linewatch/contracts';
import { AlertsRepository, AreaScope, AuditRepository, Database, alertViewOf } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import type Redis from 'ioredis';
import { API_CONFIG, type ApiConfig } from '../api.config';

export type AlertActionErrorCode = 'ALERT_NOT_FOUND' | 'ALERT_NOT_OPEN';

export class AlertActionError extends CodedError<AlertActionErrorCode> {}

/** Who acts: an authenticated user (officers only in their areas), or the recipient of an acknowledgement link. */
export type Actor = { readonly kind: 'user'; readonly principal: Principal } | { readonly kind: 'link'; readonly recipientId: string };

const actorName = (actor: Actor) => (actor.kind === 'user' ? actor.principal.subject : `${actor.recipientId} (acknowledgement link)`);

/**
 * Acknowledge or resolve an alert: stops its escalation, records who and when, and writes the
 * act to the s.62 log. An officer's alert outside their areas is not found (the same answer as
 * no alert). Acknowledging twice is refused (ALERT_NOT_OPEN), not silently repeated. The new
 * status is announced on the live stream (the whole alert view) so every open inbox shows it.
 */
@Injectable()
export class AcknowledgeAlertUseCase {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly database: Database,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly alerts: AlertsRepository,
    private readonly audit: AuditRepository,
  ) {}

  async execute(alertId: string, actor: Actor, action: 'acknowledge' | 'resolve', now: Date, note?: string): Promise<AlertViewV1> {
    const done = await this.database.transaction(async (tx) => {
      const scope =
        actor.kind === 'user' ? AreaScope.of(actor.principal) : AreaScope.ofAlertLink({ alertId, recipientId: actor.recipientId });
      const alert = await this.alerts.findInScope(tx, scope, alertId);
      if (!alert) throw new AlertActionError('ALERT_NOT_FOUND', `no alert ${alertId} in your scope`);
      const by = actorName(actor);
      const changed =
        action === 'acknowledge' ? await this.alerts.acknowledge(tx, alertId, by, now) : await this.alerts.resolve(tx, alertId, by, now);
      if (!changed) throw new AlertActionError('ALERT_NOT_OPEN', `alert ${alertId} is ${alert.status}`);
      await this.audit.append(tx, [
        {
          at: now,
          actor: by,
          action: 'alteration',
          subjectType: 'alert',
          subjectId: alertId,
          justification: action === 'acknowledge' ? 'alert acknowledged by the receiving team' : 'alert resolved',
          details: { status: changed.status, note: note ?? null },
        },
      ]);
      return changed;
    });
    const view = alertViewOf(done);
    await appendLive(this.redis, this.config.kafka.topicPrefix, [{ type: 'alert', areas: view.areas, data: view }]).catch((error: unknown) =>
      this.logger.warn({ err: error }, 'alert status not announced live (Redis)'),
    );
    return view;
  }
}
