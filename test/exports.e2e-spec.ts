/**
 * Weekly exports over the running stack (tracker + api, real broker and embedded TimescaleDB) on
 * a demo-feed sample: an analyst's CSV and XLSX match the figures the definitions give when
 * computed from the same events (domain rules, no database); a partner gets small numbers
 * suppressed whatever version they ask for; roles; each download logged; and the weekly job,
 * left to itself, writes its files and e-mails the partner version (catching up at boot).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { ParsedMail } from 'mailparser';
import { Pool } from 'pg';
import { validateIntelEvent, type IntelEventInput, type IntelEventV1, type Role } from '@linewatch/contracts';
import {
  DEFAULT_DORMANCY_POLICY,
  EVENT_FIGURES,
  LINE_FIGURES,
  SUPPRESSED,
  computeTimeline,
  isoWeekOf,
  lineEventsOf,
  lineWeekFigures,
} from '@linewatch/domain';
import { KafkaPublisher, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import {
  bearer,
  demoFeedSample,
  isolatedTopics,
  publishLikeIngest,
  serviceEnv,
  startService,
  testDatabaseConfig,
  testKafkaConfig,
  waitFor,
  type RunningService,
  startMailCapture,
  type MailCapture,
} from '@linewatch/testing';

const logger = createLogger('e2e', 'silent');
const BASE_PORT = 25600;
const SMTP_PORT = 25690;

describe('weekly exports', () => {
  let tracker: RunningService;
  let api: RunningService;
  let db: Pool;
  let producer: KafkaPublisher;
  let smtp: MailCapture | undefined;
  const mails: ParsedMail[] = [];
  const tag = randomUUID().slice(0, 6);
  const dir = mkdtempSync(join(tmpdir(), 'linewatch-e2e-exports-'));
  const exportDir = join(dir, 'exports');
  let events: IntelEventV1[] = [];
  let areaCodes: string[] = [];

  beforeAll(async () => {
    // The sample's areas renamed for this suite (so no other suite's lines count in them), in an areas file of its own.
    const raw = demoFeedSample(`EXP${tag.toUpperCase()}`, 12);
    const inputs = raw.map((e) => ({ ...e, area: `x${tag}-${e.area}` })) as IntelEventInput[];
    areaCodes = [...new Set(inputs.map((e) => e.area))].sort();
    const areasFile = join(dir, 'areas.json');
    writeFileSync(
      areasFile,
      JSON.stringify({
        areas: areaCodes.map((code) => ({ code, name: code.replace(`x${tag}-`, 'Demo '), neighbourhoodTeam: 'bath-npt' })),
      }),
    );
    events = inputs.map((i) => {
      const r = validateIntelEvent(i, { now: new Date(), maxFutureSkewMs: 300_000 });
      if (!r.ok) throw new Error(r.message);
      return r.event;
    });
    smtp = await startMailCapture(SMTP_PORT, mails);

    const isolated = await isolatedTopics('exports');
    const env = serviceEnv('timescale', {
      KAFKA_TOPIC_PREFIX: isolated.prefix,
      TRACKER_GROUP_ID: `e2e-exports-${randomUUID()}`,
      AREAS_FILE: areasFile,
    });
    tracker = await startService('tracker', env, BASE_PORT + 3);
    db = new Pool({ connectionString: testDatabaseConfig('timescale').url, max: 2 });
    producer = new KafkaPublisher(createKafka(testKafkaConfig('e2e-exports'), logger));
    await publishLikeIngest(producer, isolated.names.intelEvents, inputs);
    const ids = events.map((e) => e.eventId);
    await waitFor(
      async () =>
        (await db.query('SELECT count(*)::int AS n FROM intel_events WHERE event_id = ANY($1)', [ids])).rows[0].n === ids.length ||
        undefined,
      { what: 'every demo event stored', timeoutMs: 120_000 },
    );
    // The api starts after the feed is in, with its weekly job on: at boot it catches up the run due last.
    api = await startService(
      'api',
      {
        ...env,
        EXPORT_SCHEDULE: 'on',
        EXPORT_SCHEDULE_JOB: `e2e-${tag}`,
        EXPORT_DIR: exportDir,
        EXPORT_RECIPIENTS: 'partnership@example.org',
        SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
        EXPORT_SUPPRESS_BELOW: '5',
      },
      BASE_PORT,
    );
  });

  afterAll(async () => {
    await producer?.disconnect();
    await Promise.all([tracker?.stop(), api?.stop()]);
    await db?.end();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const download = async (query: string, roles: Role[], justification = 'e2e check') => {
    const response = await fetch(`${api.url}/v1/exports/weekly?${query}`, {
      headers: { authorization: await bearer(roles, [], `${roles.join('+')}-${tag}`), 'x-justification': justification },
    });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  };

  /** The figures the definitions give, from the events alone (the domain's rules; no database). */
  function expected(now: Date) {
    const byKey = new Map<string, Record<string, number>>();
    const at = (area: string, weekStart: string) => {
      const key = `${area}|${weekStart}`;
      if (!byKey.has(key)) byKey.set(key, Object.fromEntries([...LINE_FIGURES, ...EVENT_FIGURES].map((f) => [f, 0])));
      return byKey.get(key)!;
    };
    const lineIds = [...new Set(events.flatMap((e) => lineEventsOf(e).map((l) => l.lineId)))];
    for (const lineId of lineIds) {
      const mine = events.flatMap(lineEventsOf).filter((l) => l.lineId === lineId);
      const timeline = computeTimeline(lineId, mine, now, DEFAULT_DORMANCY_POLICY);
      if (timeline.periods.length === 0) continue;
      const marks = timeline.evidence
        .filter((e) => e.effect.kind !== 'graded_e_ignored')
        .filter(
          (e) =>
            ['line.sighting', 'line.number_changed'].includes(e.event.type) ||
            (e.event.type === 'line.assessed' && e.event.decision === 'reopen'),
        )
        .map((e) => ({ at: e.event.occurredAt, area: e.event.area }));
      const first = timeline.evidence.find((e) => e.event.eventId === timeline.periods[0].cause.eventId)!.event.area;
      const { rows } = lineWeekFigures({
        lineId,
        periods: timeline.periods.map((p) => ({
          state: p.state,
          from: p.from,
          to: p.to,
          transition: p.cause.kind,
          closureType: p.closureType ?? null,
        })),
        areaMarks: marks,
        firstArea: first,
        now,
      });
      for (const row of rows) for (const f of LINE_FIGURES) if (row.flags[f]) at(row.area, row.weekStart)[f] += 1;
    }
    for (const e of events) {
      const c = at(e.area, isoWeekOf(new Date(e.occurredAt)).weekStart);
      if (e.type === 'enforcement.raid') c.raids += 1;
      if (e.type === 'enforcement.arrest') c.arrests += 1;
      if (e.type === 'enforcement.seizure') c.seizures += 1;
      if (e.type === 'safeguarding.referral') {
        c.referrals += 1;
        c[e.body.subject === 'child' ? 'referralsChildren' : 'referralsAdults'] += 1;
        if (e.body.exploitation.includes('criminal')) c.referralsCriminal += 1;
        if (e.body.exploitation.includes('sexual')) c.referralsSexual += 1;
        if (e.body.exploitation.includes('cuckooing')) c.referralsCuckooing += 1;
      }
    }
    return (area: string, weekStart: string) => at(area, weekStart);
  }

  const from = () => new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10);
  const to = () => new Date().toISOString().slice(0, 10);

  it('an analyst’s CSV and XLSX match the figures computed from the events by the definitions', async () => {
    // Let the tracker settle every line (state written for each line named).
    await waitFor(
      async () =>
        (await db.query(`SELECT count(*)::int AS n FROM lines WHERE line_id LIKE $1 AND state IS NOT NULL`, [`EXP${tag.toUpperCase()}-%`]))
          .rows[0].n > 0 || undefined,
      {
        what: 'lines tracked',
      },
    );
    const started = Date.now();
    const csv = await download(`from=${from()}&to=${to()}&format=csv`, ['analyst']);
    const csvMs = Date.now() - started;
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="linewatch-weekly-full-.*\.csv"$/);
    const records: Record<string, string>[] = parse(csv.body, { bom: true, columns: true });
    const want = expected(new Date());
    const currentWeek = isoWeekOf(new Date()).weekStart;
    let compared = 0;
    for (const record of records) {
      if (record.weekStart === currentWeek) continue; // the week in progress moves with the clock
      const w = want(record.area, record.weekStart);
      for (const f of [...LINE_FIGURES, ...EVENT_FIGURES])
        expect({ ...record, f, value: Number(record[f]) }).toEqual({ ...record, f, value: w[f] });
      compared += 1;
    }
    expect(compared).toBeGreaterThan(20 * areaCodes.length);
    expect(records.some((r) => Number(r.linesActive) > 0)).toBe(true);

    const xlsx = await download(`from=${from()}&to=${to()}&format=xlsx`, ['analyst']);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as never);
    const sheet = book.getWorksheet('Weekly figures')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    for (let i = 2; i <= sheet.rowCount; i += 1) {
      const values = (sheet.getRow(i).values as unknown[]).slice(1);
      const record = records[i - 2];
      header.forEach((column, c) => expect(String(values[c])).toBe(record[column]));
    }
    console.log(`weekly export of the demo sample (${events.length} events, ${records.length} rows): CSV in ${csvMs} ms`);
  });

  it('a partner gets the partner version, small counts of people suppressed, even when asking for the full one', async () => {
    const json = await download(`from=${from()}&to=${to()}&format=json&version=full`, ['partner']);
    expect(json.status).toBe(200);
    expect(json.headers.get('x-export-version')).toBe('partner');
    const body = JSON.parse(json.body.toString('utf8'));
    expect(body).toMatchObject({ version: 'partner', suppressBelow: 5, suppressedMarker: SUPPRESSED });
    const text = json.body.toString('utf8');
    expect(text).not.toMatch(/EXP[A-Z0-9]+-\d{4}/); // no line identifiers
    for (const row of body.rows)
      for (const f of ['arrests', 'referrals', 'referralsChildren', 'referralsAdults'])
        expect(row[f] === SUPPRESSED || row[f] === 0 || row[f] >= 5).toBe(true);
    const logged = await db.query(
      `SELECT actor, justification, details FROM disclosure_log WHERE action = 'disclosure' AND actor = $1 ORDER BY entry_id DESC LIMIT 1`,
      [`partner-${tag}`],
    );
    expect(logged.rows[0]).toMatchObject({
      justification: 'e2e check',
      details: expect.objectContaining({ version: 'partner', format: 'json' }),
    });
  });

  it('refuses officers, bad queries; serves charts', async () => {
    expect((await download(`from=${from()}&to=${to()}`, ['officer'])).status).toBe(403);
    expect((await download(`from=2026-13-01&to=${to()}`, ['analyst'])).status).toBe(400);
    expect((await download(`from=${from()}&to=${to()}&format=doc`, ['analyst'])).status).toBe(400);
    const png = await download(`from=${from()}&to=${to()}&format=png`, ['analyst']);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.body.subarray(1, 4).toString()).toBe('PNG');
    const svg = await download(`from=${from()}&to=${to()}&format=svg&area=${areaCodes[0]}`, ['admin']);
    expect(svg.body.toString('utf8')).toContain('<polyline');
  });

  it('the weekly job ran on its own at boot: files written and the partner version e-mailed', async () => {
    await waitFor(() => mails.length > 0 || undefined, { what: 'the weekly e-mail', timeoutMs: 60_000 });
    expect(mails[0].subject).toMatch(/^LineWatch weekly trends \d{4}-W\d\d to \d{4}-W\d\d \(partner version\)$/);
    expect(mails[0].attachments.map((a) => a.filename?.split('.').pop()).sort()).toEqual(['csv', 'png', 'xlsx']);
    const [week] = readdirSync(exportDir);
    expect(readdirSync(join(exportDir, week))).toHaveLength(10);
  });
});
