import type { IntelEventV1, LineResolution } from '@linewatch/contracts';
import {
  attributeIdentifier,
  identifierKey,
  normaliseBrand,
  type HeldInterval,
  type IdentifierKind,
  type IdentityFact,
  type LineIdentifier,
  type LineIdentity,
} from '@linewatch/domain';
import { scopeParams, type AreaScope } from './area-scope';
import { managerOf, type Queryable } from './database';
import { eventsOfLinesHalves } from './events-of-line.sql';

/** An identity fact as stored: with the handling code of the event it came from. */
export interface StoredIdentityFact extends IdentityFact {
  readonly handling: 'P' | 'C';
}

/** What may be shown to, or looked up by, a reader who is not shown handling-C evidence. */
export interface DisclosableKeys {
  /** `identifierKey`s named by at least one fact that is not handling C. */
  readonly identifiers: ReadonlySet<string>;
  /** Brands (compared form) named by at least one such fact. */
  readonly brands: ReadonlySet<string>;
}

/** The identifiers and brands named by at least one non-C fact (a number known only from C evidence stays withheld). */
export function disclosableKeysOf(facts: readonly StoredIdentityFact[]): DisclosableKeys {
  const identifiers = new Set<string>();
  const brands = new Set<string>();
  for (const fact of facts) {
    if (fact.handling === 'C') continue;
    for (const identifier of [...fact.attaches, ...fact.ends]) identifiers.add(identifierKey(identifier));
    for (const written of fact.brands) {
      const brand = normaliseBrand(written);
      if (brand !== null) brands.add(brand);
    }
  }
  return { identifiers, brands };
}

export interface StoredInterval {
  readonly lineId: string;
  readonly kind: IdentifierKind;
  readonly value: string;
  readonly from: Date;
  readonly to: Date | null;
  readonly startedBy: string;
  readonly endedBy: string | null;
  readonly disclosable: boolean;
}

export interface StoredBrand {
  readonly lineId: string;
  readonly brand: string;
  readonly writtenAs: readonly string[];
  readonly firstSeenAt: Date;
  readonly lastSeenAt: Date;
  readonly disclosable: boolean;
}

/** What a reader may see: officers within their areas, and only what non-C evidence named. */
export interface IdentityReader {
  readonly scope: AreaScope;
  readonly seesHandlingC: boolean;
}

export type IdentityLookup = { readonly kind: IdentifierKind; readonly value: string } | { readonly kind: 'brand'; readonly value: string };

