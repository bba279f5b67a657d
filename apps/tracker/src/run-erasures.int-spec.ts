/**
 * The erasure job against both database flavours (issue 19): a line whose disposal hold has ended
 * is erased — every table that held it, its alerts and deliveries — leaving a tombstone of the
 * line and of its event ids (a resend is a duplicate, never stored again), weekly figures as they
 * were, and one s.62 erasure entry with counts and no content; an event naming another line too
 * stays that line's; a run stopped after any batch and run again ends exactly where an
 * uninterrupted one does; one runner at a time (the lease); retention erases old raw events on
 * lines not marked retain and keeps the rest. Dates far in the past (1991–1998) keep these runs
 * clear of every other suite's data in the shared databases.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { validateIntelEvent, type IntelEventInput, type IntelEventV1 } from '@linewatch/contracts';
import {
  AuditRepository,
  Database,
  ErasureRepository,
  ExportScheduleRepository,
  IntelEventsRepository,
  WeeklyFiguresRepository,
} from '@linewatch/persistence';
import { aRaid, aSighting, testDatabaseConfig, type DatabaseFlavour } from '@linewatch/testing';
import { ERASURE_JOB, RunErasuresUseCase, type ErasureSettings } from './run-erasures.usecase';

const valid = (input: IntelEventInput): IntelEventV1 => {
  const result = validateIntelEvent(input, { now: new Date('2030-01-01T00:00:00Z'), maxFutureSkewMs: 0 });
  if (!result.ok) throw new Error(result.message);
  return result.event;
};

describe.each<DatabaseFlavour>(['timescale', 'postgres'])('the erasure job on %s', (flavour) => {
  let db: Database;
  let pool: Pool;
  const events = new IntelEventsRepository();
  const erasures = new ErasureRepository();
  const leases = new ExportScheduleRepository();
  const figures = new WeeklyFiguresRepository();
  const tag = randomUUID().slice(0, 8);
  const area = `erasure-${tag}`;
  const settings: ErasureSettings = { retentionYears: 6, batchRows: 2, leaseMs: 30_000 };
  // No checkpoint key here (the job then writes none): checkpoints after erasures are proven end to end in test/erasure.
  const noCheckpointKey = { configured: false, checkpoint: () => Promise.reject(new Error('no checkpoint key')) };
  const job = (overrides: Partial<ErasureSettings> = {}) =>
    new RunErasuresUseCase(db, erasures, new AuditRepository(), leases, { ...settings, ...overrides }, noCheckpointKey);

  beforeAll(async () => {
    db = await Database.open(testDatabaseConfig(flavour), 'linewatch-test');
    pool = new Pool({ connectionString: testDatabaseConfig(flavour).url, max: 2 });
  });

  afterAll(async () => {
    await db?.close();
    await pool?.end();
  });

  const count = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows[0].n as number;

  /**
   * A line as the tracker and alerter leave it: events (n sightings on it alone, a referral, a raid
   * naming another line too), periods, identity, state changes, alerts with deliveries and
   * attempts, weekly figure rows — and a dispose decision whose hold ended at `eraseAfter`.
   */
  async function aLineHeldForDisposal(lineId: string, eraseAfter: Date, sightings: number) {
    const at = (day: number) => new Date(Date.UTC(1991, 2, 4 + day, 10)).toISOString();
    const own = Array.from({ length: sightings }, (_, i) =>
      valid(
        aSighting({ lineId, area, occurredAt: at(i % 5), body: { kind: 'bulk_text', brand: `Secret-${tag}`, msisdn: '07700 900777' } }),
      ),
    );
    const referral = valid({
      eventId: randomUUID(),
      type: 'safeguarding.referral',
      occurredAt: at(1),
      area,
      grading: { source: '1', intelligence: 'B', handling: 'P' },
      source: { system: 'test-records', reference: 'IR-1' },
      lineIds: [lineId],
      body: { subject: 'child', exploitation: ['criminal'], agency: `Agency-${tag}` },
    } as IntelEventInput);
    const raid = valid(aRaid([lineId, `OTHER-${tag}`], { area, occurredAt: at(2) }));
    const all = [...own, referral, raid];
    await db.transaction((tx) =>
      events.store(
        tx,
        all.map((event) => ({ event, kafkaPartition: 0, kafkaOffset: '0' })),
      ),
    );
    await pool.query(
      `INSERT INTO lines (line_id, state, state_since, area, areas, review_due_at) VALUES ($1, 'active', $2, $3, ARRAY[$3], $2)`,
      [lineId, at(0), area],
    );
    await pool.query(
      `INSERT INTO line_state_periods (line_id, seq, state, valid_from, valid_to, transition) VALUES
         ($1, 0, 'active', $2, $3, 'new'), ($1, 1, 'disrupted', $3, NULL, 'disruption')`,
      [lineId, at(0), at(2)],
    );
    await pool.query(
      `INSERT INTO line_identifiers (line_id, seq, kind, value, valid_from, started_by, disclosable) VALUES ($1, 0, 'msisdn', '+447700900777', $2, $3, true)`,
      [lineId, at(0), own[0].eventId],
    );
    await pool.query(
      `INSERT INTO line_identity_facts (line_id, event_id, occurred_at, rank, handling) SELECT $1, unnest($2::uuid[]), $3, 0, 'P'`,
      [lineId, own.map((e) => e.eventId), at(0)],
    );
    await pool.query(
      `INSERT INTO line_brands (line_id, brand_key, written_as, first_seen_at, last_seen_at, disclosable) VALUES ($1, $2, ARRAY[$2], $3, $3, true)`,
      [lineId, `secret-${tag}`, at(0)],
    );
    await pool.query(
      `INSERT INTO line_state_changes_outbox (change_id, topic, line_id, payload) VALUES ($2, 't', $1, '{"secret": true}'), ($3, 't', $1, '{"secret": true}')`,
      [lineId, randomUUID(), randomUUID()],
    );
    for (let i = 0; i < 2; i++) {
      const alertId = randomUUID();
      await pool.query(
        `INSERT INTO alerts (alert_id, dedup_key, change_id, line_id, team_id, areas, kind, severity, status, change, content, content_version, sanitised, raised_at)
         VALUES ($1, $2, $3, $4, 'team', ARRAY[$5], 'new', 'low', 'delivered', '{}', $6, 1, false, $7)`,
        [alertId, `${lineId}-${i}`, randomUUID(), lineId, area, JSON.stringify({ text: `Secret-${tag}` }), at(0)],
      );
      for (const recipient of ['a', 'b']) {
        const deliveryId = randomUUID();
        await pool.query(
          `INSERT INTO alert_deliveries (delivery_id, alert_id, level, recipient_id, recipient_name, channel, address, status, next_attempt_at)
           VALUES ($1, $2, 1, $3, 'Officer', 'email', 'officer@example.org', 'sent', $4)`,
          [deliveryId, alertId, recipient, at(0)],
        );
        await pool.query(`INSERT INTO alert_delivery_attempts (delivery_id, attempted_at, outcome) VALUES ($1, $2, 'sent')`, [
          deliveryId,
          at(0),
        ]);
      }
    }
    const reviewId = randomUUID();
    await pool.query(
      `INSERT INTO line_reviews (review_id, line_id, reviewed_at, reviewed_by, decision, rationale) VALUES ($1, $2, $3, 'analyst-1', 'dispose', 'no longer needed')`,
      [reviewId, lineId, at(10)],
    );
    await db.transaction((tx) =>
      erasures.startHold(tx, { reviewId, lineId, decidedAt: new Date(at(10)), decidedBy: 'analyst-1', eraseAfter }),
    );
    return { own, referral, raid, reviewId };
  }

  /** Rows naming the line left in every table the erasure empties. */
  const residue = async (lineId: string) =>
    count(
      `SELECT ((SELECT count(*) FROM intel_events WHERE line_ids @> ARRAY[$1]::text[]) + (SELECT count(*) FROM lines WHERE line_id = $1)
        + (SELECT count(*) FROM line_state_periods WHERE line_id = $1) + (SELECT count(*) FROM line_identifiers WHERE line_id = $1)
        + (SELECT count(*) FROM line_identity_facts WHERE line_id = $1) + (SELECT count(*) FROM line_brands WHERE line_id = $1)
        + (SELECT count(*) FROM line_state_changes_outbox WHERE line_id = $1) + (SELECT count(*) FROM alerts WHERE line_id = $1)
        + (SELECT count(*) FROM line_reviews WHERE line_id = $1) + (SELECT count(*) FROM line_week_figures WHERE line_id = $1)
        + (SELECT count(*) FROM line_week_refresh WHERE line_id = $1) + (SELECT count(*) FROM line_check_backs WHERE line_id = $1))::integer AS n`,
      [lineId],
    );

  it('erases a line whose hold has ended: tombstones, weekly figures unchanged, one erasure entry without content', async () => {
    const lineId = `ERASE-${tag}`;
    const eraseAfter = new Date('1991-04-01T00:00:00Z');
    const { own, referral, raid } = await aLineHeldForDisposal(lineId, eraseAfter, 3);
    const weekEnd = new Date('1991-03-18T00:00:00Z');
    const eventFigures = async () => {
      await figures.refreshEventCounts(db, new Date('1991-02-25T00:00:00Z'), weekEnd);
      return (await db.autocommit((q) => figures.eventCounts(q, new Date('1991-02-25T00:00:00Z'), weekEnd))).filter((c) => c.area === area);
    };
    const before = await eventFigures();
    expect(before.reduce((n, c) => n + (c.counts.referralsChildren ?? 0), 0)).toBe(1);
    // Two check-backs of a Type 1 closure on it: one recorded, one still open (overdue) at the erasure.
    const closure = randomUUID();
    for (const [offset, dueAt, checkedAt] of [
      [7, '1991-03-05T00:00:00Z', '1991-03-06T10:00:00Z'],
      [10, '1991-03-08T00:00:00Z', null],
    ] as const)
      await pool.query(
        `INSERT INTO line_check_backs (check_back_id, line_id, area, closure_event_id, closed_at, offset_days, due_at, status, outcome, checked_at, rationale)
         VALUES ($1, $2, $3, $4, '1991-02-26T00:00:00Z', $5, $6, $7, $8, $9, $10)`,
        [
          randomUUID(),
          lineId,
          area,
          closure,
          offset,
          dueAt,
          checkedAt ? 'done' : 'scheduled',
          checkedAt ? 'out_of_use' : null,
          checkedAt,
          checkedAt ? `Checked-${tag}` : null,
        ],
      );
    const checkBackFigures = async () =>
      (
        await db.autocommit((q) =>
          figures.checkBackCounts(q, [
            { weekStart: '1991-03-04', start: new Date('1991-03-04T00:00:00Z'), end: new Date('1991-03-11T00:00:00Z') },
            { weekStart: '1991-03-11', start: new Date('1991-03-11T00:00:00Z'), end: weekEnd },
          ]),
        )
      )
        .filter((c) => c.area === area)
        .sort((a, b) => a.weekStart.localeCompare(b.weekStart));
    const checkBacksBefore = await checkBackFigures();
    expect(checkBacksBefore).toEqual([
      { area, weekStart: '1991-03-04', counts: { checkBacksDone: 1, checkBacksOverdue: 1 } },
      { area, weekStart: '1991-03-11', counts: { checkBacksDone: 0, checkBacksOverdue: 1 } },
    ]);

    // Not yet: the hold has not ended.
    expect((await job().execute({ now: new Date(eraseAfter.getTime() - 1), holder: 'test' })).linesErased).not.toContain(lineId);
    expect(await count(`SELECT count(*)::integer AS n FROM lines WHERE line_id = $1`, [lineId])).toBe(1);

    const report = await job().execute({ now: eraseAfter, holder: 'test' });
    expect(report.linesErased).toContain(lineId);
    expect(await residue(lineId)).toBe(0);
    // The raid stays the other line's; the rest are gone, their ids kept (marked erased).
    const left = (
      await pool.query(`SELECT event_id, line_ids FROM intel_events WHERE event_id = ANY($1)`, [
        [...own, referral, raid].map((e) => e.eventId),
      ])
    ).rows;
    expect(left).toEqual([{ event_id: raid.eventId, line_ids: [`OTHER-${tag}`] }]);
    const erasedIds = [...own, referral].map((e) => e.eventId).sort();
    expect(
      await count(`SELECT count(*)::integer AS n FROM intel_event_ids WHERE event_id = ANY($1) AND erased_at IS NOT NULL`, [erasedIds]),
    ).toBe(4);
    expect(
      await count(`SELECT count(*)::integer AS n FROM alert_deliveries d JOIN alerts a USING (alert_id) WHERE a.line_id = $1`, [lineId]),
    ).toBe(0);

    // A resend is a duplicate and is never stored again.
    const again = await db.transaction((tx) => events.store(tx, [{ event: own[0], kafkaPartition: 0, kafkaOffset: '1' }]));
    expect(again.size).toBe(0);
    expect([...(await db.autocommit((q) => events.seenBefore(q, [own[0].eventId]))).keys()]).toEqual([own[0].eventId]);

    const [tombstone] = await db.autocommit((q) => erasures.tombstonesOf(q, lineId));
    expect(tombstone).toMatchObject({ lineId, events: 4, alerts: 2, identifiers: 1, decidedBy: 'analyst-1', eventIds: erasedIds });
    const erasure = (await db.autocommit((q) => erasures.erasure(q, tombstone.erasureId)))!;
    expect(erasure.counts).toEqual({
      events: 4,
      eventsUnlinked: 1,
      identityFacts: 3,
      stateChanges: 2,
      alerts: 2,
      deliveries: 4,
      identifiers: 1,
      periods: 2,
    });

    const entries = (await pool.query(`SELECT * FROM disclosure_log WHERE action = 'erasure' AND subject_id = $1`, [lineId])).rows;
    expect(entries).toHaveLength(1);
    expect(entries[0].details).toMatchObject({
      kind: 'disposal',
      decidedBy: 'analyst-1',
      counts: { events: 4, alerts: 2, identifiers: 1 },
    });
    expect(entries[0].justification).toContain('s.39');
    const written = JSON.stringify(entries[0]);
    for (const content of [`Secret-${tag}`, `Agency-${tag}`, '07700 900777', '+447700900777', 'officer@example.org'])
      expect(written).not.toContain(content);

    expect(await eventFigures()).toEqual(before);
    expect(await checkBackFigures()).toEqual(checkBacksBefore);
    expect(JSON.stringify((await pool.query(`SELECT * FROM erased_check_backs`)).rows)).not.toContain(`Checked-${tag}`);
    // A second run finds nothing more to do for it.
    expect((await job().execute({ now: eraseAfter, holder: 'test' })).linesErased).not.toContain(lineId);
  });

  it('erases the events of the lines merged into it too, and takes the line out of events where it is not first', async () => {
    const lineId = `MERGED-${tag}`;
    const alias = `ALIAS-${tag}`;
    const eraseAfter = new Date('1991-04-01T00:00:00Z');
    await aLineHeldForDisposal(lineId, eraseAfter, 1);
    await pool.query(
      `INSERT INTO line_aliases (alias_id, parent_id, root_id, merge_event_id, merged_at) VALUES ($1, $2, $2, $3, '1991-03-01T00:00:00Z')`,
      [alias, lineId, randomUUID()],
    );
    const onAlias = valid(aSighting({ lineId: alias, area, occurredAt: '1991-03-02T10:00:00Z' }));
    const second = valid(aRaid([`FIRST-${tag}`, lineId], { area, occurredAt: '1991-03-03T10:00:00Z' }));
    const aliasSecond = valid(aRaid([`FIRST-${tag}`, alias, `THIRD-${tag}`], { area, occurredAt: '1991-03-04T10:00:00Z' }));
    await db.transaction((tx) =>
      events.store(
        tx,
        [onAlias, second, aliasSecond].map((event) => ({ event, kafkaPartition: 0, kafkaOffset: '0' })),
      ),
    );

    expect((await job().execute({ now: eraseAfter, holder: 'test' })).linesErased).toContain(lineId);
    expect(await residue(lineId)).toBe(0);
    expect(await count(`SELECT count(*)::integer AS n FROM intel_events WHERE line_ids @> ARRAY[$1]::text[]`, [alias])).toBe(0);
    const left = (
      await pool.query(`SELECT event_id, line_ids FROM intel_events WHERE event_id = ANY($1) ORDER BY occurred_at`, [
        [onAlias, second, aliasSecond].map((e) => e.eventId),
      ])
    ).rows;
    expect(left).toEqual([
      { event_id: second.eventId, line_ids: [`FIRST-${tag}`] },
      { event_id: aliasSecond.eventId, line_ids: [`FIRST-${tag}`, `THIRD-${tag}`] },
    ]);
  });

  it('a run stopped after any batch and run again ends exactly where an uninterrupted run does', async () => {
    const stopped = `STOP-${tag}`;
    const whole = `WHOLE-${tag}`;
    const firstDue = new Date('1992-01-01T00:00:00Z');
    const secondDue = new Date('1992-02-01T00:00:00Z');
    await aLineHeldForDisposal(stopped, firstDue, 9);
    await aLineHeldForDisposal(whole, secondDue, 9);

    let batches = 0;
    const cut = await job({ batchRows: 1 }).execute({ now: firstDue, holder: 'test', shouldStop: () => ++batches > 4 });
    expect(cut.linesErased).not.toContain(stopped);
    const [unfinished] = (await db.autocommit((q) => erasures.unfinished(q))).filter((e) => e.lineId === stopped);
    expect(unfinished.counts.events).toBeGreaterThan(0);
    expect(unfinished.counts.events).toBeLessThan(10);

    expect((await job({ batchRows: 1 }).execute({ now: firstDue, holder: 'test' })).linesErased).toContain(stopped);
    expect((await job({ batchRows: 1 }).execute({ now: secondDue, holder: 'test' })).linesErased).toContain(whole);
    const [a] = await db.autocommit((q) => erasures.tombstonesOf(q, stopped));
    const [b] = await db.autocommit((q) => erasures.tombstonesOf(q, whole));
    const countsOf = async (erasureId: string) => (await db.autocommit((q) => erasures.erasure(q, erasureId)))!.counts;
    expect(await countsOf(a.erasureId)).toEqual(await countsOf(b.erasureId));
    expect({ ...a, lineId: '', erasureId: '', eventIds: a.eventIds.length, erasedAt: null, decidedAt: null, reviewId: null }).toEqual({
      ...b,
      lineId: '',
      erasureId: '',
      eventIds: b.eventIds.length,
      erasedAt: null,
      decidedAt: null,
      reviewId: null,
    });
    expect(await residue(stopped)).toBe(0);
    expect(await residue(whole)).toBe(0);
    expect(
      await count(`SELECT count(*)::integer AS n FROM disclosure_log WHERE action = 'erasure' AND subject_id = ANY($1)`, [
        [stopped, whole],
      ]),
    ).toBe(2);
  });

  it('runs only while it holds the lease: another holder keeps it out', async () => {
    const lineId = `LEASED-${tag}`;
    const due = new Date('1992-06-01T00:00:00Z');
    await aLineHeldForDisposal(lineId, due, 1);
    const wall = new Date();
    await db.autocommit((q) => leases.acquire(q, ERASURE_JOB, `other-${tag}`, wall, new Date(wall.getTime() + 60_000)));
    try {
      expect(await job().execute({ now: due, holder: `me-${tag}` })).toMatchObject({ leaseHeldElsewhere: true, linesErased: [] });
      expect(await count(`SELECT count(*)::integer AS n FROM lines WHERE line_id = $1`, [lineId])).toBe(1);
    } finally {
      await db.autocommit((q) => leases.release(q, ERASURE_JOB, `other-${tag}`));
    }
    expect((await job().execute({ now: due, holder: `me-${tag}` })).linesErased).toContain(lineId);
  });

  it('retention erases raw events past the period on lines not marked retain, and keeps the rest', async () => {
    const expiring = `OLD-${tag}`;
    const retained = `KEPT-${tag}`;
    const old = (line: string, day: number) =>
      valid(aSighting({ lineId: line, area, occurredAt: new Date(Date.UTC(1991, 0, 7 + day, 12)).toISOString() }));
    // One of them alone in its week (a chunk of its own on TimescaleDB: dropped whole once empty).
    const alone = valid(aSighting({ lineId: expiring, area, occurredAt: '1990-05-09T12:00:00Z' }));
    const gone = [old(expiring, 0), old(expiring, 1), alone];
    const recent = valid(aSighting({ lineId: expiring, area, occurredAt: '1998-01-05T12:00:00Z' }));
    const kept = [old(retained, 0), old(retained, 2)];
    await db.transaction((tx) =>
      events.store(
        tx,
        [...gone, recent, ...kept].map((event) => ({ event, kafkaPartition: 0, kafkaOffset: '0' })),
      ),
    );
    await pool.query(`INSERT INTO lines (line_id, area, areas) VALUES ($1, $3, ARRAY[$3]), ($2, $3, ARRAY[$3])`, [
      expiring,
      retained,
      area,
    ]);
    await pool.query(
      `INSERT INTO line_reviews (review_id, line_id, reviewed_at, reviewed_by, decision, rationale, next_review_at)
       VALUES ($1, $2, '1997-01-01T00:00:00Z', 'analyst-1', 'retain', 'still of interest', '2099-01-01T00:00:00Z')`,
      [randomUUID(), retained],
    );
    const now = new Date('1998-06-01T00:00:00Z');
    const cutoff = new Date('1992-06-01T00:00:00Z');

    const preview = await db.autocommit((q) => erasures.previewRetention(q, cutoff));
    expect(preview.byLine.find((l) => l.lineId === expiring)).toEqual({ lineId: expiring, events: 3 });
    expect(preview.byLine.find((l) => l.lineId === retained)).toBeUndefined();
    expect(preview.byArea.find((a) => a.area === area)?.events).toBeGreaterThanOrEqual(3);

    const report = await job().execute({ now, holder: 'test' });
    expect(report.retentionEvents).toBeGreaterThanOrEqual(3);
    const ids = (list: IntelEventV1[]) => list.map((e) => e.eventId);
    expect(await count(`SELECT count(*)::integer AS n FROM intel_events WHERE event_id = ANY($1)`, [ids(gone)])).toBe(0);
    expect(await count(`SELECT count(*)::integer AS n FROM intel_events WHERE event_id = ANY($1)`, [[recent.eventId, ...ids(kept)]])).toBe(
      3,
    );
    expect(
      await count(`SELECT count(*)::integer AS n FROM intel_event_ids WHERE event_id = ANY($1) AND erased_at IS NOT NULL`, [ids(gone)]),
    ).toBe(3);
    // TimescaleDB: the chunk it left empty is gone whole; the one holding a retained event stays.
    const chunksAt = (at: string) =>
      count(
        `SELECT count(*)::integer AS n FROM timescaledb_information.chunks
         WHERE hypertable_name = 'intel_events' AND range_start <= $1::timestamptz AND range_end > $1::timestamptz`,
        [at],
      );
    const timescale = flavour === 'timescale';
    expect(report.chunksDropped > 0).toBe(timescale);
    // Plain PostgreSQL has no chunks (the view does not exist): nothing more to look at there.
    const [aloneChunks, keptChunks] = timescale ? [await chunksAt(alone.occurredAt), await chunksAt(kept[0].occurredAt)] : [0, 1];
    expect([aloneChunks, keptChunks]).toEqual([0, 1]);
    // The line itself stays (retention erases raw events only).
    expect(await count(`SELECT count(*)::integer AS n FROM lines WHERE line_id = $1`, [expiring])).toBe(1);
    const [entry] = (await pool.query(`SELECT * FROM disclosure_log WHERE action = 'erasure' AND subject_id = $1`, [expiring])).rows;
    expect(entry.details).toMatchObject({ kind: 'retention', retentionYears: 6, counts: { events: 3 }, cutoff: cutoff.toISOString() });
    expect(await count(`SELECT count(*)::integer AS n FROM disclosure_log WHERE action = 'erasure' AND subject_id = $1`, [retained])).toBe(
      0,
    );
    expect((await db.autocommit((q) => erasures.previewRetention(q, cutoff))).byLine.find((l) => l.lineId === expiring)).toBeUndefined();
  });
});
