/**
 * Weekly trend exports against both database flavours: a hand-checked scenario (a clock-change
 * week, a line that reactivates twice in a week, a line that moves area, late events that change
 * last week), every format parsed back and compared, partner suppression, the audit entry, and the
 * weekly job with a controllable clock, two replicas and a real SMTP server.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { simpleParser, type ParsedMail } from 'mailparser';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import { validateIntelEvent, type IntelEventInput, type IntelEventV1 } from '@linewatch/contracts';
import { DEFAULT_DORMANCY_POLICY, SUPPRESSED, computeTimeline, lineEventsOf, type LineTimeline } from '@linewatch/domain';
import {
  AuditRepository,
  ExportScheduleRepository,
  IntelEventsRepository,
  LINE_COUNT_COLUMNS,
  LinesRepository,
  WeeklyFiguresRepository,
  Database,
} from '@linewatch/persistence';
import { aRaid, aSighting, testDatabaseConfig, waitFor, type DatabaseFlavour } from '@linewatch/testing';
import { BuildWeeklyExportUseCase, type ExportRow, type WeeklyExport } from './build-weekly-export.usecase';
import { DownloadWeeklyExportUseCase } from './download-weekly-export.usecase';
import { RefreshWeeklyFiguresUseCase } from './refresh-weekly-figures.usecase';
import { RunWeeklyExportJobUseCase } from './run-weekly-export-job.usecase';
import { COLUMNS, render, toCsv, toJson, toXlsx } from './weekly-export.formats';

const NOW = new Date('2026-11-10T12:00:00Z'); // Tuesday of 2026-W46
const SMTP_PORT = 25650;

function valid(input: IntelEventInput, now = NOW): IntelEventV1 {
  const result = validateIntelEvent(input, { now, maxFutureSkewMs: 60_000 });
  if (!result.ok) throw new Error(`invalid test event: ${result.message}`);
  return result.event;
}

const envelope = (area: string, occurredAt: string) => ({
  eventId: randomUUID(),
  occurredAt,
  area,
  grading: { source: '2', intelligence: 'B', handling: 'P' },
  source: { system: 'records', reference: `IR-${randomUUID().slice(0, 6)}` },
});
const arrest = (lineId: string, area: string, occurredAt: string): IntelEventInput =>
  ({ ...envelope(area, occurredAt), type: 'enforcement.arrest', lineId, body: { role: 'runner' } }) as IntelEventInput;
const seizure = (lineId: string, area: string, occurredAt: string): IntelEventInput =>
  ({ ...envelope(area, occurredAt), type: 'enforcement.seizure', lineId, body: { items: [{ kind: 'drugs' }] } }) as IntelEventInput;
const assessed = (lineId: string, area: string, occurredAt: string, body: object): IntelEventInput =>
  ({ ...envelope(area, occurredAt), type: 'line.assessed', lineId, body: { rationale: 'test', ...body } }) as IntelEventInput;
const referral = (area: string, occurredAt: string, subject: 'child' | 'adult', exploitation: string[]): IntelEventInput =>
  ({ ...envelope(area, occurredAt), type: 'safeguarding.referral', lineIds: [], body: { subject, exploitation } }) as IntelEventInput;

const pick = (rows: readonly ExportRow[], area: string, isoWeek: string) => {
  const row = rows.find((r) => r.area === area && r.isoWeek === isoWeek);
  if (!row) throw new Error(`no row ${area} ${isoWeek}`);
  return row;
};
/** The non-zero figures of a row, for readable expectations. */
const nonZero = (row: ExportRow) =>
  Object.fromEntries(Object.entries(row).filter(([k, v]) => !['area', 'areaName', 'isoWeek', 'weekStart'].includes(k) && v !== 0));

