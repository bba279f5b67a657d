import type { EntityManager } from 'typeorm';
import type { AreaScope } from './line-queries.repository';

export type AlertStatus = 'raised' | 'delivered' | 'acknowledged' | 'resolved' | 'silenced';
export type DeliveryChannel = 'webhook' | 'email';

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
  readonly change: unknown;
  readonly content: unknown;
  readonly contentVersion: number;
  readonly sanitised: boolean;
  readonly silenceId: string | null;
  readonly raisedAt: Date;
  readonly nextEscalationAt: Date | null;
}

export interface NewDelivery {
  readonly deliveryId: string;
  readonly alertId: string;
  readonly level: number;
  readonly recipientId: string;
  readonly recipientName: string;
  readonly channel: DeliveryChannel;
  readonly address: string;
  readonly nextAttemptAt: Date;
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
  readonly content: unknown;
  readonly contentVersion: number;
  readonly sanitised: boolean;
  readonly raisedAt: Date;
  readonly deliveredAt: Date | null;
  readonly acknowledgedAt: Date | null;
  readonly acknowledgedBy: string | null;
  readonly nextEscalationAt: Date | null;
}

export interface AlertFilter {
  readonly statuses?: readonly AlertStatus[];
  readonly severity?: string;
  readonly area?: string;
  readonly lineId?: string;
  readonly teamId?: string;
  readonly since?: Date;
  /** Keyset pagination: alerts raised before this one. */
  readonly before?: { readonly raisedAt: Date; readonly alertId: string };
  readonly limit: number;
}

/** $1 = all (boolean), $2 = the scope's areas: officers see alerts for their areas only. */
const ALERT_IN_SCOPE = '($1::boolean OR a.areas && $2::text[])';
const alertScopeParams = (scope: AreaScope): [boolean, string[]] => (scope.kind === 'all' ? [true, []] : [false, [...scope.areas]]);

export interface ClaimedDelivery {
  readonly deliveryId: string;
  readonly alertId: string;
  readonly level: number;
  readonly recipientId: string;
  readonly recipientName: string;
  readonly channel: DeliveryChannel;
  readonly address: string;
  readonly attempts: number;
  readonly content: unknown;
  readonly contentVersion: number;
  readonly sanitised: boolean;
  readonly teamId: string;
  readonly raisedAt: Date;
}

export interface SilenceRow {
  readonly silenceId: string;
  readonly lineId: string | null;
  readonly area: string | null;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly reason: string;
  readonly createdBy: string;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- rows from pg */
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
  content: r.content,
  contentVersion: r.content_version,
  sanitised: r.sanitised,
  raisedAt: r.raised_at,
  deliveredAt: r.delivered_at,
  acknowledgedAt: r.acknowledged_at,
  acknowledgedBy: r.acknowledged_by,
  nextEscalationAt: r.next_escalation_at,
});
const silenceRow = (r: any): SilenceRow => ({
  silenceId: r.silence_id,
  lineId: r.line_id,
  area: r.area,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  reason: r.reason,
  createdBy: r.created_by,
});
/* eslint-enable @typescript-eslint/no-explicit-any */

/** TypeORM answers UPDATE/DELETE … RETURNING with [rows, count], other statements with rows. */
function returnedRows(result: unknown): unknown[] {
  const list = result as unknown[];
  return Array.isArray(list[0]) && typeof list[1] === 'number' ? (list[0] as unknown[]) : list;
}

/**
 * Alerts, their deliveries and attempts, and silences (the s.62 log they write to is the AuditRepository's). Every method runs in
 * the caller's transaction (or autocommits with the data source's manager).
 */
