/**
 * Intake as the intelligence systems use it: bulk NDJSON and CSV uploads
 * streamed through ingest, every bad record rejected alone with its code,
 * configured areas only, dead letters inspected and re-driven with the CLI,
 * and a 100,000-event upload whose memory stays flat.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Pool } from 'pg';
import { CSV_COLUMNS, LINE_LINK_TYPES, eventToCsvRecord, type TopicNames } from '@linewatch/contracts';
import { KafkaPublisher, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import {
  aSighting,
  bearer,
  isolatedTopics,
  runCli,
  serviceEnv,
  startService,
  testDatabaseConfig,
  testKafkaConfig,
  waitFor,
  type RunningService,
} from '@linewatch/testing';

const ROOT = join(__dirname, '..');
const BASE_PORT = 24200;
/**
 * Ingest runs with a small old-space limit here. With V8's default limit (a
 * quarter of this machine's memory) garbage is collected lazily and resident
 * memory says little; capped, an upload held in memory would run out of heap,
 * and what the process keeps is what it needs.
 */
const INGEST_HEAP_MB = 96;

/** Resident memory of a running process; 0 once it has gone (the test then fails on the upload, with its output). */
function rssBytes(pid: number): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return 0;
  }
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

describe('intake', () => {
  const services: RunningService[] = [];
  let ingest: RunningService;
  let db: Pool;
  let topics: TopicNames;
  let env: NodeJS.ProcessEnv;
  const work = mkdtempSync(join(tmpdir(), 'linewatch-intake-'));

  beforeAll(async () => {
    const isolated = await isolatedTopics('intake');
    topics = isolated.names;
    env = serviceEnv('timescale', { KAFKA_TOPIC_PREFIX: isolated.prefix, TRACKER_GROUP_ID: `intake-${randomUUID()}` });
    const started = await Promise.all([
      startService('ingest', { ...env, NODE_OPTIONS: `--max-old-space-size=${INGEST_HEAP_MB}` }, BASE_PORT + 1),
      startService('tracker', env, BASE_PORT + 3),
    ]);
    services.push(...started);
    ingest = started[0];
    db = new Pool({ connectionString: testDatabaseConfig('timescale').url, max: 2 });
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await db?.end();
    rmSync(work, { recursive: true, force: true });
  });

  const upload = async (body: string | ReadableStream, contentType: string) => {
    const response = await fetch(`${ingest.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: await bearer(['ingest']) },
      body,
      duplex: 'half',
    } as RequestInit);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, body: (await response.json()) as any };
  };

  const storedCount = async (eventIds: readonly string[]) =>
    (await db.query('SELECT count(*)::int AS n FROM intel_event_ids WHERE event_id = ANY($1::uuid[])', [eventIds])).rows[0].n as number;

  it('takes an NDJSON upload and answers per record: accepted, duplicate, rejected with its line', async () => {
    const good = [aSighting(), aSighting()];
    const lines = [
      JSON.stringify(good[0]),
      '{"eventId": "broken',
      '',
      JSON.stringify(aSighting({ area: 'atlantis' })),
      JSON.stringify(good[1]),
      JSON.stringify(good[0]),
    ].join('\n');
    const { status, body } = await upload(lines, 'application/x-ndjson');
    expect(status).toBe(200);
    expect(body.summary).toEqual({ accepted: 2, duplicate: 1, rejected: 2 });
    expect(body.rejected).toEqual([
      expect.objectContaining({ position: 2, code: 'MALFORMED_JSON' }),
      expect.objectContaining({ position: 4, code: 'UNKNOWN_AREA' }),
    ]);
    await waitFor(async () => (await storedCount(good.map((e) => e.eventId as string))) === 2, { what: 'both events stored' });
  });

  it('takes a CSV upload with a header row; a row whose body is not JSON is rejected alone', async () => {
    const good = aSighting({ area: 'radstock' });
    const row = (record: Record<string, string>) => CSV_COLUMNS.map((c) => `"${(record[c] ?? '').replace(/"/g, '""')}"`).join(',');
    const csv = [CSV_COLUMNS.join(','), row(eventToCsvRecord(good)), row({ ...eventToCsvRecord(aSighting()), body: '{not json' })].join(
      '\r\n',
    );
    const { status, body } = await upload(csv, 'text/csv');
    expect(status).toBe(200);
    expect(body.summary).toEqual({ accepted: 1, duplicate: 0, rejected: 1 });
    expect(body.rejected[0]).toMatchObject({ position: 2, code: 'MALFORMED_CSV' });
    await waitFor(async () => (await storedCount([good.eventId as string])) === 1, { what: 'the CSV event stored' });
  });

  it('accepts every valid example of docs/events.md as a newcomer would post it', async () => {
    const dir = join(ROOT, 'libs', 'contracts', 'examples');
    const examples = readdirSync(dir)
      .filter((f) => f.endsWith('.valid.json'))
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>)
      // Link decisions are the api's (intake refuses them); lines named by number or handset are resolved by intake.
      .filter((e) => !(LINE_LINK_TYPES as readonly unknown[]).includes(e.type));
    expect(examples.length).toBeGreaterThanOrEqual(11);
    const { status, body } = await upload(JSON.stringify(examples), 'application/json');
    expect(status).toBe(200);
    expect(body.results.filter((r: { status: string }) => r.status === 'rejected')).toEqual([]);
  });

  it('refuses a JSON body over the size limit with BODY_TOO_LARGE', async () => {
    const huge = JSON.stringify([{ padding: 'x'.repeat(6 * 1024 * 1024) }]);
    expect(await upload(huge, 'application/json')).toMatchObject({ status: 413, body: { code: 'BODY_TOO_LARGE' } });
  });

  it('refuses with 503 PUBLISH_FAILED and Retry-After, never 202, when Kafka does not acknowledge in time; nothing of it counts as accepted', async () => {
    // An ingest whose topic the broker does not have: its producer never gets an acknowledgement, as from
    // a cluster short of in-sync replicas (that case itself: `npm run faults -- --only cluster-lose-two`).
    const timeoutMs = 3000;
    const orphan = await startService(
      'ingest',
      { ...env, KAFKA_TOPIC_PREFIX: `absent-${randomUUID().slice(0, 8)}.`, INGEST_PUBLISH_TIMEOUT_MS: String(timeoutMs) },
      BASE_PORT + 5,
    );
    services.push(orphan);
    const event = aSighting();
    const send = async (to: RunningService) => {
      const started = Date.now();
      const response = await fetch(`${to.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: await bearer(['ingest']) },
        body: JSON.stringify(event),
      });
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        body: await response.json(),
        ms: Date.now() - started,
      };
    };
    const refused = await send(orphan);
    expect(refused).toMatchObject({ status: 503, retryAfter: '5', body: { code: 'PUBLISH_FAILED', retryAfterSeconds: 5 } });
    expect(refused.ms).toBeLessThan(timeoutMs + 5000);
    await orphan.stop();
    // Not remembered as received: sent where Kafka answers, it is accepted (202), not a duplicate.
    expect(await send(ingest)).toMatchObject({ status: 202, body: { eventId: event.eventId, status: 'accepted' } });
    await waitFor(async () => (await storedCount([event.eventId as string])) === 1, { what: 'the event stored once' });
  });

  it('rejects an event for an area that is not configured', async () => {
    const response = await fetch(`${ingest.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: await bearer(['ingest']) },
      body: JSON.stringify(aSighting({ area: 'swindon' })),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: 'UNKNOWN_AREA', errors: [{ path: 'area', message: 'not a configured area' }] });
  });

  it('lists dead letters from direct producers and re-drives them once their cause is fixed', async () => {
    const lineId = `DLQ-${randomUUID().slice(0, 8)}`;
    const event = aSighting({ lineId, area: 'frome' });
    const producer = new KafkaPublisher(createKafka(testKafkaConfig('intake-direct'), createLogger('t', 'silent')));
    await producer.publish(topics.intelEvents, [{ key: lineId, value: JSON.stringify(event) }]);
    await producer.disconnect();

    const cliEnv = { ...env, KAFKA_TOPIC_PREFIX: topics.intelEvents.slice(0, topics.intelEvents.indexOf('intel.events.v1')) };
    const listed = await waitFor(
      async () => {
        const result = await runCli(['dlq', 'list', '--code', 'UNKNOWN_AREA', '--json'], cliEnv);
        const letters = result.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
          .filter((l: { key: string }) => l.key === lineId);
        return letters.length > 0 ? letters : undefined;
      },
      { what: 'the dead letter in dlq list', timeoutMs: 60_000, intervalMs: 1000 },
    );
    expect(listed[0]).toMatchObject({ code: 'UNKNOWN_AREA', value: JSON.stringify(event) });

    // The cause is fixed (Frome is added to the areas), then the letter is re-driven.
    const areas = JSON.parse(readFileSync(join(ROOT, 'config', 'areas.json'), 'utf8'));
    areas.areas.push({ code: 'frome', name: 'Frome', neighbourhoodTeam: 'frome-npt' });
    const areasFile = join(work, 'areas.json');
    writeFileSync(areasFile, JSON.stringify(areas));
    const tracker = services.find((s) => s.name === 'tracker');
    await tracker?.stop();
    services.push(await startService('tracker', { ...env, AREAS_FILE: areasFile }, BASE_PORT + 4));

    const retried = await runCli(['dlq', 'retry', listed[0].id], cliEnv);
    expect(retried.stdout).toContain('re-drove 1 dead letter');
    await waitFor(async () => (await storedCount([event.eventId as string])) === 1, {
      what: 'the re-driven event stored',
      timeoutMs: 60_000,
    });
  });

  it('replays the demo feed with the CLI and reports the right counts; a second replay is all duplicates', async () => {
    const file = join(work, 'demo.ndjson');
    const generated = await runCli(
      ['demo-feed', '--seed', '7', '--lines', '12', '--from', '2026-08-01', '--to', '2026-11-30', '--out', file],
      env,
    );
    expect(generated.code).toBe(0);
    const count = readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
    expect(count).toBeGreaterThan(50);

    const first = await runCli(['replay', file, '--url', ingest.url], env);
    expect(first.stdout).toContain(`replay: ${count} accepted, 0 duplicate, 0 rejected`);
    const second = await runCli(['replay', file, '--url', ingest.url], env);
    expect(second.stdout).toContain(`replay: 0 accepted, ${count} duplicate, 0 rejected`);
  });

  it('streams 100,000 events through one NDJSON upload with flat memory, and stores every one', async () => {
    const total = 100_000;
    const tracker = services.filter((s) => s.name === 'tracker').at(-1) as RunningService; // the one running now
    const storedByTracker = async () => {
      const text = await (await fetch(`${tracker.url}/metrics`)).text();
      return Number(/linewatch_tracker_events_total\{[^}]*outcome="stored"[^}]*\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    const storedBefore = await storedByTracker();
    const pid = ingest.process.pid as number;
    let early = 0;
    let bytesAfterEarly = 0;
    // A records system's export: a minute apart, oldest first, over ~70 days up to an hour ago.
    const first = Date.now() - 3_600_000 - total * 60_000;
    function* lines() {
      for (let i = 0; i < total; i += 1) {
        if (i === total / 10) early = rssBytes(pid);
        const occurredAt = new Date(first + i * 60_000).toISOString();
        const line = `${JSON.stringify(aSighting({ lineId: `BULK-${i % 500}`, occurredAt }))}\n`;
        if (i >= total / 10) bytesAfterEarly += line.length;
        yield line;
      }
    }
    // The service's peak resident memory over the rest of the upload (sampled, not waited on).
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 100);
    const stream = Readable.toWeb(Readable.from(lines(), { objectMode: false })) as ReadableStream;
    const started = Date.now();
    const { status, body } = await upload(stream, 'application/x-ndjson')
      .catch((error: unknown) => {
        // An answer cut off (ingest died: out of heap?) — fail with what the services said last.
        const said = services.flatMap((s) => [`${s.name} (exit ${s.process.exitCode} ${s.process.signalCode}):`, ...s.output.slice(-15)]);
        throw new Error(`upload failed: ${String(error)}\n${said.join('\n')}`);
      })
      .finally(() => clearInterval(sampler));
    const uploadedAfter = Date.now() - started;
    peak = Math.max(peak, rssBytes(pid));
    expect({
      status,
      log: status === 200 ? [] : services.flatMap((s) => s.output.filter((l) => !l.includes('"level":"info"')).slice(-5)),
    }).toEqual({ status: 200, log: [] });
    expect(body.summary).toEqual({ accepted: total, duplicate: 0, rejected: 0 });

    // Flat: held whole, the ~35 MB upload would be several times that in parsed objects and exhaust the
    // 96 MB heap (the request would fail). Streamed, the process grows by less than its heap budget after
    // the first 10%, whatever the garbage collector's timing (resident memory is a noisy measure:
    // +19 MB to +39 MB seen here for 30 MB sent after 10%).
    expect(early).toBeGreaterThan(0);
    expect(bytesAfterEarly).toBeGreaterThan(25 * 1024 * 1024);
    expect(peak - early).toBeLessThan(INGEST_HEAP_MB * 1024 * 1024);

    // Progress from the tracker's own counter (a count over the growing table every second would
    // compete with the tracker for the embedded database, which runs one statement at a time),
    // then one count in the database at the end.
    await waitFor(async () => (await storedByTracker()) - storedBefore >= total || undefined, {
      what: 'all 100,000 events stored (tracker metric)',
      timeoutMs: 240_000,
      intervalMs: 1000,
    });
    console.log(`100,000 events: uploaded in ${uploadedAfter} ms, stored by the tracker after ${Date.now() - started} ms`);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM intel_events WHERE line_ids && $1::text[]`, [
      Array.from({ length: 500 }, (_, i) => `BULK-${i}`),
    ]);
    expect(rows[0].n).toBe(total);
    // 300 s: 71 s in session 7 (94-109 s before line identity; 210-333 s in session 6 until the tracker's
    // replacement-suggestion check stopped querying once per line per slice — docs/benchmarks.md).
  }, 300_000);
});
