import type { AlertChangeV1, AlertViewV1, StateChangeV1 } from '@linewatch/contracts';
import { managerOf, type Queryable, type Tx } from './database';
import { scopeParams, type AreaScope } from './area-scope';
import { returnedRows } from './returned-rows';

export type AlertStatus = 'raised' | 'delivered' | 'acknowledged' | 'resolved' | 'silenced' | 'held';

export interface NewAlert {
  readonly alertId: string;
  readonly dedupKey: string;
  readonly changeId: string;
  readonly lineId: string;
  readonly teamId: string;
  readonly areas: readonly string[];
  readonly kind: string;
  readonly severity: string;
  readonly status: AlertStatus;
  /** The whole state change, stored as it came (the view shows from, to, at and late). */
  readonly change: StateChangeV1;
  readonly content: unknown;
  readonly contentVersion: number;
  readonly sanitised: boolean;
  readonly silenceId: string | null;
  readonly raisedAt: Date;
  readonly nextEscalationAt: Date | null;
}

export interface AlertRow {
  readonly alertId: string;
  readonly changeId: string;
  readonly lineId: string;
  readonly teamId: string;
  readonly areas: string[];
  readonly kind: string;
  readonly severity: string;
  readonly status: AlertStatus;
  readonly level: number;
  /** The state change that raised it: from, to, when (event time), late. */
  readonly change: AlertChangeV1;
  readonly content: unknown;
  readonly contentVersion: number;
  readonly sanitised: boolean;
  readonly raisedAt: Date;
  readonly deliveredAt: Date | null;
  readonly acknowledgedAt: Date | null;
  readonly acknowledgedBy: string | null;
  readonly nextEscalationAt: Date | null;
  /** The order the alerter raised it in (unique): the inbox's tie-break among alerts raised at one instant. */
  readonly raiseSeq: string;
}

/** Keyset position in the inbox: (raisedAt, raiseSeq), newest first. */
export interface AlertPosition {
  readonly raisedAt: Date;
  readonly raiseSeq: string;
}

export interface AlertFilter {
  readonly statuses?: readonly AlertStatus[];
  readonly severity?: string;
  readonly area?: string;
  readonly lineId?: string;
  readonly teamId?: string;
  readonly since?: Date;
  /** Keyset pagination: alerts after this one in the inbox's order. */
  readonly before?: AlertPosition;
  readonly limit: number;
}

/** Officers see alerts for their areas only: $1 = every area (boolean), $2 = the scope's areas. */
const ALERT_IN_SCOPE = '($1::boolean OR a.areas && $2::text[])';

/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows from pg */
const alertRow = (r: any): AlertRow => ({
  alertId: r.alert_id,
  changeId: r.change_id,
  lineId: r.line_id,
  teamId: r.team_id,
  areas: r.areas,
  kind: r.kind,
  severity: r.severity,
  status: r.status,
  level: r.level,
  change: {
    from: r.change.from,
    to: r.change.to,
    at: r.change.at,
    late: r.change.late,
    ...(r.change.heldReason === undefined ? {} : { heldReason: r.change.heldReason }),
  },
  content: r.content,
  contentVersion: r.content_version,
  sanitised: r.sanitised,
  raisedAt: r.raised_at,
  deliveredAt: r.delivered_at,
  acknowledgedAt: r.acknowledged_at,
  acknowledgedBy: r.acknowledged_by,
  nextEscalationAt: r.next_escalation_at,
  // bigint comes back as a string from pg: kept as one (exact, and opaque to callers).
  raiseSeq: String(r.raise_seq),
});

