/**
 * The home view's counts on both database flavours, in areas of this test's own (so other tests'
 * rows do not count): lines by area and state with a line in two areas counted in each, an officer
 * counting only their areas, merged and stateless lines left out, "changed since", reviews due, and
 * open alerts by severity and age (acknowledged and held ones not open).
 */
import { randomUUID } from 'node:crypto';
import { AreaScope, Database, OverviewRepository, type Queryable } from '@linewatch/persistence';
import { Pool } from 'pg';
import { testDatabaseConfig, type DatabaseFlavour } from '@linewatch/testing';

const HOUR = 3600_000;

describe.each<DatabaseFlavour>(['timescale', 'postgres'])('overview counts on %s', (flavour) => {
  let db: Database;
  let m: Queryable;
  let pool: Pool;
  const overview = new OverviewRepository();
  const tag = randomUUID().slice(0, 8);
  const [north, south] = [`ovn-${tag}`, `ovs-${tag}`];
  const now = new Date();
  const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);
  const officer = AreaScope.of({ roles: ['officer'], areas: [north] });
  const analyst = AreaScope.of({ roles: ['analyst'], areas: [] });

  const line = (
    id: string,
    state: string | null,
    areas: string[],
    updatedHoursAgo: number,
    extra: { merged?: string; dueHoursAgo?: number } = {},
  ) =>
    pool.query(
      `INSERT INTO lines (line_id, state, area, areas, updated_at, merged_into, review_due_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        id,
        state,
        areas[0],
        areas,
        ago(updatedHoursAgo),
        extra.merged ?? null,
        extra.dueHoursAgo === undefined ? null : ago(extra.dueHoursAgo),
      ],
    );
  const alert = (lineId: string, areas: string[], severity: string, status: string, raisedHoursAgo: number) =>
    pool.query(
      `INSERT INTO alerts (alert_id, dedup_key, change_id, line_id, team_id, areas, kind, severity, status, change, content, content_version, sanitised, raised_at)
       VALUES ($1, $8, $2, $3, 'team', $4, 'new', $5, $6, '{}', '{}', 1, false, $7)`,
      [randomUUID(), randomUUID(), lineId, areas, severity, status, ago(raisedHoursAgo), `overview-test-${randomUUID()}`],
    );

  beforeAll(async () => {
    db = await Database.open(testDatabaseConfig(flavour), 'linewatch-test');
    m = await db.autocommit(async (q) => q);
    pool = new Pool({ connectionString: testDatabaseConfig(flavour).url, max: 1 });
    await line(`OV1-${tag}`, 'active', [north], 2, { dueHoursAgo: 1 });
    await line(`OV2-${tag}`, 'active', [north, south], 30);
    await line(`OV3-${tag}`, 'disrupted', [south], 1);
    await line(`OV4-${tag}`, 'active', [north], 1, { merged: `OV1-${tag}` }); // merged: its survivor counts
    await line(`OV5-${tag}`, null, [north], 1); // no state yet
    await alert(`OV1-${tag}`, [north], 'high', 'raised', 0.5);
    await alert(`OV1-${tag}`, [north], 'high', 'delivered', 5);
    await alert(`OV2-${tag}`, [north, south], 'medium', 'raised', 48);
    await alert(`OV3-${tag}`, [south], 'critical', 'raised', 0.2);
    await alert(`OV1-${tag}`, [north], 'low', 'acknowledged', 0.1);
    await alert(`OV1-${tag}`, [north], 'low', 'held', 0.1);
  });
  afterAll(async () => {
    await pool?.query(`DELETE FROM alerts WHERE line_id LIKE $1`, [`OV_-${tag}`]);
    await pool?.query(`DELETE FROM lines WHERE line_id LIKE $1`, [`OV_-${tag}`]);
    await pool?.end();
    await db?.close();
  });

  const ours = (figures: { area: string }[]) => figures.filter((f) => f.area === north || f.area === south);

  it('counts lines by area and state, a line in two areas in each; an officer only in their areas', async () => {
    const all = await overview.lines(m, analyst, { changedSince: ago(24), dueBy: now }, { intervalDays: 365 });
    expect(ours(all.byAreaAndState)).toEqual([
      { area: north, state: 'active', count: 2 },
      { area: south, state: 'active', count: 1 },
      { area: south, state: 'disrupted', count: 1 },
    ]);
    const theirs = await overview.lines(m, officer, { changedSince: ago(24), dueBy: now }, { intervalDays: 365 });
    expect(theirs.byAreaAndState).toEqual([{ area: north, state: 'active', count: 2 }]);
    // Changed in 24 h: OV1 (not OV2, 30 h; not the merged or stateless ones). Due: OV1.
    expect(theirs.changed).toBe(1);
    expect(theirs.reviewsDue).toBe(1);
  });

  it('counts open alerts by severity and age, in scope', async () => {
    const theirs = await overview.openAlerts(m, officer, now);
    expect(theirs.sort((a, b) => a.severity.localeCompare(b.severity))).toEqual([
      { severity: 'high', total: 2, underHour: 1, underDay: 1, older: 0 },
      { severity: 'medium', total: 1, underHour: 0, underDay: 0, older: 1 },
    ]);
  });
});
