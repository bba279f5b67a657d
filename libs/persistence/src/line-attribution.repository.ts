import type { HeldInterval, IdentifierKind, IntakeLookups, KnownLines, LineIdentifier } from '@linewatch/domain';
import { identifierKey } from '@linewatch/domain';
import { managerOf, type Queryable } from './database';

/**
 * What intake (and the tracker, for a direct producer's identifier-only event) reads to attribute
 * a whole batch: every interval of the identifiers it names, and the aliases of the lines involved
 * — ONE statement, whatever the batch's size (the domain's `resolveSubmission` decides from it).
 * Every interval of an identifier rather than the three probes per instant of
 * `LineIdentityRepository.heldAround`: a batch names one identifier at many instants, and a line
 * holds a number over few intervals.
 */
export class LineAttributionRepository {
  async knownFor(q: Queryable, lookups: IntakeLookups): Promise<KnownLines> {
    if (lookups.identifiers.length === 0 && lookups.lineIds.length === 0) return { intervalsOf: () => [], rootOf: (lineId) => lineId };
    const rows: {
      what: 'held' | 'alias';
      line_id: string;
      kind: IdentifierKind | null;
      value: string | null;
      valid_from: Date | null;
      valid_to: Date | null;
      root_id: string | null;
    }[] = await managerOf(q).query(
      `WITH held AS (
         SELECT i.line_id, i.kind, i.value, i.valid_from, i.valid_to
         FROM line_identifiers i JOIN unnest($1::text[], $2::text[]) AS w(kind, value) ON i.kind = w.kind AND i.value = w.value
       )
       SELECT 'held' AS what, line_id, kind, value, valid_from, valid_to, NULL AS root_id FROM held
       UNION ALL
       SELECT 'alias', alias_id, NULL, NULL, NULL, NULL, root_id FROM line_aliases
       WHERE alias_id = ANY($3::text[]) OR alias_id IN (SELECT line_id FROM held)`,
      [lookups.identifiers.map((i) => i.kind), lookups.identifiers.map((i) => i.value), [...lookups.lineIds]],
    );
    const intervals = new Map<string, HeldInterval[]>();
    const roots = new Map<string, string>();
    for (const r of rows) {
      if (r.what === 'alias') {
        roots.set(r.line_id, r.root_id as string);
        continue;
      }
      const interval: HeldInterval = {
        lineId: r.line_id,
        kind: r.kind as IdentifierKind,
        value: r.value as string,
        from: r.valid_from as Date,
        to: r.valid_to,
      };
      const key = identifierKey(interval);
      intervals.set(key, [...(intervals.get(key) ?? []), interval]);
    }
    return {
      intervalsOf: (identifier: LineIdentifier) => intervals.get(identifierKey(identifier)) ?? [],
      rootOf: (lineId: string) => roots.get(lineId) ?? lineId,
    };
  }
}