export interface IdentityMatch {
  readonly lineId: string;
  readonly state: string | null;
  readonly area: string | null;
  /** The matching intervals (a number or handset lookup) — empty for a brand lookup. */
  readonly intervals: readonly StoredInterval[];
  /** The matching brand (a brand lookup). */
  readonly brand: StoredBrand | null;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- rows from pg */
export const interval = (r: any): StoredInterval => ({
  lineId: r.line_id,
  kind: r.kind,
  value: r.value,
  from: r.valid_from,
  to: r.valid_to,
  startedBy: r.started_by,
  endedBy: r.ended_by,
  disclosable: r.disclosable,
});
export const brand = (r: any): StoredBrand => ({
  lineId: r.line_id,
  brand: r.brand_key,
  writtenAs: r.written_as,
  firstSeenAt: r.first_seen_at,
  lastSeenAt: r.last_seen_at,
  disclosable: r.disclosable,
});
/* eslint-enable @typescript-eslint/no-explicit-any */

const CHUNK = 200;
const INTERVAL_COLUMNS = 'line_id, kind, value, valid_from, valid_to, started_by, ended_by, disclosable';

/**
 * The identifier intervals (with `seq`) and the brands of the line bound at `lineParam` that a
 * reader bound at `seesParam` (boolean: shown handling-C evidence) may see; unordered. For this
 * library only (`identityOf`, and the line history of `LineQueriesRepository`).
 */
export const INTERVALS_OF_LINE = (lineParam: string, seesParam: string) =>
  `SELECT seq, ${INTERVAL_COLUMNS} FROM line_identifiers WHERE line_id = ${lineParam} AND (${seesParam}::boolean OR disclosable)`;
export const BRANDS_OF_LINE = (lineParam: string, seesParam: string) =>
  `SELECT * FROM line_brands WHERE line_id = ${lineParam} AND (${seesParam}::boolean OR disclosable)`;

/**
 * Line identity as stored (migration 0008): each line's identity facts, and the intervals and
 * brands computed from them by the domain's `lineIdentityOf`. Every method runs in the caller's
 * `Queryable` (a transaction, or autocommit statements for a read).
 */
export class LineIdentityRepository {
  /** Stores facts (a fact already stored, for its line and event, is kept as it is). */
  async storeFacts(q: Queryable, facts: readonly StoredIdentityFact[]): Promise<void> {
    for (let i = 0; i < facts.length; i += CHUNK) {
      const chunk = facts.slice(i, i + CHUNK);
      // One JSON document a statement (read by jsonb_to_recordset), not `jsonb[]` parameters each
      // element of which node-postgres escapes into an array literal and the server parses alone;
      // its JSON arrays read straight into the text[] columns (no subquery a row).
      await managerOf(q).query(
        `INSERT INTO line_identity_facts (line_id, event_id, occurred_at, rank, handling, attaches, ends, ends_open, brands)
         SELECT u.line_id, u.event_id, u.occurred_at, u.rank, u.handling, u.attaches, u.ends, u.ends_open, u.brands
         FROM jsonb_to_recordset($1::jsonb)
           AS u(line_id text, event_id uuid, occurred_at timestamptz, rank smallint, handling text, attaches jsonb, ends jsonb,
                ends_open text[], brands text[])
         ON CONFLICT (line_id, event_id) DO NOTHING`,
        [
          JSON.stringify(
            chunk.map((f) => ({
              line_id: f.lineId,
              event_id: f.eventId,
              occurred_at: f.occurredAt,
              rank: f.rank,
              handling: f.handling,
              attaches: f.attaches.map(({ kind, value }) => ({ kind, value })),
              ends: f.ends.map(({ kind, value }) => ({ kind, value })),
              ends_open: f.endsOpen,
              brands: f.brands,
            })),
          ),
        ],
      );
    }
  }

  /**
   * Replaces every fact of these lines with `facts` (a rebuild re-derives them from the stored
   * events, so a change of the rule reaches old events).
   */
  async replaceFacts(q: Queryable, lineIds: readonly string[], facts: readonly StoredIdentityFact[]): Promise<void> {
    if (lineIds.length === 0) return;
    await managerOf(q).query(`DELETE FROM line_identity_facts WHERE line_id = ANY($1::text[])`, [[...lineIds]]);
    await this.storeFacts(
      q,
      facts.filter((fact) => lineIds.includes(fact.lineId)),
    );
  }

  /** The stored events naming these lines (whole payloads: what the identity rule reads), for a rebuild. */
  async eventsNaming(q: Queryable, lineIds: readonly string[]): Promise<IntelEventV1[]> {
    if (lineIds.length === 0) return [];
    const [first, other] = eventsOfLinesHalves('$1::text[]');
    const rows: { payload: IntelEventV1 }[] = await managerOf(q).query(
      `SELECT payload FROM intel_events WHERE ${first} UNION ALL SELECT payload FROM intel_events WHERE ${other}`,
      [[...lineIds]],
    );
    return rows.map((r) => r.payload);
  }

  /** The stored facts of these lines (each under the line its event named). */
  async factsOf(q: Queryable, lineIds: readonly string[]): Promise<StoredIdentityFact[]> {
    if (lineIds.length === 0) return [];
    const rows: {
      line_id: string;
      event_id: string;
      occurred_at: Date;
      rank: number;
      handling: 'P' | 'C';
      attaches: LineIdentifier[];
      ends: LineIdentifier[];
      ends_open: IdentifierKind[];
      brands: string[];
    }[] = await managerOf(q).query(
      `SELECT line_id, event_id, occurred_at, rank, handling, attaches, ends, ends_open, brands
       FROM line_identity_facts WHERE line_id = ANY($1::text[])`,
      [[...new Set(lineIds)]],
    );
    return rows.map((r) => ({
      lineId: r.line_id,
      eventId: r.event_id,
      occurredAt: r.occurred_at,
      rank: Number(r.rank),
      handling: r.handling,
      attaches: r.attaches,
      ends: r.ends,
      endsOpen: r.ends_open,
      brands: r.brands,
    }));
  }

