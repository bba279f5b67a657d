/**
 * The API's answers as the dashboard reads them (docs/api.md) that have no contract in
 * libs/contracts yet. Alerts, the live stream's items, state changes, line states and roles are
 * the contracts' own types (imported as types only: nothing of libs/contracts enters the bundle).
 */
import type { LINE_STATE_NAMES, Role } from '@linewatch/contracts';

export type LineState = (typeof LINE_STATE_NAMES)[number];
export const LINE_STATES = ['active', 'dormant', 'disrupted', 'closed'] as const satisfies readonly LineState[];

export type { Role };

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

export interface WeeklyRow {
  readonly area: string;
  readonly areaName?: string;
  readonly isoWeek: string;
  readonly weekStart: string;
  /** A number, or "[c]" where the partner version suppresses a small count. */
  readonly linesActive: number | string;
}
