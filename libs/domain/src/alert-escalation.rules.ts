/** Escalation (PRODUCT.md "Alerts"): which level an unacknowledged alert is due at, and when the next falls due. Pure like the rest of the domain: `now` is always an argument. */

const MINUTE_MS = 60 * 1000;

export interface EscalationState {
  readonly raisedAt: Date;
  /** The level already alerted (0: none yet). */
  readonly level: number;
  readonly acknowledgedAt: Date | null;
  readonly resolvedAt: Date | null;
}

export interface EscalationLevelRule {
  readonly level: number;
  readonly afterMinutes: number;
}

const isOpen = (alert: EscalationState) => alert.acknowledgedAt === null && alert.resolvedAt === null;

/** The highest level now due above the alert's own (a late sweep jumps straight to it); null when acknowledged, resolved or none due. */
export function escalationDue(alert: EscalationState, levels: readonly EscalationLevelRule[], now: Date): number | null {
  if (!isOpen(alert)) return null;
  const elapsed = now.getTime() - alert.raisedAt.getTime();
  const due = levels.filter((l) => l.level > alert.level && l.afterMinutes * MINUTE_MS <= elapsed).map((l) => l.level);
  return due.length > 0 ? Math.max(...due) : null;
}

/** When the next level above the alert's own falls due (possibly already past); null when acknowledged, resolved or at the top. */
export function nextEscalationAt(alert: EscalationState, levels: readonly EscalationLevelRule[]): Date | null {
  if (!isOpen(alert)) return null;
  const after = levels.filter((l) => l.level > alert.level).map((l) => l.afterMinutes);
  return after.length > 0 ? new Date(alert.raisedAt.getTime() + Math.min(...after) * MINUTE_MS) : null;
}