  /** Replaces the intervals and brands of each line with its computed identity. */
  async replace(q: Queryable, identities: readonly { identity: LineIdentity; disclosable: DisclosableKeys }[]): Promise<void> {
    if (identities.length === 0) return;
    await this.clear(
      q,
      identities.map((i) => i.identity.lineId),
    );
    const intervals = identities.flatMap(({ identity, disclosable }) =>
      [...identity.numbers, ...identity.handsets].map((held, seq) => ({
        ...held,
        lineId: identity.lineId,
        seq,
        disclosable: disclosable.identifiers.has(identifierKey(held)),
      })),
    );
    for (let i = 0; i < intervals.length; i += CHUNK) {
      const chunk = intervals.slice(i, i + CHUNK);
      await managerOf(q).query(
        `INSERT INTO line_identifiers (line_id, seq, kind, value, valid_from, valid_to, started_by, ended_by, disclosable)
         SELECT * FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::uuid[], $8::uuid[], $9::boolean[])`,
        [
          chunk.map((r) => r.lineId),
          chunk.map((r) => r.seq),
          chunk.map((r) => r.kind),
          chunk.map((r) => r.value),
          chunk.map((r) => r.from),
          chunk.map((r) => r.to),
          chunk.map((r) => r.startedBy),
          chunk.map((r) => r.endedBy),
          chunk.map((r) => r.disclosable),
        ],
      );
    }
    const brands = identities.flatMap(({ identity, disclosable }) =>
      identity.brands.map((b) => ({ ...b, lineId: identity.lineId, disclosable: disclosable.brands.has(b.brand) })),
    );
    for (let i = 0; i < brands.length; i += CHUNK) {
      const chunk = brands.slice(i, i + CHUNK);
      await managerOf(q).query(
        `INSERT INTO line_brands (line_id, brand_key, written_as, first_seen_at, last_seen_at, disclosable)
         SELECT u.line_id, u.brand_key, ARRAY(SELECT jsonb_array_elements_text(u.written_as)), u.first_seen_at, u.last_seen_at, u.disclosable
         FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::timestamptz[], $5::timestamptz[], $6::boolean[])
           AS u(line_id, brand_key, written_as, first_seen_at, last_seen_at, disclosable)`,
        [
          chunk.map((b) => b.lineId),
          chunk.map((b) => b.brand),
          chunk.map((b) => JSON.stringify(b.writtenAs)),
          chunk.map((b) => b.firstSeenAt),
          chunk.map((b) => b.lastSeenAt),
          chunk.map((b) => b.disclosable),
        ],
      );
    }
  }

  /** The open intervals and the brands of these lines: what the tracker's fast path compares new facts with. */
  async currentOf(q: Queryable, lineIds: readonly string[]): Promise<{ open: StoredInterval[]; brands: StoredBrand[] }> {
    if (lineIds.length === 0) return { open: [], brands: [] };
    const open: unknown[] = await managerOf(q).query(
      `SELECT ${INTERVAL_COLUMNS} FROM line_identifiers WHERE line_id = ANY($1::text[]) AND valid_to IS NULL`,
      [[...lineIds]],
    );
    const brands: unknown[] = await managerOf(q).query(`SELECT * FROM line_brands WHERE line_id = ANY($1::text[])`, [[...lineIds]]);
    return { open: open.map(interval), brands: brands.map(brand) };
  }

