import { managerOf, type Queryable, type Tx } from './database';

export type DeliveryChannel = 'webhook' | 'email';

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

/**
 * Deliveries of alerts to recipients (one per level, recipient and channel) and their attempts:
 * claimed by a worker under a lease, recorded as sent (the alert counts as delivered) or failed
 * (retried, or given up).
 */
export class AlertDeliveriesRepository {
  async insert(q: Queryable, deliveries: readonly NewDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await managerOf(q).query(
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
  async claimDue(q: Tx, now: Date, limit: number, leaseMs: number, aheadMs = 0): Promise<ClaimedDelivery[]> {
    /* eslint-disable-next-line @typescript-eslint/no-explicit-any */
    const rows: any[] = await managerOf(q).query(
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
    q: Tx,
    attempt: { deliveryId: string; alertId: string; at: Date; outcome: 'sent' | 'failed'; detail: string | null; retryAt: Date | null },
  ): Promise<void> {
    await managerOf(q).query(`INSERT INTO alert_delivery_attempts (delivery_id, attempted_at, outcome, detail) VALUES ($1, $2, $3, $4)`, [
      attempt.deliveryId,
      attempt.at,
      attempt.outcome,
      attempt.detail,
    ]);
    if (attempt.outcome === 'sent') {
      await managerOf(q).query(
        `UPDATE alert_deliveries SET status = 'sent', attempts = attempts + 1, sent_at = $2, last_error = NULL WHERE delivery_id = $1`,
        [attempt.deliveryId, attempt.at],
      );
      await managerOf(q).query(`UPDATE alerts SET status = 'delivered', delivered_at = $2 WHERE alert_id = $1 AND status = 'raised'`, [
        attempt.alertId,
        attempt.at,
      ]);
    } else {
      await managerOf(q).query(
        `UPDATE alert_deliveries SET attempts = attempts + 1, last_error = $2,
           status = CASE WHEN $3::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
           next_attempt_at = COALESCE($3::timestamptz, next_attempt_at)
         WHERE delivery_id = $1`,
        [attempt.deliveryId, attempt.detail, attempt.retryAt],
      );
    }
  }
}
