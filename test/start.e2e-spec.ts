/**
 * The README's first command, as a newcomer runs it: `npm start` with nothing
 * configured brings up its own broker and embedded TimescaleDB, a posted event
 * reaches the database, Ctrl-C leaves no process behind, and a second start
 * keeps the data. (Ports are moved off the defaults so a developer's own
 * stack can keep running.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { aSighting, runCli, testRedisConfig, waitFor } from '@linewatch/testing';

const ROOT = join(__dirname, '..');
const PORTS = {
  kafka: 29092,
  controller: 29093,
  db: 25433,
  api: 23000,
  ingest: 23001,
  alerter: 23002,
  tracker: 23003,
  smtp: 22525,
  webhook: 23999,
};

interface Stack {
  readonly child: ChildProcess;
  readonly output: string[];
  readonly closed: Promise<number | null>;
}

function npmStart(dataDir: string): Stack {
  // Only what a fresh shell has: no KAFKA_BROKERS, no DATABASE_URL.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LINEWATCH_DATA_DIR: dataDir,
    LOCAL_KAFKA_PORT: String(PORTS.kafka),
    LOCAL_KAFKA_CONTROLLER_PORT: String(PORTS.controller),
    EMBEDDED_DB_PORT: String(PORTS.db),
    API_PORT: String(PORTS.api),
    INGEST_PORT: String(PORTS.ingest),
    ALERTER_PORT: String(PORTS.alerter),
    TRACKER_PORT: String(PORTS.tracker),
    ALERT_SINK_SMTP_PORT: String(PORTS.smtp),
    ALERT_SINK_WEBHOOK_PORT: String(PORTS.webhook),
    REDIS_URL: testRedisConfig().url,
    LOG_LEVEL: 'warn',
  };
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'scripts', 'start.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n'));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, output, closed };
}

async function running(stack: Stack): Promise<void> {
  await waitFor(
    () => {
      if (stack.child.exitCode !== null) throw new Error(`npm start exited:\n${stack.output.slice(-30).join('\n')}`);
      return stack.output.some((line) => line.includes('LineWatch is running'));
    },
    { what: 'npm start to report the stack running', timeoutMs: 150_000, intervalMs: 250 },
  );
}

/** Processes whose command line mentions the folder: the broker and the services all do (or inherit it). */
function processesUsing(dataDir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (cmdline.includes(dataDir) || environ.includes(dataDir)) found.push(`${pid}: ${cmdline.slice(0, 120)}`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** `npm run cli -- token`, as the README tells a newcomer: signed with the key npm start made. */
async function cliToken(dataDir: string, role: string): Promise<string> {
  const result = await runCli(['token', '--role', role], { PATH: process.env.PATH, HOME: process.env.HOME, LINEWATCH_DATA_DIR: dataDir });
  if (result.code !== 0) throw new Error(`linewatch token exited ${result.code}: ${result.stderr}`);
  return result.stdout.trim();
}

async function countStored(eventId: string): Promise<number> {
  const client = new Client({ connectionString: `postgres://postgres@127.0.0.1:${PORTS.db}/postgres` });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT count(*)::int AS n FROM intel_events WHERE event_id = $1', [eventId]);
    return rows[0].n;
  } finally {
    await client.end();
  }
}

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'linewatch-start-'));
  let stack: Stack | null = null;

  afterAll(async () => {
    if (stack && stack.child.exitCode === null) {
      stack.child.kill('SIGINT');
      await stack.closed;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts everything with nothing configured, stores a posted event, stops cleanly and keeps the data', async () => {
    stack = npmStart(dataDir);
    await running(stack);
    const text = stack.output.join('\n');
    expect(text).toContain('starting the local Kafka broker');
    expect(text).toContain('starting the embedded TimescaleDB');
    expect(text).toContain(`POST http://127.0.0.1:${PORTS.ingest}/v1/events`);

    const event = aSighting({ area: 'midsomer-norton' });
    const token = await cliToken(dataDir, 'ingest');
    const response = await fetch(`http://127.0.0.1:${PORTS.ingest}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(event),
    });
    expect(response.status).toBe(202);
    await waitFor(async () => (await countStored(event.eventId as string)) === 1, { what: 'the event in the embedded TimescaleDB' });
    // The new line is tracked and its alert reaches the Somer Valley team's mailbox in the local alert sink.
    const lineId = (event as { lineId: string }).lineId;
    await waitFor(
      () => {
        const dir = join(dataDir, 'alert-sink');
        const mails = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('-mail.eml')) : [];
        return mails.some((f) => readFileSync(join(dir, f), 'utf8').includes(lineId)) || undefined;
      },
      { what: 'the alert mail in the local alert sink', timeoutMs: 60_000 },
    );
    const said = `alert sink: mail to somer-valley-npt.officers@example.invalid: MEDIUM: line ${lineId} first seen in Midsomer Norton`;
    await waitFor(() => stack?.output.some((line) => line.includes(said)) || undefined, {
      what: 'the sink naming the mail on the console',
    });

    // Ctrl-C in a terminal signals the whole foreground group; the orchestrator
    // forwards it, so signalling it alone is the stricter test.
    stack.child.kill('SIGINT');
    expect(await stack.closed).toBe(0);
    expect(stack.output.join('\n')).toContain('linewatch: stopped');
    expect(processesUsing(dataDir)).toEqual([]);

    stack = npmStart(dataDir);
    await running(stack);
    expect(await countStored(event.eventId as string)).toBe(1);
    stack.child.kill('SIGINT');
    expect(await stack.closed).toBe(0);
    expect(processesUsing(dataDir)).toEqual([]);
  });
});
