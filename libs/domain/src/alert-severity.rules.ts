/**
 * Alert severity (PRODUCT.md "Alerts"): the severities in order, and the severity of a change —
 * by transition kind, a team's overrides, raised a level for a line with safeguarding referrals.
 */
import type { StateChangeV1 } from '@linewatch/contracts';
import type { TransitionKind } from './line-state';

export const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

const rankOf = (severity: AlertSeverity): number => ALERT_SEVERITIES.indexOf(severity);

/** True when `severity` is `minimum` or above it. */
export function severityAtLeast(severity: AlertSeverity, minimum: AlertSeverity): boolean {
  return rankOf(severity) >= rankOf(minimum);
}

export interface SeverityPolicy {
  readonly severityByKind: Readonly<Record<TransitionKind, AlertSeverity>>;
  readonly referralsRaiseSeverity: boolean;
  /** A team's own severities, over `severityByKind`. */
  readonly overrides?: Partial<Record<TransitionKind, AlertSeverity>>;
}

/** Override over default; a line with safeguarding referrals is raised one level (critical is the cap). */
export function severityOf(change: Pick<StateChangeV1, 'kind' | 'referrals'>, policy: SeverityPolicy): AlertSeverity {
  const base = policy.overrides?.[change.kind] ?? policy.severityByKind[change.kind];
  if (!policy.referralsRaiseSeverity || change.referrals <= 0) return base;
  return ALERT_SEVERITIES[Math.min(rankOf(base) + 1, ALERT_SEVERITIES.length - 1)];
}
