import { Inject, Injectable } from '@nestjs/common';
import { AlertsRepository, AuditRepository, DATA_SOURCE, type AlertRow } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import type { DataSource } from 'typeorm';

export type AlertActionErrorCode = 'ALERT_NOT_FOUND' | 'ALERT_NOT_IN_YOUR_AREAS' | 'ALERT_NOT_OPEN';

export class AlertActionError extends Error {
  constructor(
    readonly code: AlertActionErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Who acts: an authenticated user (officers only in their areas), or the recipient of an acknowledgement link. */
export type Actor = { readonly kind: 'user'; readonly principal: Principal } | { readonly kind: 'link'; readonly recipientId: string };

/** Officers are scoped to their areas; analysts and admins are not. */
export function mayActOn(principal: Principal, alert: Pick<AlertRow, 'areas'>): boolean {
  if (principal.roles.includes('admin') || principal.roles.includes('analyst')) return true;
  return principal.roles.includes('officer') && alert.areas.some((area) => principal.areas.includes(area));
}

const actorName = (actor: Actor) => (actor.kind === 'user' ? actor.principal.subject : `${actor.recipientId} (acknowledgement link)`);

/**
 * Acknowledge or resolve an alert: stops its escalation, records who and when, and writes the
 * act to the s.62 log. Acknowledging twice is refused (ALERT_NOT_OPEN), not silently repeated.
 */
@Injectable()
export class AcknowledgeAlertUseCase {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly alerts: AlertsRepository,
    private readonly audit: AuditRepository,
  ) {}

  async execute(alertId: string, actor: Actor, action: 'acknowledge' | 'resolve', now: Date, note?: string): Promise<AlertRow> {
    return this.dataSource.transaction(async (manager) => {
      const alert = await this.alerts.find(manager, alertId);
      if (!alert) throw new AlertActionError('ALERT_NOT_FOUND', `no alert ${alertId}`);
      if (actor.kind === 'user' && !mayActOn(actor.principal, alert)) {
        throw new AlertActionError('ALERT_NOT_IN_YOUR_AREAS', 'this alert is for areas you are not scoped to');
      }
      const by = actorName(actor);
      const done =
        action === 'acknowledge'
          ? await this.alerts.acknowledge(manager, alertId, by, now)
          : await this.alerts.resolve(manager, alertId, by, now);
      if (!done) throw new AlertActionError('ALERT_NOT_OPEN', `alert ${alertId} is ${alert.status}`);
      await this.audit.append(manager, [
        {
          at: now,
          actor: by,
          action: 'alteration',
          subjectType: 'alert',
          subjectId: alertId,
          justification: action === 'acknowledge' ? 'alert acknowledged by the receiving team' : 'alert resolved',
          details: { status: done.status, note: note ?? null },
        },
      ]);
      return done;
    });
  }
}