/** The alert view (libs/contracts alert-view.v1) of an alert as stored, or as just raised (level 1, not yet delivered). */
export function alertViewOf(
  alert: Pick<AlertRow, 'alertId' | 'changeId' | 'lineId' | 'teamId' | 'kind' | 'severity' | 'status' | 'sanitised' | 'raisedAt'> &
    Partial<Pick<AlertRow, 'level' | 'deliveredAt' | 'acknowledgedAt' | 'acknowledgedBy'>> & {
      readonly areas: readonly string[];
      readonly change: AlertChangeV1;
      readonly content: unknown;
    },
): AlertViewV1 {
  return {
    alertId: alert.alertId,
    changeId: alert.changeId,
    lineId: alert.lineId,
    teamId: alert.teamId,
    areas: [...alert.areas],
    kind: alert.kind as AlertViewV1['kind'],
    severity: alert.severity as AlertViewV1['severity'],
    status: alert.status,
    level: alert.level ?? 1,
    change: {
      from: alert.change.from,
      to: alert.change.to,
      at: alert.change.at,
      late: alert.change.late,
      ...(alert.change.heldReason === undefined ? {} : { heldReason: alert.change.heldReason }),
    },
    raisedAt: alert.raisedAt.toISOString(),
    deliveredAt: alert.deliveredAt?.toISOString() ?? null,
    acknowledgedAt: alert.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: alert.acknowledgedBy ?? null,
    sanitised: alert.sanitised,
    content: alert.content as AlertViewV1['content'],
  };
}

/**
 * Alerts: raised once per change and team (dedup key), read only in an area scope, acknowledged,
 * resolved and escalated. Their deliveries are the AlertDeliveriesRepository's, silences the
 * AlertSilencesRepository's, the s.62 log the AuditRepository's. Every method runs on what it is
 * given: a transaction, or the pool (autocommit).
 */
export class AlertsRepository {
  /** Inserts the alerts not raised before (by dedup key); returns the ids of those inserted. */
  async insert(q: Queryable, alerts: readonly NewAlert[]): Promise<Set<string>> {
    if (alerts.length === 0) return new Set();
    const rows: { alert_id: string }[] = await managerOf(q).query(
      `INSERT INTO alerts (alert_id, dedup_key, change_id, line_id, team_id, areas, kind, severity, status, change, content,
                           content_version, sanitised, silence_id, raised_at, next_escalation_at)
       SELECT u.alert_id, u.dedup_key, u.change_id, u.line_id, u.team_id, ARRAY(SELECT jsonb_array_elements_text(u.areas)), u.kind,
              u.severity, u.status, u.change, u.content, u.content_version, u.sanitised, u.silence_id, u.raised_at, u.next_escalation_at
       FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::text[], $9::text[],
                   $10::jsonb[], $11::jsonb[], $12::integer[], $13::boolean[], $14::uuid[], $15::timestamptz[], $16::timestamptz[])
         WITH ORDINALITY AS u(alert_id, dedup_key, change_id, line_id, team_id, areas, kind, severity, status, change, content,
              content_version, sanitised, silence_id, raised_at, next_escalation_at, n)
       -- raise_seq follows the given order (the inbox's tie-break within a batch)
       ORDER BY u.n
       ON CONFLICT (dedup_key) DO NOTHING
       RETURNING alert_id`,
      [
        alerts.map((a) => a.alertId),
        alerts.map((a) => a.dedupKey),
        alerts.map((a) => a.changeId),
        alerts.map((a) => a.lineId),
        alerts.map((a) => a.teamId),
        alerts.map((a) => JSON.stringify(a.areas)),
        alerts.map((a) => a.kind),
        alerts.map((a) => a.severity),
        alerts.map((a) => a.status),
        alerts.map((a) => JSON.stringify(a.change)),
        alerts.map((a) => JSON.stringify(a.content)),
        alerts.map((a) => a.contentVersion),
        alerts.map((a) => a.sanitised),
        alerts.map((a) => a.silenceId),
        alerts.map((a) => a.raisedAt),
        alerts.map((a) => a.nextEscalationAt),
      ],
    );
    return new Set(rows.map((r) => r.alert_id));
  }