  /**
   * The fast path's write: brands as given (inserted or overwritten), and the open intervals of
   * these identifiers made disclosable (a non-C event named them).
   */
  async touch(
    q: Queryable,
    brands: readonly StoredBrand[],
    disclosed: readonly { lineId: string; kind: IdentifierKind; value: string }[],
  ): Promise<void> {
    if (brands.length > 0)
      await managerOf(q).query(
        `INSERT INTO line_brands (line_id, brand_key, written_as, first_seen_at, last_seen_at, disclosable)
         SELECT u.line_id, u.brand_key, ARRAY(SELECT jsonb_array_elements_text(u.written_as)), u.first_seen_at, u.last_seen_at, u.disclosable
         FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::timestamptz[], $5::timestamptz[], $6::boolean[])
           AS u(line_id, brand_key, written_as, first_seen_at, last_seen_at, disclosable)
         ON CONFLICT (line_id, brand_key) DO UPDATE SET written_as = excluded.written_as, first_seen_at = excluded.first_seen_at,
           last_seen_at = excluded.last_seen_at, disclosable = excluded.disclosable`,
        [
          brands.map((b) => b.lineId),
          brands.map((b) => b.brand),
          brands.map((b) => JSON.stringify(b.writtenAs)),
          brands.map((b) => b.firstSeenAt),
          brands.map((b) => b.lastSeenAt),
          brands.map((b) => b.disclosable),
        ],
      );
    if (disclosed.length > 0)
      await managerOf(q).query(
        `UPDATE line_identifiers i SET disclosable = true FROM unnest($1::text[], $2::text[], $3::text[]) AS u(line_id, kind, value)
         WHERE i.line_id = u.line_id AND i.kind = u.kind AND i.value = u.value AND NOT i.disclosable`,
        [disclosed.map((d) => d.lineId), disclosed.map((d) => d.kind), disclosed.map((d) => d.value)],
      );
  }

  /** Removes the intervals and brands of these lines (a merged line's are its survivor's). */
  async clear(q: Queryable, lineIds: readonly string[]): Promise<void> {
    if (lineIds.length === 0) return;
    await managerOf(q).query(`DELETE FROM line_identifiers WHERE line_id = ANY($1::text[])`, [[...lineIds]]);
    await managerOf(q).query(`DELETE FROM line_brands WHERE line_id = ANY($1::text[])`, [[...lineIds]]);
  }

  /**
   * The intervals attribution reads for one identifier at one instant, in ONE round trip of three
   * index probes: the interval held at `at` (latest start at or before it, then its end checked —
   * several lines: the latest attached), the one that ended most recently before, and the one
   * that starts first after. The domain's `attributeIdentifier` decides from these alone.
   */
  async heldAround(q: Queryable, identifier: LineIdentifier, at: Date): Promise<HeldInterval[]> {
    const rows: { line_id: string; kind: IdentifierKind; value: string; valid_from: Date; valid_to: Date | null }[] = await managerOf(
      q,
    ).query(
      `(SELECT line_id, kind, value, valid_from, valid_to FROM line_identifiers
         WHERE kind = $1 AND value = $2 AND valid_from <= $3 AND (valid_to IS NULL OR valid_to >= $3)
         ORDER BY valid_from DESC, line_id LIMIT 1)
       UNION ALL
       (SELECT line_id, kind, value, valid_from, valid_to FROM line_identifiers
         WHERE kind = $1 AND value = $2 AND valid_to IS NOT NULL AND valid_to < $3
         ORDER BY valid_to DESC, valid_from DESC, line_id LIMIT 1)
       UNION ALL
       (SELECT line_id, kind, value, valid_from, valid_to FROM line_identifiers
         WHERE kind = $1 AND value = $2 AND valid_from > $3
         ORDER BY valid_from, line_id LIMIT 1)`,
      [identifier.kind, identifier.value, at],
    );
    return rows.map((r) => ({ lineId: r.line_id, kind: r.kind, value: r.value, from: r.valid_from, to: r.valid_to }));
  }

