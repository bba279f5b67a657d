import { Inject, Injectable } from '@nestjs/common';
import { escalationDue, nextEscalationAt } from '@linewatch/domain';
import { InjectMetric } from '@linewatch/observability';
import { AlertDeliveriesRepository, AlertsRepository, Database } from '@linewatch/persistence';
import type { Counter } from 'prom-client';
import { RaiseAlertsUseCase } from './raise-alerts.usecase';
import { ROUTING, type RoutingHolder } from './routing.holder';

/**
 * Unacknowledged alerts go up a level when their time comes (officers → sergeant → duty
 * inspector, as the team's routing says): the new level's recipients get deliveries. An
 * acknowledgement clears `next_escalation_at`, so an acknowledged alert is never found here.
 */
@Injectable()
export class EscalateAlertsUseCase {
  constructor(
    private readonly database: Database,
    @Inject(ROUTING) private readonly routing: RoutingHolder,
    private readonly alerts: AlertsRepository,
    private readonly deliveries: AlertDeliveriesRepository,
    private readonly raise: RaiseAlertsUseCase,
    @InjectMetric('linewatch_alerter_escalations_total') private readonly counter: Counter<'level'>,
  ) {}

  async execute(now: Date): Promise<number> {
    return this.database.transaction(async (tx) => {
      const due = await this.alerts.lockDueEscalations(tx, now, 100);
      let escalated = 0;
      for (const alert of due) {
        const team = this.routing.current.teams.find((t) => t.id === alert.teamId);
        const levels = (team?.levels ?? []).map((l) => ({ level: l.level, afterMinutes: l.afterMinutes }));
        const state = { raisedAt: alert.raisedAt, level: alert.level, acknowledgedAt: alert.acknowledgedAt, resolvedAt: null };
        const level = escalationDue(state, levels, now);
        if (team && level !== null) {
          await this.deliveries.insert(tx, this.raise.deliveriesFor(alert, team, level, now));
          await this.alerts.escalate(tx, alert.alertId, level, nextEscalationAt({ ...state, level }, levels));
          this.counter.inc({ level: String(level) });
          escalated += 1;
        } else {
          await this.alerts.escalate(tx, alert.alertId, alert.level, nextEscalationAt(state, levels));
        }
      }
      return escalated;
    });
  }
}
