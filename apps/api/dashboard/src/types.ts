/** The API's answers as the dashboard reads them (docs/api.md). */

export type LineState = 'active' | 'dormant' | 'disrupted' | 'closed';
export const LINE_STATES: readonly LineState[] = ['active', 'dormant', 'disrupted', 'closed'];

export type Role = 'analyst' | 'officer' | 'partner' | 'ingest' | 'admin';

export interface Me {
  readonly subject: string;
  readonly roles: readonly Role[];
  readonly areas: readonly string[];
}

export interface Area {
  readonly code: string;
  readonly name: string;
  readonly team: { readonly teamId: string; readonly name: string } | null;
}

export interface LineSummary {
  readonly lineId: string;
  readonly state: LineState | null;
  readonly stateSince: string | null;
  readonly area: string | null;
  readonly areas: readonly string[];
  readonly lastSightingAt: string | null;
  readonly referrals: number;
  readonly dormancyOverrideDays?: number | null;
  readonly updatedAt?: string | null;
  readonly reviewDueAt?: string | null;
}

export interface Period {
  readonly state: LineState;
  readonly from: string;
  readonly to: string | null;
  readonly cause?: { readonly eventId: string | null; readonly kind: string } | null;
  readonly closureType?: number | null;
}

export interface Grading {
  readonly source: string;
  readonly intelligence: string;
  readonly handling: string;
}

export interface LineEvent {
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly area: string;
  readonly grading: Grading;
  readonly withheld?: string;
  readonly source?: { readonly system?: string; readonly reference?: string };
  readonly body?: Record<string, unknown>;
}

export interface LineDetail extends LineSummary {
  readonly periods: readonly Period[];
  readonly events: readonly LineEvent[];
}

export type AlertStatus = 'raised' | 'delivered' | 'acknowledged' | 'resolved' | 'silenced';

export interface Alert {
  readonly alertId: string;
  readonly lineId: string;
  readonly teamId: string;
  readonly areas: readonly string[];
  readonly kind: string;
  readonly severity: string;
  readonly status: AlertStatus;
  readonly level?: number;
  readonly raisedAt: string;
  readonly deliveredAt?: string | null;
  readonly acknowledgedAt?: string | null;
  readonly acknowledgedBy?: string | null;
  readonly content?: { readonly subject?: string; readonly text?: string };
}

export interface WeeklyRow {
  readonly area: string;
  readonly areaName?: string;
  readonly isoWeek: string;
  readonly weekStart: string;
  /** A number, or "[c]" where the partner version suppresses a small count. */
  readonly linesActive: number | string;
}

/** `state-change` on the live stream (docs/events.md, line.state-change.v1). */
export interface StateChange {
  readonly changeId: string;
  readonly lineId: string;
  readonly from: LineState | null;
  readonly to: LineState;
  readonly kind: string;
  readonly at: string;
  readonly area?: string | null;
  readonly areas: readonly string[];
  readonly referrals?: number;
  readonly cause?: { readonly type?: string | null; readonly kind?: string } | null;
}

/** `alert` on the live stream: raised by the alerter, or changed (acknowledged, resolved) through the API. */
export interface AlertAnnouncement {
  readonly alertId: string;
  readonly changeId?: string;
  readonly lineId: string;
  readonly teamId: string;
  readonly areas: readonly string[];
  readonly kind: string;
  readonly severity: string;
  readonly status: AlertStatus;
  readonly subject?: string;
  readonly raisedAt?: string;
  readonly acknowledgedAt?: string | null;
  readonly acknowledgedBy?: string | null;
}