  /**
   * The line an event naming `identifier` at `at` goes to, and how (`held`, `held_before`,
   * `held_after`, `new`; `given` with a conflict when `given` is named beside it) — the domain's
   * rule on the intervals known now, ids resolved through aliases. For ingest: takes any Queryable
   * (`Database.autocommit`, no transaction needed), one identifier and one instant; two queries.
   */
  async attribute(q: Queryable, identifier: LineIdentifier, at: Date, options: { given?: string | null } = {}): Promise<LineResolution> {
    const held = await this.heldAround(q, identifier, at);
    const unresolved = attributeIdentifier(identifier, at, held, { given: options.given });
    const roots = await rootsOf(q, [unresolved.lineId, ...(unresolved.conflictWith === undefined ? [] : [unresolved.conflictWith])]);
    return attributeIdentifier(identifier, at, held, { given: options.given, rootOf: (lineId) => roots.get(lineId) ?? lineId });
  }

  /** Every line (in the reader's scope) that held a number or handset, or used a brand, with the matching intervals or brand. */
  async lookup(q: Queryable, lookup: IdentityLookup, reader: IdentityReader): Promise<IdentityMatch[]> {
    const scope = scopeParams(reader.scope);
    if (lookup.kind === 'brand') {
      const key = normaliseBrand(lookup.value);
      if (key === null) return [];
      /* eslint-disable-next-line @typescript-eslint/no-explicit-any */
      const rows: any[] = await managerOf(q).query(
        `SELECT b.*, l.state, l.area FROM line_brands b JOIN lines l ON l.line_id = b.line_id
         WHERE b.brand_key = $3 AND ($4::boolean OR b.disclosable) AND ($1::boolean OR l.areas && $2::text[])
         ORDER BY b.last_seen_at DESC, b.line_id`,
        [...scope, key, reader.seesHandlingC],
      );
      return rows.map((r) => ({ lineId: r.line_id, state: r.state, area: r.area, intervals: [], brand: brand(r) }));
    }
    /* eslint-disable-next-line @typescript-eslint/no-explicit-any */
    const rows: any[] = await managerOf(q).query(
      `SELECT ${INTERVAL_COLUMNS.split(', ')
        .map((c) => `i.${c}`)
        .join(', ')}, l.state, l.area
       FROM line_identifiers i JOIN lines l ON l.line_id = i.line_id
       WHERE i.kind = $3 AND i.value = $4 AND ($5::boolean OR i.disclosable) AND ($1::boolean OR l.areas && $2::text[])
       ORDER BY i.valid_from DESC, i.line_id`,
      [...scope, lookup.kind, lookup.value, reader.seesHandlingC],
    );
    const byLine = new Map<string, IdentityMatch & { intervals: StoredInterval[] }>();
    for (const r of rows) {
      const match = byLine.get(r.line_id) ?? {
        lineId: r.line_id,
        state: r.state,
        area: r.area,
        intervals: [] as StoredInterval[],
        brand: null,
      };
      match.intervals.push(interval(r));
      byLine.set(r.line_id, match);
    }
    return [...byLine.values()];
  }

  /** One line's stored identity (its intervals, by start, and brands), what the reader may see of it. */
  async identityOf(
    q: Queryable,
    lineId: string,
    reader: { readonly seesHandlingC: boolean },
  ): Promise<{ intervals: StoredInterval[]; brands: StoredBrand[] }> {
    const intervals: unknown[] = await managerOf(q).query(`${INTERVALS_OF_LINE('$1', '$2')} ORDER BY valid_from, kind, value, seq`, [
      lineId,
      reader.seesHandlingC,
    ]);
    const brands: unknown[] = await managerOf(q).query(`${BRANDS_OF_LINE('$1', '$2')} ORDER BY brand_key`, [lineId, reader.seesHandlingC]);
    return { intervals: intervals.map(interval), brands: brands.map(brand) };
  }
}

/** Each id's root through `line_aliases` (itself when it is no alias). */
export async function rootsOf(q: Queryable, lineIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(lineIds)];
  const out = new Map(ids.map((id) => [id, id]));
  if (ids.length === 0) return out;
  const rows: { alias_id: string; root_id: string }[] = await managerOf(q).query(
    `SELECT alias_id, root_id FROM line_aliases WHERE alias_id = ANY($1::text[])`,
    [ids],
  );
  for (const r of rows) out.set(r.alias_id, r.root_id);
  return out;
}
