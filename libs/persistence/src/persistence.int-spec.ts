import { randomUUID } from 'node:crypto';
import { validateIntelEvent, type IntelEventV1 } from '@linewatch/contracts';
import { AuditRepository, IntelEventsRepository, LINE_COUNT_COLUMNS, hasTimescale, Database, runMigrations } from '@linewatch/persistence';
import { aRaid, aSighting, testDatabaseConfig, type DatabaseFlavour } from '@linewatch/testing';
import { managerOf } from './database';

const context = { now: new Date('2026-12-01T09:00:00Z'), maxFutureSkewMs: 60_000 };

function valid(input: unknown): IntelEventV1 {
  const result = validateIntelEvent(input, context);
  if (!result.ok) throw new Error(`invalid test event: ${result.message}`);
  return result.event;
}

describe.each<[DatabaseFlavour, boolean]>([
  ['timescale', true],
  ['postgres', false],
])('persistence on %s', (flavour, expectTimescale) => {
  let db: Database;
  /** Raw SQL for what the test checks beyond the repositories (inside the library: the seam's own manager). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const sql = (text: string, params?: unknown[]): Promise<any> => db.autocommit((q) => managerOf(q).query(text, params));
  const repository = new IntelEventsRepository();

  beforeAll(async () => {
    db = await Database.open(testDatabaseConfig(flavour), 'linewatch-test');
  });

  afterAll(async () => {
    await db?.close();
  });

  it(`creates the ${expectTimescale ? 'TimescaleDB' : 'plain PostgreSQL'} schema, and migrating again changes nothing`, async () => {
    expect(await hasTimescale(db)).toBe(expectTimescale);
    const hypertables: unknown[] = expectTimescale
      ? await sql(`SELECT hypertable_name FROM timescaledb_information.hypertables WHERE hypertable_name = 'intel_events'`)
      : [];
    expect(hypertables.length).toBe(expectTimescale ? 1 : 0);
    const report = await runMigrations(testDatabaseConfig(flavour));
    expect(report).toEqual({ applied: [], timescale: expectTimescale });
  });

  it('has a count column for every figure the repositories write, in both count tables (the migration keeps its own list)', async () => {
    for (const table of ['area_week_line_counts', 'week_line_totals']) {
      const rows: { column_name: string }[] = await sql(
        `SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND data_type = 'integer'`,
        [table],
      );
      expect(rows.map((r) => r.column_name).sort()).toEqual([...LINE_COUNT_COLUMNS].sort());
    }
  });

  // Retention is the erasure job's on both flavours (migration 0030 removed the TimescaleDB policy: it ignored review decisions).
  it(`${expectTimescale ? 'keeps raw events under a columnstore (30 days) policy and no retention policy' : 'has the same tables without policies'}`, async () => {
    const jobs: { proc_name: string; config: Record<string, string> }[] = expectTimescale
      ? await sql(`SELECT proc_name, config FROM timescaledb_information.jobs WHERE hypertable_name = 'intel_events' ORDER BY proc_name`)
      : [];
    expect(jobs.map((j) => j.proc_name).sort()).toEqual(expectTimescale ? ['policy_compression'] : []);
    const tables: { table_name: string }[] = await sql(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1) ORDER BY table_name`,
      [['alert_deliveries', 'alerts', 'disclosure_log', 'line_state_changes_outbox', 'line_state_periods', 'lines']],
    );
    expect(tables).toHaveLength(6);
  });

  it('chains the log: intact as written; a rewritten entry is found by verification', async () => {
    const audit = new AuditRepository();
    await sql(
      `INSERT INTO disclosure_log (actor, action, subject_type, subject_id, justification) VALUES ('test', 'consultation', 'line', 'CHAIN-1', 'test')`,
    );
    expect(await db.autocommit((q) => audit.verify(q))).toMatchObject({ intact: true, firstBroken: null });
    // Tampering as the database owner would (triggers off), inside a transaction rolled back afterwards.
    const report = await db
      .transaction(async (m) => {
        await managerOf(m).query(`ALTER TABLE disclosure_log DISABLE TRIGGER disclosure_log_append_only`);
        const [{ entry_id }] = await managerOf(m).query(
          `SELECT entry_id FROM disclosure_log WHERE subject_id = 'CHAIN-1' ORDER BY entry_id DESC LIMIT 1`,
        );
        await managerOf(m).query(`UPDATE disclosure_log SET justification = 'nothing to see' WHERE entry_id = $1`, [entry_id]);
        const found = await audit.verify(m);
        throw Object.assign(new Error('rollback'), { found, entry_id: String(entry_id) });
      })
      .catch((error: { found: unknown; entry_id: string }) => error);
    expect(report.found).toMatchObject({
      intact: false,
      firstBroken: { entryId: report.entry_id, reason: expect.stringContaining('rewritten') },
    });
    expect(await db.autocommit((q) => audit.verify(q))).toMatchObject({ intact: true });
  });

  it('refuses to alter or erase the disclosure log (append-only)', async () => {
    await sql(
      `INSERT INTO disclosure_log (actor, action, subject_type, subject_id, justification) VALUES ('test', 'consultation', 'alert', 'x', 'test')`,
    );
    await expect(sql(`UPDATE disclosure_log SET actor = 'someone else'`)).rejects.toThrow(/append-only/);
    await expect(sql(`DELETE FROM disclosure_log`)).rejects.toThrow(/append-only/);
    await expect(sql(`TRUNCATE disclosure_log`)).rejects.toThrow(/append-only/);
  });

  it('stores an event once, however often it arrives, and reports what was new', async () => {
    const sighting = valid(aSighting());
    const raid = valid(aRaid(['A-1', 'B-2']));
    const first = await db.transaction((m) =>
      repository.store(m, [
        { event: sighting, kafkaPartition: 1, kafkaOffset: '10' },
        { event: raid, kafkaPartition: 2, kafkaOffset: '11' },
        { event: raid, kafkaPartition: 3, kafkaOffset: '12' },
      ]),
    );
    expect(first).toEqual(new Set([sighting.eventId, raid.eventId]));
    const again = await db.transaction((m) => repository.store(m, [{ event: sighting, kafkaPartition: 1, kafkaOffset: '10' }]));
    expect(again.size).toBe(0);
    const rows = await sql(`SELECT event_id, line_ids, payload FROM intel_events WHERE event_id = ANY($1::uuid[]) ORDER BY type`, [
      [sighting.eventId, raid.eventId],
    ]);
    expect(rows.map((r: { line_ids: string[] }) => r.line_ids)).toEqual([
      ['A-1', 'B-2'],
      [sighting.type === 'line.sighting' ? sighting.lineId : ''],
    ]);
    expect(rows[1].payload).toEqual(sighting);
    expect(await db.autocommit((q) => repository.known(q, [sighting.eventId, randomUUID()]))).toEqual(new Set([sighting.eventId]));
  });

  it('stores a batch larger than one statement chunk', async () => {
    const events = Array.from({ length: 450 }, () => valid(aSighting()));
    const stored = await db.transaction((m) =>
      repository.store(
        m,
        events.map((event) => ({ event, kafkaPartition: 0, kafkaOffset: '0' })),
      ),
    );
    expect(stored.size).toBe(450);
  });

  it('keeps nothing of a batch whose transaction failed', async () => {
    const event = valid(aSighting());
    await expect(
      db.transaction(async (m) => {
        await repository.store(m, [{ event, kafkaPartition: 0, kafkaOffset: '1' }]);
        throw new Error('crash after the insert');
      }),
    ).rejects.toThrow('crash after the insert');
    expect((await db.autocommit((q) => repository.known(q, [event.eventId]))).size).toBe(0);
  });
});