describe.each<DatabaseFlavour>(['timescale', 'postgres'])('weekly exports on %s', (flavour) => {
  let database: Database;
  /** What the test checks beyond the use cases, straight from the tables (its own connection, as the e2e suites do). */
  let sql: Client;
  const tag = randomUUID().slice(0, 6);
  const north = `wk${tag}-north`;
  const south = `wk${tag}-south`;
  const [lineA, lineB, lineC] = ['A', 'B', 'C'].map((x) => `WK-${tag}-${x}`);
  const areas = [
    { code: north, name: 'North' },
    { code: south, name: '=HYPERLINK("http://evil.invalid","South")' }, // configured names are text: neutralised in CSV/XLSX
  ];
  const events = new IntelEventsRepository();
  const lines = new LinesRepository();
  const figures = new WeeklyFiguresRepository();
  const audit = new AuditRepository();
  const known = new Map<string, IntelEventV1[]>();
  const told = new Map<string, LineTimeline>();
  let refresh: RefreshWeeklyFiguresUseCase;
  let build: BuildWeeklyExportUseCase;

  /** Stores events and brings their lines up to date the way the tracker does (lock, recompute, save). */
  async function track(inputs: IntelEventInput[]) {
    const stored = inputs.map((i) => valid(i));
    await database.transaction(async (m) => {
      await events.store(
        m,
        stored.map((event) => ({ event, kafkaPartition: 0, kafkaOffset: '0' })),
      );
      const touched = [...new Set(stored.flatMap((e) => lineEventsOf(e).map((l) => l.lineId)))];
      await lines.lock(m, touched);
      for (const e of stored) for (const l of lineEventsOf(e)) known.set(l.lineId, [...(known.get(l.lineId) ?? []), e]);
      await lines.save(
        m,
        touched.map((lineId) => {
          const timeline = computeTimeline(lineId, known.get(lineId)!.flatMap(lineEventsOf), NOW, DEFAULT_DORMANCY_POLICY);
          const before = told.get(lineId);
          told.set(lineId, timeline);
          return {
            timeline,
            latestEventAt: null,
            nextCheckAt: null,
            periodsChanged: JSON.stringify(before?.periods) !== JSON.stringify(timeline.periods),
          };
        }),
      );
    });
  }

  const request = { from: '2026-10-19', to: '2026-11-10' } as const;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const rows = async (text: string): Promise<any[]> => (await sql.query(text)).rows;

  beforeAll(async () => {
    database = await Database.open(testDatabaseConfig(flavour), 'linewatch-test');
    sql = new Client({ connectionString: testDatabaseConfig(flavour).url });
    await sql.connect();
    refresh = new RefreshWeeklyFiguresUseCase(database, figures);
    build = new BuildWeeklyExportUseCase(database, figures, refresh, { areas, suppressBelow: 5 });
    await track([
      // Line A (north): new, then a one-day window makes it reactivate twice in 2026-W43; raided in W44.
      aSighting({ lineId: lineA, area: north, occurredAt: '2026-10-19T10:00:00Z' }),
      assessed(lineA, north, '2026-10-19T11:00:00Z', { decision: 'dormancy_override', dormancyWindowDays: 1 }),
      aSighting({ lineId: lineA, area: north, occurredAt: '2026-10-21T10:00:00Z' }),
      aSighting({ lineId: lineA, area: north, occurredAt: '2026-10-23T10:00:00Z' }),
      aRaid([lineA], { area: north, occurredAt: '2026-10-27T10:00:00Z' }),
      arrest(lineA, north, '2026-10-27T10:05:00Z'),
      arrest(lineA, north, '2026-10-27T10:06:00Z'),
      seizure(lineA, north, '2026-10-27T10:07:00Z'),
      // Line B (south): first sighted at 00:30 BST on Monday 19 October — Sunday 23:30 UTC, W42 in UTC, W43 in London.
      aSighting({ lineId: lineB, area: south, occurredAt: '2026-10-18T23:30:00Z' }),
      // Line C (south): first recorded by a raid, closed Type 1 in W44.
      aRaid([lineC], { area: south, occurredAt: '2026-10-20T09:00:00Z' }),
      assessed(lineC, south, '2026-10-28T09:00:00Z', { decision: 'closure_type_1' }),
      // Referrals in the 169-hour week (clocks go back on Sunday 25 October).
      referral(south, '2026-10-20T12:00:00Z', 'child', ['criminal']),
      referral(south, '2026-10-25T23:30:00Z', 'child', ['criminal', 'cuckooing']), // Sunday 23:30 GMT: still W43
      referral(south, '2026-10-22T12:00:00Z', 'adult', ['sexual']),
    ]);
  });

  afterAll(async () => {
    await sql?.end();
    await database?.close();
  });

  it('gives the hand-checked figures per area and ISO week', async () => {
    const exp = await build.execute({ ...request, version: 'full' }, NOW);
    expect(exp).toMatchObject({ fromWeek: '2026-W43', toWeek: '2026-W46', timeZone: 'Europe/London' });
    expect(exp.rows).toHaveLength(8);
    expect(nonZero(pick(exp.rows, north, '2026-W43'))).toEqual({ linesActive: 1, new: 1, reactivated: 1, wentDormant: 1 });
    expect(nonZero(pick(exp.rows, north, '2026-W44'))).toEqual({ disrupted: 1, raids: 1, arrests: 2, seizures: 1 });
    expect(nonZero(pick(exp.rows, north, '2026-W45'))).toEqual({});
    expect(nonZero(pick(exp.rows, south, '2026-W43'))).toEqual({
      linesActive: 1,
      activeAtWeekEnd: 1,
      new: 1,
      disrupted: 1,
      raids: 1,
      referrals: 3,
      referralsChildren: 2,
      referralsAdults: 1,
      referralsCriminal: 2,
      referralsSexual: 1,
      referralsCuckooing: 1,
    });
    expect(nonZero(pick(exp.rows, south, '2026-W44'))).toEqual({ linesActive: 1, activeAtWeekEnd: 1, closedType1: 1 });
    expect(nonZero(pick(exp.rows, south, '2026-W45'))).toEqual({ linesActive: 1, activeAtWeekEnd: 1 });
    expect(nonZero(pick(exp.rows, south, '2026-W46'))).toEqual({ linesActive: 1, activeAtWeekEnd: 1 }); // the week in progress, so far
    expect(pick(exp.rows, south, '2026-W43').weekStart).toBe('2026-10-19');
    expect(exp.totals.map((t) => [t.isoWeek, t.linesActive, t.raids, t.referrals])).toEqual([
      ['2026-W43', 2, 1, 3],
      ['2026-W44', 1, 1, 0],
      ['2026-W45', 1, 0, 0],
      ['2026-W46', 1, 0, 0],
    ]);
  });

  it('late events change last week once the affected weeks are refreshed; a line that moves area is counted where it went', async () => {
    await track([
      aSighting({ lineId: lineC, area: north, occurredAt: '2026-11-03T10:00:00Z' }), // C resurfaces in north in W45
      referral(south, '2026-11-04T10:00:00Z', 'adult', ['criminal']),
      aSighting({ lineId: lineB, area: north, occurredAt: '2026-11-05T10:00:00Z' }), // B moves north: no new period, only its area
    ]);
    const exp = await build.execute({ ...request, version: 'full' }, NOW);
    expect(nonZero(pick(exp.rows, north, '2026-W45'))).toEqual({ linesActive: 2, activeAtWeekEnd: 2, resurfaced: 1 });
    expect(nonZero(pick(exp.rows, south, '2026-W45'))).toEqual({
      linesActive: 1,
      referrals: 1,
      referralsAdults: 1,
      referralsCriminal: 1,
    });
    expect(nonZero(pick(exp.rows, north, '2026-W46'))).toEqual({ linesActive: 2, activeAtWeekEnd: 2 });
    expect(nonZero(pick(exp.rows, south, '2026-W46'))).toEqual({});
    // Earlier weeks did not move.
    expect(nonZero(pick(exp.rows, north, '2026-W43'))).toEqual({ linesActive: 1, new: 1, reactivated: 1, wentDormant: 1 });
    expect(exp.totals.find((t) => t.isoWeek === '2026-W45')).toMatchObject({ linesActive: 2, referrals: 1 });
    expect(await database.autocommit((q) => figures.dueCount(q, NOW))).toBe(0);
  });

  it('a line marked again while its sources were read is not written from them, and stays due until a refresh reads it again', async () => {
    const lineD = `WK-${tag}-D`;
    await track([aSighting({ lineId: lineD, area: north, occurredAt: '2026-11-02T10:00:00Z' })]);
    const read = (await database.autocommit((q) => figures.dueLines(q, NOW, 100_000))).filter((l) => l.lineId === lineD);
    expect(read).toHaveLength(1);
    await track([aRaid([lineD], { area: north, occurredAt: '2026-11-03T10:00:00Z' })]); // the tracker writes its periods meanwhile
    const locked = await database.transaction((m) => figures.lockUnchanged(m, NOW, read));
    expect(locked).toEqual([]);
    expect((await database.autocommit((q) => figures.dueLines(q, NOW, 100_000))).some((l) => l.lineId === lineD)).toBe(true);
    const exp = await build.execute({ ...request, version: 'full' }, NOW);
    expect((await database.autocommit((q) => figures.dueLines(q, NOW, 100_000))).some((l) => l.lineId === lineD)).toBe(false);
    expect(nonZero(pick(exp.rows, north, '2026-W45'))).toEqual({
      linesActive: 3,
      activeAtWeekEnd: 2,
      new: 1,
      disrupted: 1,
      resurfaced: 1,
      raids: 1,
    });
  });

  it('the count tables agree with the line rows they are moved with; totals count a line once and only in configured areas', async () => {
    const elsewhere = `wk${tag}-elsewhere`; // not configured for this export
    await track([
      aSighting({ lineId: `WK-${tag}-E`, area: elsewhere, occurredAt: '2026-11-03T10:00:00Z' }),
      aSighting({ lineId: `WK-${tag}-F`, area: elsewhere, occurredAt: '2026-11-03T10:00:00Z' }),
      aSighting({ lineId: `WK-${tag}-F`, area: north, occurredAt: '2026-11-04T10:00:00Z' }), // F: in both areas in W45
    ]);
    const exp = await build.execute({ ...request, version: 'full' }, NOW);
    // F counts once in the totals (through north); E, only elsewhere, not at all.
    expect(nonZero(pick(exp.rows, north, '2026-W45'))).toMatchObject({ linesActive: 4 });
    expect(exp.totals.find((t) => t.isoWeek === '2026-W45')).toMatchObject({ linesActive: 4 }); // B (north and south), C, D, F
    const grouped = `
      SELECT week_start::text, area, ${LINE_COUNT_COLUMNS.map((c) => `count(*) FILTER (WHERE ${c})::integer AS ${c}`).join(', ')}
      FROM line_week_figures WHERE week_start >= '2026-10-19' AND week_start < '2026-11-16' GROUP BY 1, 2`;
    const kept = `
      SELECT week_start::text, area, ${LINE_COUNT_COLUMNS.join(', ')}
      FROM area_week_line_counts WHERE week_start >= '2026-10-19' AND week_start < '2026-11-16'
        AND ${LINE_COUNT_COLUMNS.join(' + ')} > 0`;
    expect(await rows(`(${grouped}) EXCEPT (${kept})`)).toEqual([]);
    expect(await rows(`(${kept}) EXCEPT (${grouped})`)).toEqual([]);
    // With every area that has lines in the range configured, the totals come from the totals
    // table; they must equal each line counted once over those areas.
    const present: { area: string }[] = await rows(
      `SELECT DISTINCT area FROM line_week_figures WHERE week_start >= '2026-10-19' AND week_start < '2026-11-16'`,
    );
    const codes = present.map((p) => p.area);
    const fromTable = await database.autocommit((q) => figures.lineTotals(q, '2026-10-19', '2026-11-16', codes));
    const exact: { week_start: string; n: number }[] = await rows(
      `SELECT week_start::text, count(DISTINCT line_id) FILTER (WHERE active)::integer AS n FROM line_week_figures
       WHERE week_start >= '2026-10-19' AND week_start < '2026-11-16' GROUP BY 1`,
    );
    expect(Object.fromEntries(fromTable.map((t) => [t.weekStart, t.counts.linesActive]))).toEqual(
      Object.fromEntries(exact.map((e) => [e.week_start, e.n])),
    );
  });

  it('partner version: small counts of people suppressed, with totals that do not reveal them; lines and raids shown', async () => {
    const exp = await build.execute({ ...request, version: 'partner' }, NOW);
    const w43 = pick(exp.rows, south, '2026-W43');
    expect(w43).toMatchObject({
      referrals: SUPPRESSED,
      referralsChildren: SUPPRESSED,
      referralsAdults: SUPPRESSED,
      linesActive: 1,
      raids: 1,
    });
    expect(pick(exp.rows, north, '2026-W44')).toMatchObject({ arrests: SUPPRESSED, seizures: 1, disrupted: 1 });
    const totals44 = exp.totals.find((t) => t.isoWeek === '2026-W44')!;
    expect(totals44.arrests).toBe(SUPPRESSED);
    expect(exp.suppressBelow).toBe(5);
    expect(JSON.stringify(exp)).not.toContain(lineA); // aggregates only: no line identifiers
  });

  it('every format parses back to the same figures; text cells are neutralised against formula injection', async () => {
    const exp: WeeklyExport = await build.execute({ ...request, version: 'partner' }, NOW);
    const json = JSON.parse(toJson(exp).toString('utf8'));
    expect(json).toMatchObject({ from: request.from, to: request.to, version: 'partner' });
    expect(json.rows).toEqual(exp.rows);

    const csvText = toCsv(exp).toString('utf8');
    expect(csvText.charCodeAt(0)).toBe(0xfeff);
    expect(csvText).toContain('\r\n');
    const records: Record<string, string>[] = parse(csvText, { bom: true, columns: true });
    expect(Object.keys(records[0])).toEqual([...COLUMNS]);
    expect(records).toHaveLength(exp.rows.length);
    records.forEach((record, i) => {
      for (const column of COLUMNS) {
        const value = (exp.rows[i] as unknown as Record<string, unknown>)[column];
        const expected = column === 'areaName' && String(value).startsWith('=') ? `'${String(value)}` : String(value);
        expect(record[column]).toBe(expected);
      }
    });

    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await toXlsx(exp)) as never);
    const sheet = book.getWorksheet('Weekly figures')!;
    expect(sheet.getRow(1).values).toEqual([undefined, ...COLUMNS]);
    exp.rows.forEach((row, i) => {
      const values = sheet.getRow(i + 2).values as unknown[];
      COLUMNS.forEach((column, c) => {
        const value = (row as unknown as Record<string, unknown>)[column];
        expect(values[c + 1]).toEqual(column === 'areaName' && String(value).startsWith('=') ? `'${String(value)}` : value);
      });
    });
    expect(typeof (sheet.getRow(2).values as unknown[])[5]).toBe('number'); // figures are numbers, not text
    expect(book.getWorksheet('All areas')!.rowCount).toBe(exp.totals.length + 1);

    const svg = (await render(exp, 'svg')).toString('utf8');
    expect(svg).toMatch(/^<svg /);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('&quot;http://evil.invalid&quot;'); // escaped, not markup
    const png = await render(exp, 'png');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(960); // width from the IHDR chunk
  });

  it('records each download as a disclosure with who, what and why', async () => {
    const download = new DownloadWeeklyExportUseCase(database, build, audit);
    const who = `partner-${tag}`;
    const file = await download.execute(
      { subject: who, roles: ['partner'], channel: 'api' },
      { ...request, area: north, version: 'partner' },
      'csv',
      'board report',
      NOW,
    );
    expect(file.fileName).toBe(`linewatch-weekly-partner-2026-W43-to-2026-W46-${north}.csv`);
    expect(file.contentType).toMatch(/^text\/csv/);
    const [entry] = await database.autocommit((q) => audit.search(q, { actor: who, action: 'disclosure', limit: 5 }));
    expect(entry).toMatchObject({
      subjectType: 'weekly-export',
      subjectId: '2026-W43..2026-W46',
      channel: 'api',
      justification: 'board report',
    });
    expect(entry.details).toMatchObject({ version: 'partner', format: 'csv', area: north, suppressBelow: 5 });
  });

  it('refuses a range the wrong way round, too long, or an unknown area', async () => {
    await expect(build.execute({ from: '2026-11-10', to: '2026-10-01', version: 'full' }, NOW)).rejects.toMatchObject({
      code: 'EXPORT_RANGE',
    });
    await expect(build.execute({ from: '2000-01-01', to: '2026-10-01', version: 'full' }, NOW)).rejects.toMatchObject({
      code: 'EXPORT_RANGE',
    });
    await expect(build.execute({ ...request, area: 'atlantis', version: 'full' }, NOW)).rejects.toMatchObject({ code: 'EXPORT_AREA' });
  });

  describe('the weekly job', () => {
    let smtp: SMTPServer;
    const mails: ParsedMail[] = [];
    let dir: string;
    const port = SMTP_PORT + (flavour === 'timescale' ? 0 : 1);

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'linewatch-exports-'));
      smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        onData(stream, _session, callback) {
          simpleParser(stream).then(
            (mail) => {
              mails.push(mail);
              callback();
            },
            (error: Error) => callback(error),
          );
        },
      });
      await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    });

    const replica = (holder: string, job: string) =>
      new RunWeeklyExportJobUseCase(database, build, new ExportScheduleRepository(), audit, {
        job,
        schedule: { day: 'monday', time: '06:00' },
        weeks: 4,
        dir,
        recipients: ['partnership@example.org', 'corporate-parents@example.org'],
        smtpUrl: `smtp://127.0.0.1:${port}`,
        smtpFrom: 'LineWatch exports <exports@linewatch.invalid>',
        leaseMs: 60_000,
        holder,
      });

    it('runs once across two replicas, writes the files, mails the partner version, and is not repeated', async () => {
      const job = `weekly-${tag}`;
      const [one, two] = [replica('one', job), replica('two', job)];
      const clock = new Date('2026-11-09T06:00:00Z'); // Monday 06:00: the run for weeks up to 2026-W45
      const outcomes = await Promise.all([one.execute(clock), two.execute(clock)]);
      const ran = outcomes.filter((o) => o.kind === 'ran');
      expect(ran).toHaveLength(1);
      expect(outcomes.find((o) => o.kind !== 'ran')?.kind).toMatch(/held-elsewhere|already-done/);
      expect(ran[0]).toMatchObject({ week: '2026-W45' });
      const files = readdirSync(join(dir, '2026-W45')).sort();
      expect(files).toHaveLength(10);
      expect(files).toContain('linewatch-weekly-partner-2026-W42-to-2026-W45.xlsx');
      await waitFor(() => mails.length >= 1 || undefined, { what: 'the partner e-mail' });
      const mail = mails[0];
      expect(mail.subject).toBe('LineWatch weekly trends 2026-W42 to 2026-W45 (partner version)');
      expect(mail.attachments.map((a) => a.filename).sort()).toEqual([
        'linewatch-weekly-partner-2026-W42-to-2026-W45.csv',
        'linewatch-weekly-partner-2026-W42-to-2026-W45.png',
        'linewatch-weekly-partner-2026-W42-to-2026-W45.xlsx',
      ]);
      const csv = mail.attachments.find((a) => a.filename?.endsWith('.csv'))!.content.toString('utf8');
      expect(csv).toContain(SUPPRESSED);
      expect(csv).not.toContain(lineA);

      // Later the same week, on either replica: nothing to do.
      expect(await one.execute(new Date('2026-11-11T09:00:00Z'))).toMatchObject({ kind: 'already-done', week: '2026-W45' });
      expect(await two.execute(new Date('2026-11-09T07:00:00Z'))).toMatchObject({ kind: 'already-done' });
      expect(mails).toHaveLength(1);
      const logged = await database.autocommit((q) =>
        audit.search(q, {
          actor: 'export-schedule',
          action: 'disclosure',
          since: new Date('2026-11-09T06:00:00Z'),
          until: new Date('2026-11-09T06:00:01Z'),
          limit: 50,
        }),
      );
      expect(
        logged
          .filter((e) => e.channel === 'email')
          .map((e) => e.recipient)
          .sort(),
      ).toEqual(['corporate-parents@example.org', 'partnership@example.org']);
    });

    it('catches up a missed run once after being down for weeks (the latest due week only)', async () => {
      const job = `catch-up-${tag}`;
      const before = mails.length;
      const booted = replica('late', job);
      // Down since before the first run; boots on Thursday 26 November: due since Monday 23rd, covering up to W47.
      expect(await booted.execute(new Date('2026-11-26T10:00:00Z'))).toMatchObject({ kind: 'ran', week: '2026-W47' });
      expect(await booted.execute(new Date('2026-11-26T10:01:00Z'))).toMatchObject({ kind: 'already-done' });
      await waitFor(() => mails.length === before + 1 || undefined, { what: 'one catch-up e-mail' });
      // A lease held by a replica that died is taken over once it expires.
      const dead = replica('dead', `lease-${tag}`);
      const runs = new ExportScheduleRepository();
      await database.autocommit((q) =>
        runs.acquire(q, `lease-${tag}`, 'dead', new Date('2026-11-30T06:00:00Z'), new Date('2026-11-30T06:10:00Z')),
      );
      const alive = replica('alive', `lease-${tag}`);
      expect(await alive.execute(new Date('2026-11-30T06:05:00Z'))).toMatchObject({ kind: 'held-elsewhere' });
      expect(await alive.execute(new Date('2026-11-30T06:10:00Z'))).toMatchObject({ kind: 'ran', week: '2026-W48' });
      dead.close();
      alive.close();
      booted.close();
    });
  });
});

