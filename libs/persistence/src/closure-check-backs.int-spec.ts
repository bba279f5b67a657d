/**
 * Closure check-backs on both database flavours, in lines and areas of this test's own: the
 * tracker's sync is idempotent (a redelivery or rebuild writes the same rows), follows a closure
 * rewritten by a late event and cancels when the line leaves the closed state (reviving the same
 * rows if it is closed by that closure again), never touches a recorded check-back; the due list
 * and its count in scope; recording once; the reminder's record and lease (one sender, never again
 * once complete).
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import {
  checkBackScheduleOf,
  computeTimeline,
  isoWeekOf,
  isoWeeksBetween,
  type CheckBackSchedule,
  type LineEvent,
} from '@linewatch/domain';
import { AreaScope, ClosureCheckBacksRepository, Database, WeeklyFiguresRepository, type Queryable } from '@linewatch/persistence';
import { testDatabaseConfig, type DatabaseFlavour } from '@linewatch/testing';

const DAY = 86_400_000;
const OFFSETS = [7, 28, 90];

describe.each<DatabaseFlavour>(['timescale', 'postgres'])('closure check-backs on %s', (flavour) => {
  let db: Database;
  let m: Queryable;
  let pool: Pool;
  const repo = new ClosureCheckBacksRepository();
  const tag = randomUUID().slice(0, 8);
  const area = `cb-${tag}`;
  const now = new Date();
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const analyst = AreaScope.of({ roles: ['analyst'], areas: [] });

  const event = (lineId: string, days: number, extra: Partial<LineEvent> & { type: LineEvent['type'] }): LineEvent =>
    ({ eventId: randomUUID(), lineId, occurredAt: ago(days), area, intelligence: 'B', ...extra }) as LineEvent;
  const sighting = (lineId: string, days: number) => event(lineId, days, { type: 'line.sighting' });
  const closure = (lineId: string, days: number) => event(lineId, days, { type: 'line.assessed', decision: 'closure_type_1' });
  const scheduleOf = (lineId: string, events: LineEvent[], offsets = OFFSETS): CheckBackSchedule | null =>
    checkBackScheduleOf(computeTimeline(lineId, events, now, { defaultDays: 28, byArea: {} }), offsets);
  const sync = (lineId: string, schedule: CheckBackSchedule | null, offsets = OFFSETS) =>
    db.transaction((tx) => repo.sync(tx, [{ lineId, schedule }], offsets));
  const rowsOf = async (lineId: string) =>
    (await repo.ofLine(m, lineId)).map((r) => ({ id: r.checkBackId, closure: r.closureEventId, offset: r.offsetDays, status: r.status }));
  const newLine = async (lineId: string, areas = [area]) => {
    await pool.query(`INSERT INTO lines (line_id, state, area, areas) VALUES ($1, 'closed', $2, $3)`, [lineId, areas[0], areas]);
    return lineId;
  };

  beforeAll(async () => {
    db = await Database.open(testDatabaseConfig(flavour), 'linewatch-test');
    m = await db.autocommit(async (q) => q);
    pool = new Pool({ connectionString: testDatabaseConfig(flavour).url, max: 1 });
  });

  afterAll(async () => {
    await pool?.end();
    await db?.close();
  });

  it('writes a Type 1 closure schedule once, however often the line is saved', async () => {
    const lineId = await newLine(`CB1-${tag}`);
    const c = closure(lineId, 10);
    const schedule = scheduleOf(lineId, [sighting(lineId, 40), c]);
    await sync(lineId, schedule);
    const first = await rowsOf(lineId);
    expect(first.map((r) => [r.closure, r.offset, r.status])).toEqual([
      [c.eventId, 7, 'scheduled'],
      [c.eventId, 28, 'scheduled'],
      [c.eventId, 90, 'scheduled'],
    ]);
    await sync(lineId, schedule);
    expect(await rowsOf(lineId)).toEqual(first);
  });

  it('follows a closure rewritten by a late event, cancels when the line resurfaces, revives when closed by it again', async () => {
    const lineId = await newLine(`CB2-${tag}`);
    const s = sighting(lineId, 40);
    const early = closure(lineId, 20);
    const later = closure(lineId, 10);
    const resurfacing = sighting(lineId, 5);
    await sync(lineId, scheduleOf(lineId, [s, early]));
    const ofEarly = await rowsOf(lineId);
    // A sighting between the two closures arrives late: the line's current closure is now `later`.
    await sync(lineId, scheduleOf(lineId, [s, early, sighting(lineId, 15), later]));
    const rewritten = await rowsOf(lineId);
    expect(rewritten.filter((r) => r.closure === early.eventId).map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(rewritten.filter((r) => r.closure === later.eventId).map((r) => r.status)).toEqual(['scheduled', 'scheduled', 'scheduled']);
    // Resurfaced: nothing stays scheduled.
    await sync(lineId, scheduleOf(lineId, [s, early, later, resurfacing]));
    expect((await rowsOf(lineId)).every((r) => r.status === 'cancelled')).toBe(true);
    // The events that moved it taken away (an unmerge): closed by `early` again, its same rows revived.
    await sync(lineId, scheduleOf(lineId, [s, early]));
    const revived = (await rowsOf(lineId)).filter((r) => r.status === 'scheduled');
    expect(revived.map((r) => r.id).sort()).toEqual(ofEarly.map((r) => r.id).sort());
  });

  it('cancels the offsets no longer configured, and never touches a recorded check-back', async () => {
    const lineId = await newLine(`CB3-${tag}`);
    const events = [sighting(lineId, 40), closure(lineId, 10)];
    await sync(lineId, scheduleOf(lineId, events));
    const [seven] = await rowsOf(lineId);
    const recorded = await db.transaction(async (tx) => {
      expect(await repo.lockOne(tx, lineId, seven.id)).toMatchObject({ status: 'scheduled' });
      return repo.record(tx, {
        checkBackId: seven.id,
        outcome: 'out_of_use',
        checkedAt: now,
        recordedAt: now,
        recordedBy: 'analyst-1',
        rationale: 'out of use',
        sightingEventId: null,
      });
    });
    expect(recorded).toMatchObject({ status: 'done', outcome: 'out_of_use', recordedBy: 'analyst-1' });
    const again = { ...recorded!, outcome: 'in_use' as const, recordedAt: now, rationale: 'again', recordedBy: 'x', checkedAt: now };
    expect(await db.transaction((tx) => repo.record(tx, again))).toBeNull();
    await sync(lineId, scheduleOf(lineId, events, [7, 28]), [7, 28]);
    expect((await rowsOf(lineId)).map((r) => [r.offset, r.status])).toEqual([
      [7, 'done'],
      [28, 'scheduled'],
      [90, 'cancelled'],
    ]);
    await sync(lineId, null);
    expect((await rowsOf(lineId)).map((r) => [r.offset, r.status])).toEqual([
      [7, 'done'],
      [28, 'cancelled'],
      [90, 'cancelled'],
    ]);
  });

  it('lists the check-backs due in scope, earliest first, by pages, and counts them', async () => {
    const lineId = await newLine(`CB4-${tag}`, [`${area}-four`]);
    const other = await newLine(`CB5-${tag}`, [`${area}-x`]);
    await sync(lineId, scheduleOf(lineId, [sighting(lineId, 60), closure(lineId, 40)])); // due 33 days ago and 12 days ago
    await sync(other, scheduleOf(other, [sighting(other, 60), closure(other, 10)])); // due 3 days ago
    const mine = <T extends { lineId: string }>(list: T[]) => list.filter((d) => d.lineId === lineId || d.lineId === other);
    const due = mine(await repo.due(m, analyst, now, { limit: 500 }));
    expect(due.map((d) => [d.lineId, d.offsetDays])).toEqual([
      [lineId, 7],
      [lineId, 28],
      [other, 7],
    ]);
    const officer = AreaScope.of({ roles: ['officer'], areas: [`${area}-four`] });
    expect((await repo.due(m, officer, now, { limit: 500 })).map((d) => [d.lineId, d.offsetDays])).toEqual([
      [lineId, 7],
      [lineId, 28],
    ]);
    expect(await repo.countDue(m, officer, now)).toBe(2);
    const page = await repo.due(m, officer, now, { limit: 1 });
    const next = await repo.due(m, officer, now, { limit: 1, after: { dueAt: page[0].dueAt, checkBackId: page[0].checkBackId } });
    expect([page[0].offsetDays, next[0].offsetDays]).toEqual([7, 28]);
    expect(await repo.countDue(m, officer, ago(20))).toBe(1);
  });

  it('keeps one reminder per overdue check-back: one sender at a time, never again once complete', async () => {
    const lineId = await newLine(`CB6-${tag}`);
    await sync(lineId, scheduleOf(lineId, [sighting(lineId, 60), closure(lineId, 20)])); // 7-day one due 13 days ago
    const wanting = async () => (await repo.wantingReminder(m, ago(7), 10_000)).filter((d) => d.lineId === lineId);
    const [overdue] = await wanting();
    expect(overdue).toMatchObject({ offsetDays: 7 });
    expect(await wanting()).toHaveLength(1);
    const lease = new Date(now.getTime() + 60_000);
    const a = await repo.claimReminder(m, overdue.checkBackId, randomUUID(), 'a', now, lease);
    expect(a).toMatchObject({ checkBackId: overdue.checkBackId, sentTo: [], attempts: 0 });
    expect(await repo.claimReminder(m, overdue.checkBackId, randomUUID(), 'b', now, lease)).toBeNull();
    await repo.markReminderSent(m, overdue.checkBackId, 'bureau/email');
    await repo.releaseReminder(m, overdue.checkBackId, 'a');
    // Taken over after a failure: the same reminder, with what was already sent.
    const b = await repo.claimReminder(m, overdue.checkBackId, randomUUID(), 'b', now, lease);
    expect(b).toEqual({ checkBackId: overdue.checkBackId, reminderId: a!.reminderId, sentTo: ['bureau/email'], attempts: 1 });
    await repo.completeReminder(m, overdue.checkBackId, 'b', now);
    expect(await wanting()).toEqual([]);
    expect(await repo.claimReminder(m, overdue.checkBackId, randomUUID(), 'c', now, lease)).toBeNull();
  });

  it("counts check-backs done and overdue per area (the closure line's) and week for the weekly export", async () => {
    const seven = `${area}-seven`;
    const lineId = await newLine(`CB7-${tag}`, [seven]);
    await sync(lineId, scheduleOf(lineId, [sighting(lineId, 60), closure(lineId, 40)])); // due 33 and 12 days ago, and in 50 days
    const [first] = await rowsOf(lineId);
    await db.transaction(async (tx) => {
      await repo.lockOne(tx, lineId, first.id);
      await repo.record(tx, {
        checkBackId: first.id,
        outcome: 'out_of_use',
        checkedAt: ago(30),
        recordedAt: now,
        recordedBy: 'analyst-1',
        rationale: 'out of use',
        sightingEventId: null,
      });
    });
    const weeks = isoWeeksBetween(ago(70).toISOString().slice(0, 10), now.toISOString().slice(0, 10), 100);
    const counts = (await new WeeklyFiguresRepository().checkBackCounts(m, weeks)).filter((c) => c.area === seven);
    const of = (weekStart: string) => counts.find((c) => c.weekStart === weekStart)?.counts ?? {};
    expect(counts.reduce((n, c) => n + (c.counts.checkBacksDone ?? 0), 0)).toBe(1);
    expect(of(isoWeekOf(ago(30)).weekStart).checkBacksDone).toBe(1);
    // This week: the 28-day one is due and not recorded; the 7-day one was recorded; the 90-day one is not due.
    expect(of(isoWeekOf(now).weekStart).checkBacksOverdue).toBe(1);
    // Before the first was due, nothing is overdue.
    expect(of(isoWeekOf(ago(40)).weekStart).checkBacksOverdue ?? 0).toBe(0);
  });
});
