/**
 * The api's line reads with line identity, on both database flavours: the list's brands and current
 * number (one statement, as the reader may see them), merged lines left out of the list and resolved
 * to their survivor, and a line's identity details (intervals, brands, aliases, link decisions with
 * the unmerges of its merges) — nothing known only from handling-C evidence for an officer.
 */
import { randomUUID } from 'node:crypto';
import { validateIntelEvent, type IntelEventV1, type LineLinkV1 } from '@linewatch/contracts';
import { lineIdentityOf, type LinkState } from '@linewatch/domain';
import {
  AreaScope,
  Database,
  IntelEventsRepository,
  LineIdentityRepository,
  LineLinksRepository,
  LineQueriesRepository,
  LinesRepository,
  disclosableKeysOf,
  type LineInScope,
  type Queryable,
  type StoredIdentityFact,
} from '@linewatch/persistence';
import { Pool } from 'pg';
import { aRaid, aSighting, testDatabaseConfig, type DatabaseFlavour } from '@linewatch/testing';

const DAY = 24 * 60 * 60 * 1000;
const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * DAY);
const unique = () => randomUUID().slice(0, 8).toUpperCase();
const number = () => `+4477009${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
const REVIEW = { intervalDays: 365 };

function fact(lineId: string, at: number, says: Partial<StoredIdentityFact>, handling: 'P' | 'C' = 'P'): StoredIdentityFact {
  return {
    eventId: randomUUID(),
    lineId,
    occurredAt: day(at),
    rank: 1,
    attaches: [],
    ends: [],
    endsOpen: [],
    brands: [],
    handling,
    ...says,
  };
}

/** A link decision as the api publishes it (only what `record` reads matters here). */
function linkEvent(type: LineLinkV1['type'], lineId: string, at: number, body: Record<string, string>): LineLinkV1 {
  return {
    eventId: randomUUID(),
    type,
    lineId,
    occurredAt: day(at).toISOString(),
    area: 'bath',
    grading: { system: '3x5x2', source: '1', intelligence: 'A', handling: 'P' },
    source: { system: 'linewatch-api', reference: 'test' },
    body: { decidedBy: 'analyst-1', justification: `why ${type}`, ...body },
  } as unknown as LineLinkV1;
}

describe.each<DatabaseFlavour>(['timescale', 'postgres'])('line reads with identity on %s', (flavour) => {
  let db: Database;
  let m: Queryable;
  let pool: Pool;
  const sql = (text: string, values: unknown[]) => pool.query(text, values).then((r) => r.rows);
  const queries = new LineQueriesRepository();
  const identity = new LineIdentityRepository();
  const links = new LineLinksRepository();
  const lines = new LinesRepository();
  const analyst = { scope: AreaScope.of({ roles: ['analyst'], areas: [] }), reader: { seesHandlingC: true } };
  const officer = { scope: AreaScope.of({ roles: ['officer'], areas: ['bath'] }), reader: { seesHandlingC: false } };

  beforeAll(async () => {
    db = await Database.open(testDatabaseConfig(flavour), 'linewatch-test');
    m = await db.autocommit(async (q) => q);
    pool = new Pool({ connectionString: testDatabaseConfig(flavour).url, max: 1 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.close();
  });

  /** Lines with a state in an area, their identity from `facts` as the tracker writes it. */
  async function given(states: Record<string, string>, facts: StoredIdentityFact[]): Promise<void> {
    await db.transaction(async (tx) => {
      const ids = Object.keys(states);
      await lines.lock(tx, ids);
      await identity.storeFacts(tx, facts);
      const stored = await identity.factsOf(tx, ids);
      await identity.replace(
        tx,
        ids.map((lineId) => {
          const mine = stored.filter((f) => f.lineId === lineId);
          return { identity: lineIdentityOf(lineId, mine), disclosable: disclosableKeysOf(mine) };
        }),
      );
    });
    for (const [lineId, area] of Object.entries(states))
      await sql(`UPDATE lines SET state = 'active', state_since = $2, area = $3, areas = ARRAY[$3] WHERE line_id = $1`, [
        lineId,
        day(1),
        area,
      ]);
  }

  /** Rewrites the aliases with `merges` in force beside every other test's. */
  async function aliases(mine: readonly string[], merges: LinkState['merges']): Promise<void> {
    await db.transaction(async (tx) => {
      await links.lockForDecision(tx);
      const others = (await links.aliases(tx)).filter((x) => !mine.includes(x.aliasId));
      await links.replaceAliases(tx, {
        merges: [
          ...others.map((x) => ({ eventId: x.mergeEventId, lineId: x.aliasId, into: x.parentId, at: x.mergedAt, unmergedBy: null })),
          ...merges,
        ],
        attachments: [],
        applied: [],
      });
    });
  }

  it('lists each line with its brands and current number as the reader may see them, merged lines left out', async () => {
    const u = unique();
    const [a, b] = [`LQ-${u}-A`, `LQ-${u}-B`];
    const [open, secret, other] = [number(), number(), number()];
    await given({ [a]: 'bath', [b]: 'bath' }, [
      fact(a, 1, { attaches: [{ kind: 'msisdn', value: open }], brands: ['Jay'] }),
      fact(a, 3, { attaches: [{ kind: 'msisdn', value: secret }], brands: ['Kay Secret'] }, 'C'),
      fact(b, 2, { attaches: [{ kind: 'msisdn', value: other }] }),
    ]);
    const page = (who: typeof analyst) =>
      queries
        .list(m, who.scope, { after: `LQ-${u}-`, limit: 5 }, REVIEW, who.reader)
        .then((found) => found.filter((line) => line.lineId.startsWith(`LQ-${u}-`)));
    expect((await page(analyst)).map((l) => [l.lineId, l.brands, l.currentNumber])).toEqual([
      [a, ['kay secret', 'jay'], secret],
      [b, [], other],
    ]);
    expect((await page(officer)).map((l) => [l.lineId, l.brands, l.currentNumber])).toEqual([
      [a, ['jay'], open],
      [b, [], other],
    ]);
    // The one read of a line agrees.
    expect(await queries.one(m, officer.scope, a, REVIEW, officer.reader)).toMatchObject({ brands: ['jay'], currentNumber: open });
    expect(await queries.one(m, analyst.scope, a, REVIEW, analyst.reader)).toMatchObject({ currentNumber: secret });

    // B merged into A: not listed, its id resolves to A.
    const merge = { eventId: randomUUID(), lineId: b, into: a, at: day(4), unmergedBy: null };
    await aliases([b], [merge]);
    expect((await page(analyst)).map((l) => l.lineId)).toEqual([a]);
    // Asked by either id: resolved and read in one statement; out of scope, the root without the line.
    expect(await queries.oneResolved(m, analyst.scope, b, REVIEW, analyst.reader)).toMatchObject({ root: a, line: { lineId: a } });
    expect(await queries.oneResolved(m, analyst.scope, a, REVIEW, analyst.reader)).toMatchObject({ root: a, line: { lineId: a } });
    expect(await queries.oneResolved(m, AreaScope.of({ roles: ['officer'], areas: ['keynsham'] }), b, REVIEW)).toEqual({
      root: a,
      line: null,
    });
    expect(await queries.oneResolved(m, analyst.scope, `LQ-${u}-NONE`, REVIEW)).toEqual({ root: `LQ-${u}-NONE`, line: null });
    await aliases([b], []);
    expect((await page(analyst)).map((l) => l.lineId)).toEqual([a, b]);
  });

  it("details a line's identity: intervals, brands, the lines merged into it and the decisions, unmerges included", async () => {
    const u = unique();
    const [a, b] = [`LD-${u}-A`, `LD-${u}-B`];
    const [first, second, secret] = [number(), number(), number()];
    await given({ [a]: 'bath', [b]: 'bath' }, [
      fact(a, 1, { attaches: [{ kind: 'msisdn', value: first }], brands: ['Jay'] }),
      fact(a, 2, { rank: 2, attaches: [{ kind: 'msisdn', value: second }], ends: [{ kind: 'msisdn', value: first }] }),
      fact(
        a,
        3,
        {
          attaches: [
            { kind: 'msisdn', value: secret },
            { kind: 'imei', value: '490154203237518' },
          ],
        },
        'C',
      ),
    ]);
    const merged = linkEvent('line.merged', b, 5, { into: a });
    await links.record(m, merged);
    await aliases([b], [{ eventId: merged.eventId, lineId: b, into: a, at: day(5), unmergedBy: null }]);
    const found = async (who: typeof analyst) => {
      const line = (await queries.one(m, who.scope, a, REVIEW, who.reader)) as LineInScope;
      return (await queries.details(m, line, { events: 10, reader: who.reader })).identity;
    };

    const seen = await found(analyst);
    expect(seen.intervals.map((i) => [i.kind, i.value, i.from, i.to])).toEqual([
      ['msisdn', first, day(1), day(2)],
      ['msisdn', second, day(2), null],
      ['imei', '490154203237518', day(3), null],
      ['msisdn', secret, day(3), null],
    ]);
    expect(seen.brands.map((x) => x.brand)).toEqual(['jay']);
    expect(seen.aliases).toEqual([expect.objectContaining({ aliasId: b, parentId: a, rootId: a, mergeEventId: merged.eventId })]);
    expect(seen.links.map((l) => [l.decision.type, l.decision.lineId, l.justification])).toEqual([['merge', b, 'why line.merged']]);

    // An officer: nothing known only from the handling-C report (its number and handset).
    expect((await found(officer)).intervals.map((i) => i.value)).toEqual([first, second]);

    // Unmerged: no alias now, and the decisions read from A still show the merge and its undoing.
    const unmerged = linkEvent('line.unmerged', b, 6, { mergeEventId: merged.eventId });
    await links.record(m, unmerged);
    await aliases([b], []);
    const after = await found(analyst);
    expect(after.aliases).toEqual([]);
    expect(after.links.map((l) => [l.decision.type, l.decision.eventId])).toEqual([
      ['merge', merged.eventId],
      ['unmerge', unmerged.eventId],
    ]);
  });

  it("reads a line's most recent events newest first, those naming it after another line included, as stored", async () => {
    const u = unique();
    const [a, b] = [`LR-${u}-A`, `LR-${u}-B`];
    const valid = (input: unknown): IntelEventV1 => {
      const result = validateIntelEvent(input, { now: day(100), maxFutureSkewMs: 0, areas: new Set(['bath', 'paulton']) });
      if (!result.ok) throw new Error(result.message);
      return result.event;
    };
    const sighting = (lineId: string, at: number) => valid(aSighting({ lineId, occurredAt: day(at).toISOString() }));
    // A raid naming B first and A second (migration 0055: read from the index of events naming several lines).
    const raid = valid(aRaid([b, a], { occurredAt: day(7).toISOString() }));
    const [s1, s3, s5, s9] = [sighting(a, 1), sighting(a, 3), sighting(a, 5), sighting(a, 9)];
    const events = [s1, s3, s5, raid, s9, sighting(b, 8)];
    await given({ [a]: 'paulton', [b]: 'paulton' }, []);
    const stored = await db.transaction((tx) =>
      new IntelEventsRepository().store(
        tx,
        events.map((event, i) => ({ event, kafkaPartition: 0, kafkaOffset: String(i) })),
      ),
    );
    expect(stored.size).toBe(events.length);
    const recent = async (lineId: string, limit: number) => {
      const line = (await queries.one(m, analyst.scope, lineId, REVIEW, analyst.reader)) as LineInScope;
      return (await queries.details(m, line, { events: limit, reader: analyst.reader })).events;
    };
    expect((await recent(a, 3)).map((e) => e.eventId)).toEqual([s9.eventId, raid.eventId, s5.eventId]);
    expect((await recent(a, 10)).map((e) => e.eventId)).toEqual([s9, raid, s5, s3, s1].map((e) => e.eventId));
    // The payload comes back as it was stored, whole.
    expect((await recent(a, 10))[1]).toEqual(JSON.parse(JSON.stringify(raid)));
    expect((await recent(b, 1)).map((e) => e.eventId)).toEqual([events[5].eventId]);
  });
});