describe.each<DatabaseFlavour>(['timescale', 'postgres'])('weekly figures of a merged line on %s', (flavour) => {
  let database: Database;
  let sql: Client;
  const tag = randomUUID().slice(0, 6);
  const [east, west] = [`mg${tag}-east`, `mg${tag}-west`];
  const [survivor, merged] = [`MG-${tag}-S`, `MG-${tag}-M`];
  const events = new IntelEventsRepository();
  const lines = new LinesRepository();
  const figures = new WeeklyFiguresRepository();

  /** Stores events and saves the given lines' timelines computed from `known` (as the tracker does, lines locked). */
  async function write(stored: IntelEventV1[], timelines: Record<string, IntelEventV1[]>) {
    await database.transaction(async (tx) => {
      if (stored.length > 0)
        await events.store(
          tx,
          stored.map((event) => ({ event, kafkaPartition: 0, kafkaOffset: '0' })),
        );
      await lines.lock(tx, Object.keys(timelines));
      await lines.save(
        tx,
        Object.entries(timelines).map(([lineId, known]) => ({
          timeline: computeTimeline(
            lineId,
            known.flatMap(lineEventsOf).map((e) => ({ ...e, lineId })),
            NOW,
            DEFAULT_DORMANCY_POLICY,
          ),
          latestEventAt: null,
          nextCheckAt: null,
          periodsChanged: true,
        })),
      );
    });
  }

  beforeAll(async () => {
    database = await Database.open(testDatabaseConfig(flavour), 'linewatch-test');
    sql = new Client({ connectionString: testDatabaseConfig(flavour).url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await database?.close();
  });

  it('counts the merged line’s events as the survivor’s: the areas and weeks it worked in, as one line', async () => {
    const own = [valid(aSighting({ lineId: survivor, area: east, occurredAt: '2026-10-20T10:00:00Z' }))];
    const theirs = [
      valid(aSighting({ lineId: merged, area: west, occurredAt: '2026-10-27T10:00:00Z' })),
      valid(aSighting({ lineId: merged, area: west, occurredAt: '2026-11-03T10:00:00Z' })),
    ];
    await write([...own, ...theirs], { [survivor]: own, [merged]: theirs });
    const build = new BuildWeeklyExportUseCase(database, figures, new RefreshWeeklyFiguresUseCase(database, figures), {
      areas: [
        { code: east, name: 'East' },
        { code: west, name: 'West' },
      ],
      suppressBelow: 5,
    });
    const request = { from: '2026-10-19', to: '2026-11-10', version: 'full' } as const;
    const before = await build.execute(request, NOW);
    expect(before.totals.find((t) => t.isoWeek === '2026-W44')?.linesActive).toBe(2); // two lines until the analyst merges them

    // The merge as the tracker applies it: the alias, the merged line retired, the survivor recomputed from the union.
    await sql.query(`INSERT INTO line_aliases (alias_id, parent_id, root_id, merge_event_id, merged_at) VALUES ($1, $2, $2, $3, $4)`, [
      merged,
      survivor,
      randomUUID(),
      NOW,
    ]);
    await sql.query(`UPDATE lines SET merged_into = $2 WHERE line_id = $1`, [merged, survivor]);
    await sql.query(`DELETE FROM line_state_periods WHERE line_id = $1`, [merged]);
    await write([], { [survivor]: [...own, ...theirs] });

    const after = await build.execute(request, NOW);
    // The survivor worked in the west from W44 on (the merged line's sightings), in the east before.
    expect(nonZero(pick(after.rows, east, '2026-W43'))).toEqual({ linesActive: 1, activeAtWeekEnd: 1, new: 1 });
    expect(nonZero(pick(after.rows, west, '2026-W44'))).toEqual({ linesActive: 1, activeAtWeekEnd: 1 });
    expect(nonZero(pick(after.rows, west, '2026-W45'))).toEqual({ linesActive: 1, activeAtWeekEnd: 1 });
    expect(after.totals.map((t) => [t.isoWeek, t.linesActive])).toEqual([
      ['2026-W43', 1],
      ['2026-W44', 1],
      ['2026-W45', 1],
      ['2026-W46', 1],
    ]);
  });
});
