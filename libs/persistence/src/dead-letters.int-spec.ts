/**
 * The dead-letter mirror and re-drives on both database flavours (migration 1796083200045), on a
 * topic of this test's own: mirroring is idempotent by (topic, partition, offset), waiting counts
 * what was not re-driven (a re-drive recorded before the mirror caught up included), the list
 * filters by status, newest first, and another topic's letters never count. Copies of one rejected
 * message (the same source topic, partition and offset) are one dead letter.
 */
import { randomUUID } from 'node:crypto';
import { Database, DeadLettersRepository, type DeadLetterRecord, type Queryable } from '@linewatch/persistence';
import { Pool } from 'pg';
import { testDatabaseConfig, type DatabaseFlavour } from '@linewatch/testing';

describe.each<DatabaseFlavour>(['timescale', 'postgres'])('dead letters on %s', (flavour) => {
  let db: Database;
  const repository = new DeadLettersRepository();
  const tag = randomUUID().slice(0, 8);
  const [topic, other] = [`dl-${tag}.intel.events.dlq.v1`, `dl-other-${tag}.intel.events.dlq.v1`];
  const letter = (offset: string, overrides: Partial<DeadLetterRecord> = {}): DeadLetterRecord => ({
    topic,
    partition: 0,
    offset,
    code: 'FUTURE_EVENT',
    reason: 'occurredAt is in the future',
    // Each letter from a message of its own (64-bit offsets, past what a JS number holds exactly).
    source: { topic: 'intel.events.v1', partition: 3, offset: String(9007199254740993n + BigInt(offset)) },
    eventId: randomUUID(),
    retriedFrom: null,
    failedAt: new Date(Date.UTC(2026, 11, 6, 12, Number(offset))),
    ...overrides,
  });
  const run = <T>(work: (q: Queryable) => Promise<T>) => db.autocommit(work);

  beforeAll(async () => {
    db = await Database.open(testDatabaseConfig(flavour), 'linewatch-test');
  });
  afterAll(async () => {
    const pool = new Pool({ connectionString: testDatabaseConfig(flavour).url, max: 1 });
    await pool.query(`DELETE FROM dead_letters WHERE topic IN ($1, $2)`, [topic, other]);
    await pool.query(`DELETE FROM dead_letter_redrives WHERE topic IN ($1, $2)`, [topic, other]);
    await pool.end();
    await db?.close();
  });

  it('mirrors once, counts what waits, and lists by status', async () => {
    const [a, b, c] = [letter('1'), letter('2', { code: 'MALFORMED_JSON', eventId: null, source: null }), letter('3')];
    expect(await run((q) => repository.mirror(q, [a, b]))).toBe(2);
    // A redelivered slice inserts nothing twice; a letter of another deployment's topic never counts here.
    expect(await run((q) => repository.mirror(q, [a, b, c, letter('1', { topic: other })]))).toBe(2);
    expect(await run((q) => repository.waiting(q, topic))).toBe(3);

    // Re-driven (twice: the latest re-drive kept): no longer waiting.
    const at = new Date();
    await run((q) =>
      repository.recordRedrives(q, [
        { topic, partition: 0, offset: '3', eventId: c.eventId, at, by: 'cli:tester' },
        { topic, partition: 0, offset: '3', eventId: c.eventId, at, by: 'cli:again' },
      ]),
    );
    expect(await run((q) => repository.waiting(q, topic))).toBe(2);
    const waiting = await run((q) => repository.list(q, topic, { status: 'waiting', limit: 10 }));
    expect(waiting.map((l) => l.offset)).toEqual(['2', '1']);
    expect(waiting[0]).toMatchObject({ code: 'MALFORMED_JSON', eventId: null, source: null, redriven: null });
    expect(waiting[1]).toMatchObject({
      eventId: a.eventId,
      source: { topic: 'intel.events.v1', partition: 3, offset: '9007199254740994' },
    });
    const redriven = await run((q) => repository.list(q, topic, { status: 'redriven', limit: 10 }));
    expect(redriven).toEqual([expect.objectContaining({ offset: '3', redriven: { at: expect.any(Date), by: 'cli:again' } })]);
    expect((await run((q) => repository.list(q, topic, { status: 'all', limit: 2 }))).map((l) => l.offset)).toEqual(['3', '2']);
    expect(await run((q) => repository.waiting(q, other))).toBe(1);
  });

  it('counts the copies of one rejected message once, re-driven when any copy was', async () => {
    // A retried send wrote the dead letter twice (offsets 11 and 12); a redelivered slice dead-lettered
    // the same message again later (13). Two letters without a full source stay two.
    const source = { topic: 'intel.events.v1', partition: 1, offset: '77' };
    const eventId = randomUUID();
    const copies = ['11', '12', '13'].map((offset) => letter(offset, { source, eventId }));
    const unsourced = ['14', '15'].map((offset) => letter(offset, { source: { topic: 'intel.events.v1', partition: null, offset: null } }));
    const lone = letter('16', { source: { ...source, offset: '78' } });
    await run((q) => repository.mirror(q, [...copies, ...unsourced, lone]));
    const before = await run((q) => repository.waiting(q, topic));
    const listed = await run((q) => repository.list(q, topic, { status: 'waiting', limit: 50 }));
    expect(listed.filter((l) => l.eventId === eventId).map((l) => l.offset)).toEqual(['11']);
    expect(listed.map((l) => l.offset)).toEqual(expect.arrayContaining(['11', '14', '15', '16']));

    // `dlq retry` re-drove the second copy only: the letter is re-driven, whichever copy it was.
    await run((q) => repository.recordRedrives(q, [{ topic, partition: 0, offset: '12', eventId, at: new Date(), by: 'cli:tester' }]));
    expect(await run((q) => repository.waiting(q, topic))).toBe(before - 1);
    const redriven = await run((q) => repository.list(q, topic, { status: 'redriven', limit: 50 }));
    expect(redriven.filter((l) => l.eventId === eventId)).toEqual([
      expect.objectContaining({ offset: '11', redriven: { at: expect.any(Date), by: 'cli:tester' } }),
    ]);
  });
});