  /** The alert if it is for an area in scope, else null (not found, whether it exists or not). */
  async findInScope(q: Queryable, scope: AreaScope, alertId: string): Promise<AlertRow | null> {
    const rows: unknown[] = await managerOf(q).query(`SELECT * FROM alerts a WHERE ${ALERT_IN_SCOPE} AND a.alert_id = $3`, [
      ...scopeParams(scope),
      alertId,
    ]);
    return rows.length === 0 ? null : alertRow(rows[0]);
  }

  /**
   * Alerts in scope, newest first, filtered; keyset pages on (raisedAt, raiseSeq). Alerts of one
   * batch share raisedAt: among them the later-raised comes first, so the order is the same on
   * every read and no page repeats or skips one.
   */
  async list(q: Queryable, scope: AreaScope, filter: AlertFilter): Promise<AlertRow[]> {
    const rows: unknown[] = await managerOf(q).query(
      `SELECT * FROM alerts a
       WHERE ${ALERT_IN_SCOPE}
         AND ($3::text[] IS NULL OR a.status = ANY($3))
         AND ($4::text IS NULL OR a.severity = $4)
         AND ($5::text IS NULL OR $5 = ANY(a.areas))
         AND ($6::text IS NULL OR a.line_id = $6)
         AND ($7::text IS NULL OR a.team_id = $7)
         AND ($8::timestamptz IS NULL OR a.raised_at >= $8)
         AND ($9::timestamptz IS NULL OR (a.raised_at, a.raise_seq) < ($9, $10::bigint))
       ORDER BY a.raised_at DESC, a.raise_seq DESC LIMIT $11`,
      [
        ...scopeParams(scope),
        filter.statuses ? [...filter.statuses] : null,
        filter.severity ?? null,
        filter.area ?? null,
        filter.lineId ?? null,
        filter.teamId ?? null,
        filter.since ?? null,
        filter.before?.raisedAt ?? null,
        filter.before?.raiseSeq ?? null,
        filter.limit,
      ],
    );
    return rows.map(alertRow);
  }

  /** Acknowledges an open alert (stops its escalation); null when it was not open. */
  async acknowledge(q: Queryable, alertId: string, by: string, at: Date): Promise<AlertRow | null> {
    const rows = returnedRows(
      await managerOf(q).query(
        `UPDATE alerts SET status = 'acknowledged', acknowledged_at = $3, acknowledged_by = $2, next_escalation_at = NULL
       WHERE alert_id = $1 AND status IN ('raised', 'delivered') RETURNING *`,
        [alertId, by, at],
      ),
    );
    return rows.length === 0 ? null : alertRow(rows[0]);
  }

  async resolve(q: Queryable, alertId: string, by: string, at: Date): Promise<AlertRow | null> {
    const rows = returnedRows(
      await managerOf(q).query(
        `UPDATE alerts SET status = 'resolved', resolved_at = $3, resolved_by = $2, next_escalation_at = NULL
       WHERE alert_id = $1 AND status IN ('raised', 'delivered', 'acknowledged') RETURNING *`,
        [alertId, by, at],
      ),
    );
    return rows.length === 0 ? null : alertRow(rows[0]);
  }

  /** Open alerts whose next escalation is due, locked; skipped when another worker holds them. */
  async lockDueEscalations(q: Tx, now: Date, limit: number): Promise<AlertRow[]> {
    const rows: unknown[] = await managerOf(q).query(
      `SELECT * FROM alerts WHERE next_escalation_at <= $1 AND status IN ('raised', 'delivered')
       ORDER BY next_escalation_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map(alertRow);
  }

  async escalate(q: Queryable, alertId: string, level: number, nextEscalationAt: Date | null): Promise<void> {
    await managerOf(q).query(`UPDATE alerts SET level = $2, next_escalation_at = $3 WHERE alert_id = $1`, [
      alertId,
      level,
      nextEscalationAt,
    ]);
  }
}
