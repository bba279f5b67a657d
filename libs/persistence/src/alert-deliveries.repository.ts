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

/** One try at sending a delivery; `retryAt` only when it failed and is tried again. */
export interface DeliveryAttempt {
  readonly deliveryId: string;
  readonly alertId: string;
  readonly at: Date;
  readonly outcome: 'sent' | 'failed';
  readonly detail: string | null;
  readonly retryAt: Date | null;
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
   * Records attempts, one per delivery, in one statement (a batch's worth after its sends). Sent:
   * the delivery is done and its alert counts as delivered. Failed: retried at `retryAt`, or given
   * up (status failed) when it is null.
   */
  async recordAttempts(q: Tx, attempts: readonly DeliveryAttempt[]): Promise<void> {
    if (attempts.length === 0) return;
    await managerOf(q).query(
      `WITH a AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::text[], $5::text[], $6::timestamptz[])
           WITH ORDINALITY AS a(delivery_id, alert_id, at, outcome, detail, retry_at, n)
       ), logged AS (
         INSERT INTO alert_delivery_attempts (delivery_id, attempted_at, outcome, detail)
         SELECT delivery_id, at, outcome, detail FROM a ORDER BY n
       ), deliveries AS (
         UPDATE alert_deliveries d
            SET attempts = d.attempts + 1,
                status = CASE WHEN a.outcome = 'sent' THEN 'sent' WHEN a.retry_at IS NULL THEN 'failed' ELSE 'pending' END,
                sent_at = CASE WHEN a.outcome = 'sent' THEN a.at ELSE d.sent_at END,
                last_error = CASE WHEN a.outcome = 'sent' THEN NULL ELSE a.detail END,
                next_attempt_at = COALESCE(a.retry_at, d.next_attempt_at)
           FROM a WHERE d.delivery_id = a.delivery_id
       )
       UPDATE alerts t SET status = 'delivered', delivered_at = a.at
         FROM a WHERE a.outcome = 'sent' AND t.alert_id = a.alert_id AND t.status = 'raised'`,
      [
        attempts.map((a) => a.deliveryId),
        attempts.map((a) => a.alertId),
        attempts.map((a) => a.at),
        attempts.map((a) => a.outcome),
        attempts.map((a) => a.detail),
        attempts.map((a) => a.retryAt),
      ],
    );
  }
}
