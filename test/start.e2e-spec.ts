/**
 * The README's first command, as a newcomer runs it: `npm start` with nothing
 * configured brings up its own broker and embedded TimescaleDB, a posted event
 * reaches the database, Ctrl-C leaves no process behind, and a second start
 * keeps the data. The first start writes JSON lines (its stdout is a pipe); the
 * second runs on a terminal (a pseudo-terminal made by util-linux `script`):
 * a readable console, the JSON logs in data/logs/, and — no Redis answering on
 * its port — a redis-server of its own. (Ports are moved off the defaults so a
 * developer's own stack can keep running.)
 *
 * Then the `linewatch` command as the README tells it: `npx linewatch …` on a
 * built tree runs the build without compiling, compiles only a changed source,
 * and never rewrites the dashboard a running api serves.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { aSighting, runCli, testRedisConfig, waitFor } from '@linewatch/testing';
import { redisAnswers } from '../scripts/local-redis';

const ROOT = join(__dirname, '..');
// Off the test stack's own ports (LINEWATCH_TEST_KAFKA_PORT, default 19092) by 10,000, so that two
// runs of this suite with different test ports do not meet.
const BASE = Number(process.env.LINEWATCH_TEST_KAFKA_PORT ?? 19092) + 10_000;
const PORTS = {
  kafka: BASE,
  controller: BASE + 1,
  db: BASE + 2,
  api: BASE + 3,
  ingest: BASE + 4,
  alerter: BASE + 5,
  tracker: BASE + 6,
  smtp: BASE + 7,
  webhook: BASE + 8,
  /** Where the terminal start looks for a Redis, finds none and starts its own. */
  redis: BASE + 9,
};
const SERVICES = ['api', 'ingest', 'tracker', 'alerter'];
/** A start waits up to 150 s for the stack (a cold broker on a busy machine), a stop up to 20 s a service. */
const START_TEST_TIMEOUT_MS = 360_000;
const ANSI = /\u001b\[[0-9;]*m/g;

interface Stack {
  readonly child: ChildProcess;
  readonly output: string[];
  readonly closed: Promise<number | null>;
}

/** `npm start` with its stdout a pipe, or on a terminal: `script` gives it a pseudo-terminal (stdin is the keyboard). */
function npmStart(dataDir: string, options: { terminal?: boolean; env?: NodeJS.ProcessEnv } = {}): Stack {
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
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const start = join(ROOT, 'dist', 'scripts', 'start.js');
  const child = options.terminal
    ? spawn('script', ['--quiet', '--flush', '--return', '--command', `exec '${process.execPath}' '${start}'`, '/dev/null'], {
        env: { ...env, TERM: 'xterm' },
        stdio: ['pipe', 'pipe', 'pipe'],
      })
    : spawn(process.execPath, [start], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  // Whole lines: a chunk may end inside one.
  const collect = () => {
    let partial = '';
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).replace(/\r/g, '').split('\n');
      partial = lines.pop() ?? '';
      output.push(...lines);
    };
  };
  child.stdout?.on('data', collect());
  child.stderr?.on('data', collect());
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

/** `linewatch token` (node dist/scripts/cli.js, as scripts call it): signed with the key npm start made. */
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
  let startedEvent = '';

  // After each test, not only at the end: a test that failed with its stack running must not leave
  // it holding the ports the next one starts on (it did: EADDRINUSE, a second failure hiding nothing).
  afterEach(async () => {
    if (stack && stack.child.exitCode === null) {
      // Ctrl-C on the terminal (or a SIGINT on a pipe), then the stack's own orderly stop.
      if (stack.child.stdin) stack.child.stdin.write('\u0003');
      else stack.child.kill('SIGINT');
      await stack.closed;
    }
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it(
    'starts everything with nothing configured, stores a posted event and stops cleanly; JSON lines on a pipe',
    async () => {
      stack = npmStart(dataDir, { env: { REDIS_URL: testRedisConfig().url } });
      await running(stack);
      const text = stack.output.join('\n');
      expect(text).toContain('starting the local Kafka broker');
      expect(text).toContain('starting the embedded TimescaleDB');
      expect(text).toContain(`POST http://127.0.0.1:${PORTS.ingest}/v1/events`);
      // Not a terminal: the services' JSON lines pass through, as a log collector expects, and no log files are written.
      for (const service of SERVICES)
        expect(stack.output.some((line) => line.startsWith('{') && line.includes(`"service":"${service}"`))).toBe(true);
      expect(existsSync(join(dataDir, 'logs'))).toBe(false);

      // Chew Valley's team keeps no quiet hours in the shipped routing: Somer Valley's (23:00–06:00
      // London, high only) held this medium alert till morning, so the test failed when run at night.
      const event = aSighting({ area: 'chew-valley' });
      const token = await cliToken(dataDir, 'ingest');
      const response = await fetch(`http://127.0.0.1:${PORTS.ingest}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(event),
      });
      expect(response.status).toBe(202);
      await waitFor(async () => (await countStored(event.eventId as string)) === 1, { what: 'the event in the embedded TimescaleDB' });
      startedEvent = event.eventId as string;
      // The new line is tracked and its alert reaches the Chew Valley team's mailbox in the local alert sink.
      const lineId = (event as { lineId: string }).lineId;
      await waitFor(
        () => {
          const dir = join(dataDir, 'alert-sink');
          const mails = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('-mail.eml')) : [];
          return mails.some((f) => readFileSync(join(dir, f), 'utf8').includes(lineId)) || undefined;
        },
        { what: 'the alert mail in the local alert sink', timeoutMs: 60_000 },
      );
      const said = `alert sink: mail to chew-valley-npt.officers@example.invalid: MEDIUM: line ${lineId} first seen in Chew Valley`;
      await waitFor(() => stack?.output.some((line) => line.includes(said)) || undefined, {
        what: 'the sink naming the mail on the console',
      });

      // Ctrl-C in a terminal signals the whole foreground group; the orchestrator
      // forwards it, so signalling it alone is the stricter test.
      stack.child.kill('SIGINT');
      expect(await stack.closed).toBe(0);
      expect(stack.output.join('\n')).toContain('linewatch: stopped');
      expect(processesUsing(dataDir)).toEqual([]);
    },
    START_TEST_TIMEOUT_MS,
  );

  it(
    'on a terminal: a readable console, the JSON logs in data/logs/, and a redis-server of its own when none answers',
    async () => {
      expect(await redisAnswers(`redis://127.0.0.1:${PORTS.redis}`)).toBe(false);
      // REDIS_URL unset, as on a fresh machine.
      stack = npmStart(dataDir, { terminal: true, env: { LOCAL_REDIS_PORT: String(PORTS.redis) } });
      await running(stack);
      const screen = stack.output.map((line) => line.replace(ANSI, ''));
      expect(screen.join('\n')).toContain(`REDIS_URL unset and no Redis answers on 127.0.0.1:${PORTS.redis}: starting redis-server`);
      expect(await redisAnswers(`redis://127.0.0.1:${PORTS.redis}`)).toBe(true);
      expect(existsSync(join(dataDir, 'redis'))).toBe(true);
      // The data of the first start is still there.
      expect(await countStored(startedEvent)).toBe(1);

      // The console: the banner and a line per service ready, no JSON log line.
      for (const service of SERVICES) expect(screen).toContain(`linewatch: ${service} ready`);
      expect(screen).toContain(`  logs     ${join(dataDir, 'logs')}/<service>.log (JSON lines; the console shows warnings and errors)`);
      expect(screen.filter((line) => line.trimStart().startsWith('{'))).toEqual([]);
      // The full logs, by service, in the files.
      for (const service of SERVICES) {
        const lines = readFileSync(join(dataDir, 'logs', `${service}.log`), 'utf8')
          .trim()
          .split('\n');
        expect(lines.length).toBeGreaterThan(5);
        expect(lines.every((line) => (JSON.parse(line) as { service?: string }).service === service)).toBe(true);
      }

      // Ctrl-C, typed on the terminal.
      stack.child.stdin?.write('\u0003');
      expect(await stack.closed).toBe(0);
      expect(stack.output.join('\n')).toContain('linewatch: stopping the local redis-server');
      expect(stack.output.join('\n')).toContain('linewatch: stopped');
      for (const service of SERVICES) expect(stack.output.map((line) => line.replace(ANSI, ''))).toContain(`linewatch: ${service} stopped`);
      expect(processesUsing(dataDir)).toEqual([]);
      expect(await redisAnswers(`redis://127.0.0.1:${PORTS.redis}`)).toBe(false);
      expect(existsSync(join(dataDir, 'redis', 'dump.rdb'))).toBe(true);
    },
    START_TEST_TIMEOUT_MS,
  );
});

/** Modification times of every file under a folder. */
function mtimes(dir: string): Record<string, number> {
  const found: Record<string, number> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) found[join(entry.parentPath, entry.name)] = statSync(join(entry.parentPath, entry.name)).mtimeMs;
  }
  return found;
}