export class AlertsRepository {
  /** Inserts the alerts not raised before (by dedup key); returns the ids of those inserted. */
  async insertAlerts(manager: EntityManager, alerts: readonly NewAlert[]): Promise<Set<string>> {
    if (alerts.length === 0) return new Set();
    const rows: { alert_id: string }[] = await manager.query(
      `INSERT INTO alerts (alert_id, dedup_key, change_id, line_id, team_id, areas, kind, severity, status, change, content,
                           content_version, sanitised, silence_id, raised_at, next_escalation_at)
       SELECT u.alert_id, u.dedup_key, u.change_id, u.line_id, u.team_id, ARRAY(SELECT jsonb_array_elements_text(u.areas)), u.kind,
              u.severity, u.status, u.change, u.content, u.content_version, u.sanitised, u.silence_id, u.raised_at, u.next_escalation_at
       FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::text[], $9::text[],
                   $10::jsonb[], $11::jsonb[], $12::integer[], $13::boolean[], $14::uuid[], $15::timestamptz[], $16::timestamptz[])
         AS u(alert_id, dedup_key, change_id, line_id, team_id, areas, kind, severity, status, change, content, content_version,
              sanitised, silence_id, raised_at, next_escalation_at)
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

  async insertDeliveries(manager: EntityManager, deliveries: readonly NewDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await manager.query(
      `INSERT INTO alert_deliveries (delivery_id, alert_id, level, recipient_id, recipient_name, channel, address, status, next_attempt_at)
       SELECT u.delivery_id, u.alert_id, u.level, u.recipient_id, u.recipient_name, u.channel, u.address, 'pending', u.next_attempt_at
       FROM unnest($1::uuid[], $2::uuid[], $3::integer[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
         AS u(delivery_id, alert_id, level, recipient_id, recipient_name, channel, address, next_attempt_at)
       ON CONFLICT (alert_id, level, recipient_id, channel) DO NOTHING`,
      [
        deliveries.map((d) => d.deliveryId),
        deliveries.map((d) => d.alertId),
        deliveries.map((d) => d.level),
        deliveries.map((d) => d.recipientId),
        deliveries.map((d) => d.recipientName),
        deliveries.map((d) => d.channel),
        deliveries.map((d) => d.address),
        deliveries.map((d) => d.nextAttemptAt),
      ],
    );
  }

  /**
   * Claims up to `limit` due deliveries for `leaseMs` (their next attempt moves past the lease,
   * so another worker takes them only if this one died), skipping rows another worker holds.
   * With them come first attempts for the same team, channel and address that would fall due
   * within `aheadMs` (alerts waiting to be grouped): sent now, together, as a digest.
   */
  async claimDue(manager: EntityManager, now: Date, limit: number, leaseMs: number, aheadMs = 0): Promise<ClaimedDelivery[]> {
    /* eslint-disable-next-line @typescript-eslint/no-explicit-any */
    const rows: any[] = await manager.query(
      `WITH due AS (
         SELECT d.delivery_id, a.team_id, d.channel, d.address
         FROM alert_deliveries d JOIN alerts a USING (alert_id)
         WHERE d.status = 'pending' AND d.next_attempt_at <= $1
         ORDER BY d.next_attempt_at LIMIT $2 FOR UPDATE OF d SKIP LOCKED
       ), companions AS (
         SELECT d.delivery_id
         FROM alert_deliveries d JOIN alerts a USING (alert_id)
         WHERE d.status = 'pending' AND d.attempts = 0 AND d.next_attempt_at > $1
           AND d.next_attempt_at <= $1::timestamptz + $4 * interval '1 millisecond'
           AND (a.team_id, d.channel, d.address) IN (SELECT team_id, channel, address FROM due)
         FOR UPDATE OF d SKIP LOCKED
       ), picked AS (
         SELECT delivery_id FROM due UNION SELECT delivery_id FROM companions
       ), claimed AS (
         UPDATE alert_deliveries d SET next_attempt_at = $1::timestamptz + $3 * interval '1 millisecond'
         FROM picked WHERE d.delivery_id = picked.delivery_id
         RETURNING d.*
       )
       SELECT c.*, a.content, a.content_version, a.sanitised, a.team_id, a.raised_at FROM claimed c JOIN alerts a USING (alert_id)`,
      [now, limit, leaseMs, aheadMs],
    );
    return rows.map((r) => ({
      deliveryId: r.delivery_id,
      alertId: r.alert_id,
      level: r.level,
      recipientId: r.recipient_id,
      recipientName: r.recipient_name,
      channel: r.channel,
      address: r.address,
      attempts: r.attempts,
      content: r.content,
      contentVersion: r.content_version,
      sanitised: r.sanitised,
      teamId: r.team_id,
      raisedAt: r.raised_at,
    }));
  }

  /**
   * Records one attempt. Sent: the delivery is done and the alert counts as delivered. Failed:
   * retried at `retryAt`, or given up (status failed) when it is null.
   */
  async recordAttempt(
    manager: EntityManager,
    attempt: { deliveryId: string; alertId: string; at: Date; outcome: 'sent' | 'failed'; detail: string | null; retryAt: Date | null },
  ): Promise<void> {
    await manager.query(`INSERT INTO alert_delivery_attempts (delivery_id, attempted_at, outcome, detail) VALUES ($1, $2, $3, $4)`, [
      attempt.deliveryId,
      attempt.at,
      attempt.outcome,
      attempt.detail,
    ]);
    if (attempt.outcome === 'sent') {
      await manager.query(
        `UPDATE alert_deliveries SET status = 'sent', attempts = attempts + 1, sent_at = $2, last_error = NULL WHERE delivery_id = $1`,
        [attempt.deliveryId, attempt.at],
      );
      await manager.query(`UPDATE alerts SET status = 'delivered', delivered_at = $2 WHERE alert_id = $1 AND status = 'raised'`, [
        attempt.alertId,
        attempt.at,
      ]);
    } else {
      await manager.query(
        `UPDATE alert_deliveries SET attempts = attempts + 1, last_error = $2,
           status = CASE WHEN $3::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
           next_attempt_at = COALESCE($3::timestamptz, next_attempt_at)
         WHERE delivery_id = $1`,
        [attempt.deliveryId, attempt.detail, attempt.retryAt],
      );
    }
  }

  async find(manager: EntityManager, alertId: string): Promise<AlertRow | null> {
    const rows: unknown[] = await manager.query(`SELECT * FROM alerts WHERE alert_id = $1`, [alertId]);
    return rows.length === 0 ? null : alertRow(rows[0]);
  }

  /** The alert if it is for an area in scope, else null (not found, whether it exists or not). */
  async findInScope(manager: EntityManager, scope: AreaScope, alertId: string): Promise<AlertRow | null> {
    const rows: unknown[] = await manager.query(`SELECT * FROM alerts a WHERE ${ALERT_IN_SCOPE} AND a.alert_id = $3`, [
      ...alertScopeParams(scope),
      alertId,
    ]);
    return rows.length === 0 ? null : alertRow(rows[0]);
  }

  /** Alerts in scope, newest first, filtered; keyset pages on (raisedAt, alertId). */
  async list(manager: EntityManager, scope: AreaScope, filter: AlertFilter): Promise<AlertRow[]> {
    const rows: unknown[] = await manager.query(
      `SELECT * FROM alerts a
       WHERE ${ALERT_IN_SCOPE}
         AND ($3::text[] IS NULL OR a.status = ANY($3))
         AND ($4::text IS NULL OR a.severity = $4)
         AND ($5::text IS NULL OR $5 = ANY(a.areas))
         AND ($6::text IS NULL OR a.line_id = $6)
         AND ($7::text IS NULL OR a.team_id = $7)
         AND ($8::timestamptz IS NULL OR a.raised_at >= $8)
         AND ($9::timestamptz IS NULL OR (a.raised_at, a.alert_id) < ($9, $10::uuid))
       ORDER BY a.raised_at DESC, a.alert_id DESC LIMIT $11`,
      [
        ...alertScopeParams(scope),
        filter.statuses ? [...filter.statuses] : null,
        filter.severity ?? null,
        filter.area ?? null,
        filter.lineId ?? null,
        filter.teamId ?? null,
        filter.since ?? null,
        filter.before?.raisedAt ?? null,
        filter.before?.alertId ?? null,
        filter.limit,
      ],
    );
    return rows.map(alertRow);
  }

  async ofChange(manager: EntityManager, changeId: string): Promise<AlertRow[]> {
    const rows: unknown[] = await manager.query(`SELECT * FROM alerts WHERE change_id = $1 ORDER BY team_id`, [changeId]);
    return rows.map(alertRow);
  }

  /** Acknowledges an open alert (stops its escalation); null when it was not open. */
  async acknowledge(manager: EntityManager, alertId: string, by: string, at: Date): Promise<AlertRow | null> {
    const rows = returnedRows(
      await manager.query(
        `UPDATE alerts SET status = 'acknowledged', acknowledged_at = $3, acknowledged_by = $2, next_escalation_at = NULL
       WHERE alert_id = $1 AND status IN ('raised', 'delivered') RETURNING *`,
        [alertId, by, at],
      ),
    );
    return rows.length === 0 ? null : alertRow(rows[0]);
  }

  async resolve(manager: EntityManager, alertId: string, by: string, at: Date): Promise<AlertRow | null> {
    const rows = returnedRows(
      await manager.query(
        `UPDATE alerts SET status = 'resolved', resolved_at = $3, resolved_by = $2, next_escalation_at = NULL
       WHERE alert_id = $1 AND status IN ('raised', 'delivered', 'acknowledged') RETURNING *`,
        [alertId, by, at],
      ),
    );
    return rows.length === 0 ? null : alertRow(rows[0]);
  }

  /** Open alerts whose next escalation is due, locked; skipped when another worker holds them. */
  async lockDueEscalations(manager: EntityManager, now: Date, limit: number): Promise<AlertRow[]> {
    const rows: unknown[] = await manager.query(
      `SELECT * FROM alerts WHERE next_escalation_at <= $1 AND status IN ('raised', 'delivered')
       ORDER BY next_escalation_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map(alertRow);
  }

  async escalate(manager: EntityManager, alertId: string, level: number, nextEscalationAt: Date | null): Promise<void> {
    await manager.query(`UPDATE alerts SET level = $2, next_escalation_at = $3 WHERE alert_id = $1`, [alertId, level, nextEscalationAt]);
  }

  async activeSilences(manager: EntityManager, now: Date): Promise<SilenceRow[]> {
    const rows: unknown[] = await manager.query(
      `SELECT * FROM alert_silences WHERE cancelled_at IS NULL AND starts_at <= $1 AND ends_at > $1 ORDER BY created_at`,
      [now],
    );
    return rows.map(silenceRow);
  }

  /** Silences in force or to come, in scope: an area's, or a line's whose areas are in scope. */
  async listSilences(manager: EntityManager, now: Date, scope: AreaScope): Promise<SilenceRow[]> {
    const rows: unknown[] = await manager.query(
      `SELECT s.* FROM alert_silences s
       WHERE s.cancelled_at IS NULL AND s.ends_at > $3
         AND ($1::boolean OR s.area = ANY($2::text[])
              OR EXISTS (SELECT 1 FROM lines l WHERE l.line_id = s.line_id AND l.areas && $2::text[]))
       ORDER BY s.starts_at`,
      [...alertScopeParams(scope), now],
    );
    return rows.map(silenceRow);
  }

  async insertSilence(manager: EntityManager, silence: SilenceRow): Promise<void> {
    await manager.query(
      `INSERT INTO alert_silences (silence_id, line_id, area, starts_at, ends_at, reason, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [silence.silenceId, silence.lineId, silence.area, silence.startsAt, silence.endsAt, silence.reason, silence.createdBy],
    );
  }

  async cancelSilence(manager: EntityManager, silenceId: string, by: string, at: Date): Promise<boolean> {
    const rows = returnedRows(
      await manager.query(
        `UPDATE alert_silences SET cancelled_at = $3, cancelled_by = $2 WHERE silence_id = $1 AND cancelled_at IS NULL RETURNING silence_id`,
        [silenceId, by, at],
      ),
    );
    return rows.length > 0;
  }
}
