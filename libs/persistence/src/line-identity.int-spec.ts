/**
 * Line identity storage on both database flavours (migration 0008): facts round-trip, intervals
 * and brands written from the domain's `lineIdentityOf`, attribution from three index probes
 * agreeing with the domain over every interval, lookups honouring scope and handling-C evidence,
 * aliases from a link state, and replacement suggestions proposed once.
 */
import { randomUUID } from 'node:crypto';
import {
  attributeIdentifier,
  decideLink,
  deriveLineId,
  EMPTY_LINK_STATE,
  heldIntervalsOf,
  initialState,
  lineIdentityOf,
  type IdentityFact,
  type LineIdentifier,
  type LinkState,
} from '@linewatch/domain';
import { validateIntelEvent, type IntelEventV1 } from '@linewatch/contracts';
import {
  IntelEventsRepository,
  LineIdentityRepository,
  LineLinksRepository,
  LinesRepository,
  ReplacementSuggestionsRepository,
  AreaScope,
  Database,
  disclosableKeysOf,
  type Queryable,
  type StoredIdentityFact,
} from '@linewatch/persistence';
import { Pool } from 'pg';
import { eventsAcrossLines, testDatabaseConfig, type DatabaseFlavour } from '@linewatch/testing';

const DAY = 24 * 60 * 60 * 1000;
const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * DAY);
const unique = () => randomUUID().slice(0, 8).toUpperCase();
const number = () => `+4477009${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;

function fact(lineId: string, at: number, says: Partial<IdentityFact> = {}, handling: 'P' | 'C' = 'P'): StoredIdentityFact {
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

describe.each<DatabaseFlavour>(['timescale', 'postgres'])('line identity on %s', (flavour) => {
  let db: Database;
  /** Statements outside any transaction (the seam's autocommit), as the api and ingest read. */
  let m: Queryable;
  /** Plain SQL for what no repository answers (plans, the merged_into column). */
  let pool: Pool;
  const sql = (text: string, values: unknown[]) => pool.query(text, values).then((r) => r.rows);
  const identity = new LineIdentityRepository();
  const links = new LineLinksRepository();
  const lines = new LinesRepository();
  const suggestions = new ReplacementSuggestionsRepository();

  beforeAll(async () => {
    db = await Database.open(testDatabaseConfig(flavour), 'linewatch-test');
    m = await db.autocommit(async (q) => q);
    pool = new Pool({ connectionString: testDatabaseConfig(flavour).url, max: 1 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.close();
  });

  /** Stores facts, computes each line's identity with the domain and writes it (lines created as the tracker does). */
  async function keep(facts: StoredIdentityFact[]): Promise<void> {
    await db.transaction(async (m) => {
      const ids = [...new Set(facts.map((f) => f.lineId))];
      await lines.lock(m, ids);
      await identity.storeFacts(m, facts);
      const stored = await identity.factsOf(m, ids);
      await identity.replace(
        m,
        ids.map((lineId) => {
          const mine = stored.filter((f) => f.lineId === lineId);
          return { identity: lineIdentityOf(lineId, mine), disclosable: disclosableKeysOf(mine) };
        }),
      );
    });
  }

  it('stores every field of a fact as given: the open ends, brands with quotes, commas and braces, handsets, handling C', async () => {
    const line = `ID-${unique()}`;
    const handset = { kind: 'imei' as const, value: '490154203237518' };
    const facts = [
      fact(
        line,
        2,
        {
          rank: 2,
          attaches: [{ kind: 'msisdn', value: number() }, handset],
          endsOpen: ['msisdn', 'imei'],
          brands: ['O"Brien \\ {x}, y', 'NULL'],
        },
        'C',
      ),
      fact(line, 3, { ends: [handset], brands: [] }),
    ];
    await identity.storeFacts(m, facts);
    const read = await identity.factsOf(m, [line]);
    expect(read.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())).toEqual(facts);
  });

  it('round-trips facts and writes the intervals and brands the domain computes (a number change ends the old number)', async () => {
    const line = `ID-${unique()}`;
    const [first, second] = [number(), number()];
    const facts = [
      fact(line, 1, { attaches: [{ kind: 'msisdn', value: first }], brands: ['  JÄY '] }),
      fact(line, 5, { rank: 2, attaches: [{ kind: 'msisdn', value: second }], ends: [{ kind: 'msisdn', value: first }], brands: ['Jay'] }),
    ];
    await keep(facts);
    await keep(facts); // a redelivery changes nothing
    const read = await identity.factsOf(m, [line]);
    expect(read.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())).toEqual(facts);
    const stored = await identity.identityOf(m, line, { seesHandlingC: true });
    expect(stored.intervals.map((i) => [i.value, i.from, i.to])).toEqual([
      [first, day(1), day(5)],
      [second, day(5), null],
    ]);
    expect(stored.brands).toEqual([
      expect.objectContaining({ brand: 'jay', writtenAs: ['Jay', 'JÄY'], firstSeenAt: day(1), lastSeenAt: day(5), disclosable: true }),
    ]);
  });

  it("reads a rebuild's events of several lines whole: an event naming two of them once, one naming a line second", async () => {
    const valid = (input: unknown): IntelEventV1 => {
      const result = validateIntelEvent(input, { now: new Date('2026-12-01T09:00:00Z'), maxFutureSkewMs: 60_000 });
      if (!result.ok) throw new Error(`invalid test event: ${result.message}`);
      return result.event;
    };
    const [a, b, other] = ['A', 'B', 'X'].map((s) => `NAMING-${s}-${unique()}`);
    const stored = eventsAcrossLines(a, b, other).map(valid);
    await db.transaction((tx) =>
      new IntelEventsRepository().store(
        tx,
        stored.map((event) => ({ event, kafkaPartition: 0, kafkaOffset: '0' })),
      ),
    );
    const read = await identity.eventsNaming(m, [a, b]);
    expect(read.map((e) => e.eventId).sort()).toEqual(
      stored
        .slice(0, 3)
        .map((e) => e.eventId)
        .sort(),
    );
  });

  it('attributes with one probe each for held, held before and held after, as the domain does over all intervals', async () => {
    const shared = number();
    const [a, b, c] = [`AT-A-${unique()}`, `AT-B-${unique()}`, `AT-C-${unique()}`];
    const facts = [
      fact(a, 10, { attaches: [{ kind: 'msisdn', value: shared }] }),
      fact(a, 20, { ends: [{ kind: 'msisdn', value: shared }] }),
      fact(b, 30, { attaches: [{ kind: 'msisdn', value: shared }] }),
      fact(b, 40, { ends: [{ kind: 'msisdn', value: shared }] }),
      fact(c, 40, { attaches: [{ kind: 'msisdn', value: shared }] }),
      fact(c, 50, { ends: [{ kind: 'msisdn', value: shared }] }),
    ];
    await keep(facts);
    const all = [a, b, c].flatMap((lineId) => heldIntervalsOf(lineIdentityOf(lineId, facts)));
    const identifier: LineIdentifier = { kind: 'msisdn', value: shared };
    for (const at of [5, 10, 15, 20, 25, 30, 40, 45, 50, 60].map(day)) {
      expect({ at, got: await identity.attribute(m, identifier, at) }).toEqual({
        at,
        got: attributeIdentifier(identifier, at, all),
      });
    }
    expect(await identity.attribute(m, identifier, day(5))).toEqual({ lineId: a, how: 'held_after' });
    expect(await identity.attribute(m, identifier, day(25))).toEqual({ lineId: a, how: 'held_before' });
    expect(await identity.attribute(m, identifier, day(40))).toEqual({ lineId: c, how: 'held' });
    expect(await identity.attribute(m, identifier, day(15), { given: b })).toEqual({ lineId: b, how: 'given', conflictWith: a });
    const unknown: LineIdentifier = { kind: 'msisdn', value: number() };
    expect(await identity.attribute(m, unknown, day(1))).toEqual({ lineId: deriveLineId(unknown), how: 'new' });
  });

  it('plans the held probe on the identifier index', async () => {
    const plan: { 'QUERY PLAN': string }[] = await sql(
      `EXPLAIN SELECT line_id FROM line_identifiers WHERE kind = 'msisdn' AND value = '+447700900999' AND valid_from <= now()
         AND (valid_to IS NULL OR valid_to >= now()) ORDER BY valid_from DESC, line_id LIMIT 1`,
      [],
    );
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/line_identifiers_held/);
  });

  it('looks up by number, handset and brand within the scope, never through what only handling-C evidence named', async () => {
    const [open, secret] = [number(), number()];
    const brandName = `Brand ${unique()}`;
    const handset = '490154203237518';
    const line = `LK-${unique()}`;
    await keep([
      fact(line, 1, {
        attaches: [
          { kind: 'msisdn', value: open },
          { kind: 'imei', value: handset },
        ],
        brands: [brandName],
      }),
      fact(line, 2, { attaches: [{ kind: 'msisdn', value: secret }], brands: [`${brandName} Secret`] }, 'C'),
    ]);
    await db.transaction((tx) =>
      lines.save(tx, [
        {
          timeline: { ...initialState(line), area: 'bath', areas: ['bath'] },
          latestEventAt: null,
          nextCheckAt: null,
          periodsChanged: false,
        },
      ]),
    );
    const analyst = { scope: AreaScope.of({ roles: ['analyst'], areas: [] }), seesHandlingC: true };
    const bathOfficer = { scope: AreaScope.of({ roles: ['officer'], areas: ['bath'] }), seesHandlingC: false };
    const paultonOfficer = { scope: AreaScope.of({ roles: ['officer'], areas: ['paulton'] }), seesHandlingC: false };
    expect((await identity.lookup(m, { kind: 'msisdn', value: secret }, analyst)).map((x) => x.lineId)).toEqual([line]);
    expect(await identity.lookup(m, { kind: 'msisdn', value: secret }, bathOfficer)).toEqual([]);
    expect((await identity.lookup(m, { kind: 'msisdn', value: open }, bathOfficer))[0]).toMatchObject({
      lineId: line,
      intervals: [{ value: open, from: day(1), to: null, disclosable: true }],
    });
    expect(await identity.lookup(m, { kind: 'msisdn', value: open }, paultonOfficer)).toEqual([]);
    expect((await identity.lookup(m, { kind: 'imei', value: handset }, bathOfficer)).map((x) => x.lineId)).toContain(line);
    expect((await identity.lookup(m, { kind: 'brand', value: `  ${brandName.toUpperCase()} ` }, bathOfficer))[0]?.brand).toMatchObject({
      writtenAs: [brandName],
    });
    expect(await identity.lookup(m, { kind: 'brand', value: `${brandName} secret` }, bathOfficer)).toEqual([]);
    expect(await identity.lookup(m, { kind: 'brand', value: `${brandName} secret` }, analyst)).toHaveLength(1);
    expect((await identity.identityOf(m, line, { seesHandlingC: false })).intervals.map((i) => i.value)).not.toContain(secret);
  });

  it('rewrites aliases from a link state, resolves ids to their roots and marks merged lines; attribution answers the root', async () => {
    const [a, b, c] = [`LN-A-${unique()}`, `LN-B-${unique()}`, `LN-C-${unique()}`];
    const held = number();
    await keep([fact(b, 1, { attaches: [{ kind: 'msisdn', value: held }] })]);
    const apply = (state: LinkState, decision: Parameters<typeof decideLink>[1]) => {
      const outcome = decideLink(state, decision);
      if (!outcome.ok) throw new Error(outcome.message);
      return outcome.state;
    };
    const mergeB = { type: 'merge' as const, eventId: randomUUID(), at: day(2), lineId: b, into: a };
    const mergeC = { type: 'merge' as const, eventId: randomUUID(), at: day(3), lineId: c, into: b };
    const state = apply(apply(EMPTY_LINK_STATE, mergeB), mergeC);
    await db.transaction(async (m) => {
      await links.lockForDecision(m);
      // Other tests' aliases stay: rewrite from the union of what is there and this state.
      const others = (await links.aliases(m)).filter((x) => ![b, c].includes(x.aliasId));
      const merged: LinkState = {
        ...state,
        merges: [
          ...others.map((x) => ({ eventId: x.mergeEventId, lineId: x.aliasId, into: x.parentId, at: x.mergedAt, unmergedBy: null })),
          ...state.merges,
        ],
      };
      await links.replaceAliases(m, merged);
    });
    expect(await links.resolve(m, [a, b, c, 'NOT-MERGED'])).toEqual(
      new Map([
        [a, a],
        [b, a],
        [c, a],
        ['NOT-MERGED', 'NOT-MERGED'],
      ]),
    );
    expect(await links.membersOf(m, [a])).toEqual(new Map([[a, [a, b, c].sort((x, y) => (x === a ? -1 : y === a ? 1 : x < y ? -1 : 1))]]));
    const rows = await sql(`SELECT line_id, merged_into FROM lines WHERE line_id = ANY($1::text[]) ORDER BY line_id`, [[a, b, c]]);
    expect(rows).toEqual(
      expect.arrayContaining([
        { line_id: b, merged_into: a },
        { line_id: c, merged_into: a },
      ]),
    );
    // The intervals still say B (the tracker moves them when it recomputes A); the answer resolves to A.
    expect(await identity.attribute(m, { kind: 'msisdn', value: held }, day(5))).toEqual({ lineId: a, how: 'held' });
    expect(await identity.attribute(m, { kind: 'msisdn', value: held }, day(5), { given: c })).toEqual({ lineId: a, how: 'given' });
  });

  it('proposes each pair once: a rejected pair is never proposed again', async () => {
    const [fresh, old] = [`RS-N-${unique()}`, `RS-O-${unique()}`];
    const reasons = {
      brands: ['jay'],
      area: 'bath',
      sameArea: true,
      matchingAreas: ['bath'],
      ending: { kind: 'disrupted' as const, at: day(1) },
      daysBetween: 2,
    };
    expect(await suggestions.propose(m, [{ lineId: fresh, replaces: old, reasons }])).toHaveLength(1);
    expect(await suggestions.propose(m, [{ lineId: fresh, replaces: old, reasons }])).toEqual([]);
    expect(
      await suggestions.decide(
        m,
        { lineId: fresh, replaces: old },
        { status: 'rejected', by: 'analyst-1', reason: 'different gang', at: day(3) },
      ),
    ).toMatchObject({
      status: 'rejected',
      decidedBy: 'analyst-1',
    });
    expect(await suggestions.propose(m, [{ lineId: fresh, replaces: old, reasons }])).toEqual([]);
    expect(await suggestions.rejectedPairs(m, [old])).toEqual(new Set([JSON.stringify([fresh, old])]));
    expect((await suggestions.list(m, { lineId: fresh, limit: 10 }))[0]).toMatchObject({
      status: 'rejected',
      reasons: { brands: ['jay'] },
    });
    expect(
      await suggestions.decide(m, { lineId: fresh, replaces: old }, { status: 'accepted', by: 'a', reason: 'r', at: day(4) }),
    ).toBeNull();
  });
});