describe('npx linewatch', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'linewatch-cli-'));
  const dashboard = join(ROOT, 'dist', 'dashboard');
  const linewatch = (command: string, args: readonly string[]) => {
    const started = Date.now();
    const result = spawnSync(command, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LINEWATCH_DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    return { ...result, ms: Date.now() - started };
  };
  const subjectOf = (token: string) =>
    (JSON.parse(Buffer.from(token.trim().split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub: string }).sub;

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs the built command on a built tree, without compiling, and leaves the dashboard alone', () => {
    // Other work in this checkout may have changed a source since the build: compile that first.
    expect(linewatch('npx', ['linewatch', '--help']).status).toBe(0);
    const before = mtimes(dashboard);

    const result = linewatch('npx', ['linewatch', 'token', '--role', 'officer', '--area', 'bath']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // Made without --subject: named for its role and area, so each has its own rate-limit budget.
    expect(subjectOf(result.stdout)).toBe('dev-officer-bath');
    expect(mtimes(dashboard)).toEqual(before);
  });

  it('compiles only a changed source, TypeScript only, and then runs', () => {
    const before = mtimes(dashboard);
    const source = join(ROOT, 'scripts', 'repo-paths.ts');
    const output = join(ROOT, 'dist', 'scripts', 'repo-paths.js');
    const now = new Date();
    utimesSync(source, now, now); // edited (same text)

    const first = linewatch('npx', ['linewatch', 'token', '--role', 'ingest']);
    expect(first.stderr).toContain('compiling TypeScript');
    expect(first.status).toBe(0);
    expect(subjectOf(first.stdout)).toBe('dev-ingest');
    expect(statSync(output).mtimeMs).toBeGreaterThanOrEqual(statSync(source).mtimeMs);
    expect(mtimes(dashboard)).toEqual(before);

    // Built now: the next call compiles nothing.
    const second = linewatch('npx', ['linewatch', 'token', '--role', 'ingest']);
    expect(second.stderr).toBe('');
    expect(second.status).toBe(0);
  });

  it('keeps `node dist/scripts/cli.js …` working for scripts that call the build directly', () => {
    const result = linewatch(process.execPath, [
      join(ROOT, 'dist', 'scripts', 'cli.js'),
      'token',
      '--role',
      'ingest',
      '--subject',
      'repro',
    ]);
    expect(result.status).toBe(0);
    expect(subjectOf(result.stdout)).toBe('repro');
  });
});
