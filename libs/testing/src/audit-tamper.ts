import { Client } from 'pg';

/**
 * What a database superuser can do to the s.62 log behind the application's back (issue 19,
 * part 5): switch the append-only trigger off, rewrite an entry and recompute every hash after it
 * (so the chain in the database holds again), or remove the tail. For the tamper tests only.
 */
async function asSuperuser<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE disclosure_log DISABLE TRIGGER USER');
    const result = await work(client);
    await client.query('ALTER TABLE disclosure_log ENABLE TRIGGER USER');
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** Rewrites the justification of the entry at `chainSeq` and recomputes the chain from it on; returns its entry id. */
export function rewriteAuditEntry(url: string, chainSeq: number, justification = 'nothing to see here'): Promise<string> {
  if (!Number.isInteger(chainSeq) || chainSeq < 1) throw new Error(`not a chain position: ${chainSeq}`);
  return asSuperuser(url, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `UPDATE disclosure_log SET justification = $2 WHERE chain_seq = $1 RETURNING entry_id::text AS id`,
      [chainSeq, justification],
    );
    if (rows.length !== 1) throw new Error(`no entry at #${chainSeq}`);
    await client.query(`
      DO $$
      DECLARE
        r record;
        prev text;
      BEGIN
        SELECT coalesce((SELECT hash FROM disclosure_log WHERE chain_seq = ${chainSeq - 1}), 'genesis') INTO prev;
        FOR r IN SELECT * FROM disclosure_log WHERE chain_seq >= ${chainSeq} ORDER BY chain_seq LOOP
          UPDATE disclosure_log SET prev_hash = prev,
            hash = disclosure_log_entry_hash(prev, r.entry_id, r.at, r.actor, r.action, r.subject_type, r.subject_id,
                                             r.recipient, r.channel, r.justification, r.details)
          WHERE entry_id = r.entry_id
          RETURNING hash INTO prev;
        END LOOP;
      END $$`);
    return rows[0]!.id;
  });
}

/** Deletes the last `count` entries of the chain; returns the chain position of the first one removed. */
export function truncateAuditLog(url: string, count: number): Promise<string> {
  return asSuperuser(url, async (client) => {
    const { rows } = await client.query<{ seq: string }>(
      `WITH gone AS (
         DELETE FROM disclosure_log WHERE chain_seq IN (SELECT chain_seq FROM disclosure_log WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT $1)
         RETURNING chain_seq)
       SELECT min(chain_seq)::text AS seq FROM gone`,
      [count],
    );
    return rows[0]!.seq;
  });
}
