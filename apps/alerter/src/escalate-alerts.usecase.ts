import { Inject, Injectable } from '@nestjs/common';
import { escalationDue, nextEscalationAt } from '@linewatch/domain';
import { InjectMetric } from '@linewatch/observability';
import { AlertsRepository, DATA_SOURCE } from '@linewatch/persistence';
import type { Counter } from 'prom-client';
import type { DataSource } from 'typeorm';
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
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(ROUTING) private readonly routing: RoutingHolder,
    private readonly alerts: AlertsRepository,
    private readonly raise: RaiseAlertsUseCase,
    @InjectMetric('linewatch_alerter_escalations_total') private readonly counter: Counter<'level'>,
  ) {}

  async execute(now: Date): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const due = await this.alerts.lockDueEscalations(manager, now, 100);
      let escalated = 0;
      for (const alert of due) {
        const team = this.routing.current.teams.find((t) => t.id === alert.teamId);
        const levels = (team?.levels ?? []).map((l) => ({ level: l.level, afterMinutes: l.afterMinutes }));
        const state = { raisedAt: alert.raisedAt, level: alert.level, acknowledgedAt: alert.acknowledgedAt, resolvedAt: null };
        const level = escalationDue(state, levels, now);
        if (team && level !== null) {
          await this.alerts.insertDeliveries(manager, this.raise.deliveriesFor(alert, team, level, now));
          await this.alerts.escalate(manager, alert.alertId, level, nextEscalationAt({ ...state, level }, levels));
          this.counter.inc({ level: String(level) });
          escalated += 1;
        } else {
          await this.alerts.escalate(manager, alert.alertId, alert.level, nextEscalationAt(state, levels));
        }
      }
      return escalated;
    });
  }
}
