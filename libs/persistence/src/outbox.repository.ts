import type { StateChangeV1 } from '@linewatch/contracts';
import { managerOf, type Queryable } from './database';

export interface OutboxEntry {
  readonly changeId: string;
  readonly lineId: string;
  /** The `line.state-change.v1` published on the topic and announced on the live stream. */
  readonly payload: StateChangeV1;
}

export interface PendingEntry extends OutboxEntry {
  readonly seq: string;
  readonly topic: string;
}

/**
 * The state-change outbox: entries are written in the transaction that changed the state and
 * published by the relay in `seq` order, at least once. One relay at a time holds the lease.
 */
export class OutboxRepository {
  /** Entries for `topic` (the state-change topic with the deployment's prefix), published there by the relay. */
  async append(q: Queryable, topic: string, entries: readonly OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await managerOf(q).query(
      `INSERT INTO line_state_changes_outbox (change_id, topic, line_id, payload)
       SELECT change_id, topic, line_id, payload
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[]) WITH ORDINALITY AS u(change_id, topic, line_id, payload, n)
       ORDER BY n`,
      [
        entries.map((e) => e.changeId),
        entries.map(() => topic),
        entries.map((e) => e.lineId),
        entries.map((e) => JSON.stringify(e.payload)),
      ],
    );
  }

  /**
   * Takes or renews the named lease for `holder` for `ttlMs`; false when another holder has an
   * unexpired one. The database clock decides, so instances need not agree on time.
   */
  async acquireLease(q: Queryable, name: string, holder: string, ttlMs: number): Promise<boolean> {
    const rows: unknown[] = await managerOf(q).query(
      `INSERT INTO outbox_relay_leases (name, holder, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE outbox_relay_leases.holder = excluded.holder OR outbox_relay_leases.expires_at < now()
       RETURNING holder`,
      [name, holder, ttlMs],
    );
    return rows.length > 0;
  }

  async releaseLease(q: Queryable, name: string, holder: string): Promise<void> {
    await managerOf(q).query(`DELETE FROM outbox_relay_leases WHERE name = $1 AND holder = $2`, [name, holder]);
  }

  async pending(q: Queryable, topic: string, limit: number): Promise<PendingEntry[]> {
    // The payloads the tracker wrote (`append`), as JSON: read back as written.
    const rows: { seq: string; change_id: string; line_id: string; payload: StateChangeV1 }[] = await managerOf(q).query(
      `SELECT seq, change_id, line_id, payload FROM line_state_changes_outbox WHERE topic = $1 AND published_at IS NULL ORDER BY seq LIMIT $2`,
      [topic, limit],
    );
    return rows.map((r) => ({ seq: String(r.seq), changeId: r.change_id, topic, lineId: r.line_id, payload: r.payload }));
  }

  /** Entries for `topic` not yet published, and how long the oldest has waited (seconds, by the database clock). */
  async backlog(q: Queryable, topic: string): Promise<{ pending: number; oldestAgeSeconds: number }> {
    const rows: { pending: number; oldest_age_seconds: number | null }[] = await managerOf(q).query(
      `SELECT count(*)::int AS pending, extract(epoch FROM now() - min(created_at))::float8 AS oldest_age_seconds
       FROM line_state_changes_outbox WHERE topic = $1 AND published_at IS NULL`,
      [topic],
    );
    return { pending: Number(rows[0]?.pending ?? 0), oldestAgeSeconds: Math.max(0, Number(rows[0]?.oldest_age_seconds ?? 0)) };
  }

  async markPublished(q: Queryable, seqs: readonly string[]): Promise<void> {
    if (seqs.length === 0) return;
    await managerOf(q).query(`UPDATE line_state_changes_outbox SET published_at = now() WHERE seq = ANY($1::bigint[])`, [[...seqs]]);
  }
}
