import { managerOf, type Queryable } from './database';

export interface DisclosureEntry {
  readonly actor: string;
  readonly action: 'collection' | 'alteration' | 'consultation' | 'disclosure' | 'combination' | 'erasure';
  readonly subjectType: string;
  readonly subjectId: string;
  readonly recipient?: string | null;
  readonly channel?: string | null;
  readonly justification: string;
  readonly details?: unknown;
  readonly at?: Date;
}

export interface AuditEntry {
  readonly entryId: string;
  readonly chainSeq: string | null;
  readonly at: Date;
  readonly actor: string;
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly recipient: string | null;
  readonly channel: string | null;
  readonly justification: string;
  readonly details: unknown;
  readonly hash: string | null;
}

export interface AuditSearch {
  readonly actor?: string;
  readonly action?: string;
  readonly subjectType?: string;
  readonly subjectId?: string;
  readonly since?: Date;
  readonly until?: Date;
  readonly limit: number;
}

export interface ChainReport {
  readonly entries: number;
  readonly intact: boolean;
  /** The first entry whose hash or link does not hold (rewritten, or one before it removed). */
  readonly firstBroken: { readonly entryId: string; readonly chainSeq: string; readonly reason: string } | null;
}

/** The chain's head: what a checkpoint names (docs/operations.md, "s.62 log checkpoints"). */
export interface ChainHead {
  /** "0" for an empty chain. */
  readonly chainSeq: string;
  readonly entryId: string | null;
  /** "genesis" for an empty chain. */
  readonly hash: string;
  /** Chained entries in the log. */
  readonly count: string;
}

/** The chain now, at the positions checkpoints name. */
export interface ChainPositions {
  readonly tailSeq: string;
  readonly at: ReadonlyMap<string, { readonly entryId: string; readonly hash: string }>;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- rows from pg */
const entry = (r: any): AuditEntry => ({
  entryId: String(r.entry_id),
  chainSeq: r.chain_seq === null ? null : String(r.chain_seq),
  at: r.at,
  actor: r.actor,
  action: r.action,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  recipient: r.recipient,
  channel: r.channel,
  justification: r.justification,
  details: r.details,
  hash: r.hash,
});
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The s.62 log: append to it, search it, and verify its hash chain. */
export class AuditRepository {
  /** Appends to the log (the database chains each entry). */
  async append(q: Queryable, entries: readonly DisclosureEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await managerOf(q).query(
      `INSERT INTO disclosure_log (at, actor, action, subject_type, subject_id, recipient, channel, justification, details)
       SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[])`,
      [
        entries.map((e) => e.at ?? new Date()),
        entries.map((e) => e.actor),
        entries.map((e) => e.action),
        entries.map((e) => e.subjectType),
        entries.map((e) => e.subjectId),
        entries.map((e) => e.recipient ?? null),
        entries.map((e) => e.channel ?? null),
        entries.map((e) => e.justification),
        entries.map((e) => JSON.stringify(e.details ?? {})),
      ],
    );
  }
  async search(q: Queryable, search: AuditSearch): Promise<AuditEntry[]> {
    const rows: unknown[] = await managerOf(q).query(
      `SELECT * FROM disclosure_log
       WHERE ($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR action = $2)
         AND ($3::text IS NULL OR subject_type = $3) AND ($4::text IS NULL OR subject_id = $4)
         AND ($5::timestamptz IS NULL OR at >= $5) AND ($6::timestamptz IS NULL OR at < $6)
       ORDER BY entry_id DESC LIMIT $7`,
      [
        search.actor ?? null,
        search.action ?? null,
        search.subjectType ?? null,
        search.subjectId ?? null,
        search.since ?? null,
        search.until ?? null,
        search.limit,
      ],
    );
    return rows.map(entry);
  }

  /** The head of the chain as committed now (the highest chain_seq), and how many entries are chained. */
  async head(q: Queryable): Promise<ChainHead> {
    const rows: { chain_seq: string; entry_id: string; hash: string; count: string }[] = await managerOf(q).query(
      `SELECT chain_seq::text AS chain_seq, entry_id::text AS entry_id, hash,
              (SELECT count(*) FROM disclosure_log WHERE chain_seq IS NOT NULL)::text AS count
       FROM disclosure_log WHERE disclosure_log.chain_seq IS NOT NULL
       ORDER BY disclosure_log.chain_seq DESC LIMIT 1`, // the column (bigint), not the text alias: #10 comes after #9
    );
    const row = rows[0];
    return row
      ? { chainSeq: row.chain_seq, entryId: row.entry_id, hash: row.hash, count: row.count }
      : { chainSeq: '0', entryId: null, hash: 'genesis', count: '0' };
  }

  /** The entries at the given chain positions, and the tail's position. */
  async positions(q: Queryable, seqs: readonly string[]): Promise<ChainPositions> {
    const [tail]: { tail: string }[] = await managerOf(q).query(
      `SELECT coalesce(max(chain_seq), 0)::text AS tail FROM disclosure_log WHERE chain_seq IS NOT NULL`,
    );
    const rows: { chain_seq: string; entry_id: string; hash: string }[] =
      seqs.length === 0
        ? []
        : await managerOf(q).query(
            `SELECT chain_seq::text AS chain_seq, entry_id::text AS entry_id, hash FROM disclosure_log WHERE chain_seq = ANY($1::bigint[])`,
            [[...new Set(seqs)]],
          );
    return { tailSeq: tail?.tail ?? '0', at: new Map(rows.map((r) => [r.chain_seq, { entryId: r.entry_id, hash: r.hash }])) };
  }

  /** Recomputes every hash in chain order and checks each link to the one before. */
  async verify(q: Queryable): Promise<ChainReport> {
    const rows: { entry_id: string; chain_seq: string; ok_hash: boolean; ok_link: boolean }[] = await managerOf(q).query(
      `SELECT entry_id, chain_seq,
              hash = disclosure_log_entry_hash(prev_hash, entry_id, at, actor, action, subject_type, subject_id,
                                               recipient, channel, justification, details) AS ok_hash,
              prev_hash = coalesce(lag(hash) OVER (ORDER BY chain_seq), 'genesis')
                AND chain_seq = coalesce(lag(chain_seq) OVER (ORDER BY chain_seq), 0) + 1 AS ok_link
       FROM disclosure_log WHERE chain_seq IS NOT NULL ORDER BY chain_seq`,
    );
    const broken = rows.find((r) => !r.ok_hash || !r.ok_link);
    return {
      entries: rows.length,
      intact: broken === undefined,
      firstBroken: broken
        ? {
            entryId: String(broken.entry_id),
            chainSeq: String(broken.chain_seq),
            reason: broken.ok_hash
              ? 'its link to the entry before does not hold (an entry removed or reordered)'
              : 'its content does not match its hash (rewritten)',
          }
        : null,
    };
  }
}
