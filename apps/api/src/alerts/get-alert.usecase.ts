import { Injectable } from '@nestjs/common';
import type { AlertViewV1 } from '@linewatch/contracts';
import { AlertsRepository, AreaScope, Database, alertViewOf } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';
import { ConsultationLog } from '../audit/consultation.log';
import { AlertActionError } from './acknowledge-alert.usecase';

/**
 * One alert in the caller's scope: an officer's alert outside their areas is not found (the same
 * answer as no alert). The read is logged (s.62), a miss too.
 */
@Injectable()
export class GetAlertUseCase {
  constructor(
    private readonly database: Database,
    private readonly alerts: AlertsRepository,
    private readonly log: ConsultationLog,
  ) {}

  async execute(principal: Principal, alertId: string, justification: string | undefined): Promise<AlertViewV1> {
    const alert = await this.database.autocommit((q) => this.alerts.findInScope(q, AreaScope.of(principal), alertId));
    await this.log.record(principal, { type: 'alert', id: alertId }, justification, alert ? { lineId: alert.lineId } : { found: false });
    if (!alert) throw new AlertActionError('ALERT_NOT_FOUND', `no alert ${alertId} in your scope`);
    return alertViewOf(alert);
  }
}
