/**
 * What the stack was doing when a test's wait ran out, so that a failure names its stage: each
 * service's last log lines and whether it still runs, each database's sessions (PostgreSQL's
 * `pg_stat_activity`; the embedded database's own session report, read over the diagnostic
 * endpoint the test stack serves, since a stalled embedded database would not answer SQL), and
 * the services' consumer groups (state and lag). Services register themselves when spawned
 * (service-process.ts); `waitFor` appends the report to its timeout error; a test failing on any
 * other timeout (Playwright's `locator.waitFor`, an abort) gets it from timeout-diagnostics.setup.ts.
 *
 * Bounded: 30 lines a service (Nest's boot chatter left out), each cut at 400 characters, 25 sessions a database, 10 groups,
 * and every source given 3 s at most (a stuck broker or database is reported, not waited for).
 */
import { Client } from 'pg';
import { createKafka, readConsumerLag, type GroupLag } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import { TEST_ENV, testKafkaConfig } from './test-infrastructure';

/** A running service as the diagnostics read it (RunningService, without importing it: no cycle). */
export interface WatchedService {
  readonly name: string;
  readonly url: string;
  readonly process: { readonly pid?: number; readonly exitCode: number | null; readonly signalCode: NodeJS.Signals | null };
  readonly output: readonly string[];
}

interface Watched {
  readonly service: WatchedService;
  readonly databaseUrl: string | undefined;
  readonly groupIds: readonly string[];
}

export interface DatabaseSession {
  readonly who: string;
  readonly state: string;
  readonly forMs: number | null;
  readonly detail: string;
}

export interface DiagnosticsReport {
  readonly services: readonly { name: string; url: string; status: string; lines: readonly string[] }[];
  readonly databases: readonly { label: string; sessions: readonly DatabaseSession[]; error?: string }[];
  readonly groups: readonly GroupLag[];
  readonly groupsError?: string;
}

const LINES_PER_SERVICE = 30;
/** Nest's boot chatter (modules loaded, routes mapped): it would fill a service's lines with nothing. */
const BOOT_NOISE = /"context":"(RouterExplorer|RoutesResolver|InstanceLoader)"/;
const LINE_WIDTH = 400;
const SESSIONS_PER_DATABASE = 25;
const MAX_GROUPS = 10;
const MAX_WATCHED = 12;
const SOURCE_TIMEOUT_MS = 3_000;
/** Marks an error that already carries the report (the test environment adds none then). */
export const DIAGNOSTICS_HEADER = '--- what the stack was doing (libs/testing diagnostics) ---';

const watched = new Map<WatchedService, Watched>();

/** The group each consuming service reads as, from its environment (the apps' defaults otherwise). */
function groupIdsOf(name: string, env: NodeJS.ProcessEnv): string[] {
  const explicit = Object.entries(env)
    .filter(([key, value]) => key.endsWith('_GROUP_ID') && value)
    .map(([, value]) => value as string);
  if (explicit.length > 0) return explicit;
  // tracker.config.ts and alerter.config.ts default their group to linewatch-<service>.
  return name === 'tracker' || name === 'alerter' ? [`linewatch-${name}`] : [];
}

export const diagnostics = {
  /** Include this service in reports until it is stopped (spawnService calls it). */
  watch(service: WatchedService, env: NodeJS.ProcessEnv = {}): void {
    watched.set(service, { service, databaseUrl: env.DATABASE_URL, groupIds: groupIdsOf(service.name, env) });
    // A harness that kills services (faults) never stops them: keep the newest, exited ones leaving first.
    while (watched.size > MAX_WATCHED) {
      const entries = [...watched.keys()];
      watched.delete(entries.find((s) => s.process.exitCode !== null || s.process.signalCode !== null) ?? entries[0]);
    }
  },
  unwatch(service: WatchedService): void {
    watched.delete(service);
  },
  /** Everything the registered services point at, each source bounded in time. */
  async collect(): Promise<DiagnosticsReport> {
    const all = [...watched.values()];
    const services = all.map(({ service }) => ({
      name: service.name,
      url: service.url,
      status: statusOf(service),
      lines: service.output.filter((line) => !BOOT_NOISE.test(line)).slice(-LINES_PER_SERVICE).map((line) => line.replace(`"service":"${service.name}",`, '')),
    }));
    const urls = [...new Set(all.map((w) => w.databaseUrl).filter((url): url is string => Boolean(url)))];
    const groupIds = [...new Set(all.flatMap((w) => w.groupIds))].slice(0, MAX_GROUPS);
    const [databases, groups] = await Promise.all([
      Promise.all(urls.map((url) => databaseSessions(url))),
      bounded(groupLag(groupIds), 'consumer groups').then(
        (value) => ({ value, error: undefined }),
        (error: unknown) => ({ value: [] as GroupLag[], error: messageOf(error) }),
      ),
    ]);
    return { services, databases, groups: groups.value, groupsError: groups.error };
  },
  /** The report as text, for an error message or stderr. */
  async describe(): Promise<string> {
    if (watched.size === 0) return '';
    return formatDiagnostics(await diagnostics.collect());
  },
};

function statusOf(service: WatchedService): string {
  const { pid, exitCode, signalCode } = service.process;
  if (exitCode !== null) return `exited with status ${exitCode}`;
  if (signalCode !== null) return `killed by ${signalCode}`;
  return `running (pid ${pid ?? '?'})`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${SOURCE_TIMEOUT_MS} ms`)), SOURCE_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function databaseSessions(url: string): Promise<DiagnosticsReport['databases'][number]> {
  const embedded = url === process.env[TEST_ENV.timescaleUrl];
  const label = embedded ? 'embedded TimescaleDB (its session report)' : `PostgreSQL ${new URL(url).pathname.slice(1)} (pg_stat_activity)`;
  try {
    const sessions = await bounded(embedded ? embeddedSessions() : serverSessions(url), label);
    return { label, sessions: sessions.slice(0, SESSIONS_PER_DATABASE) };
  } catch (error) {
    return { label, sessions: [], error: messageOf(error) };
  }
}

/** The embedded database's report, from the endpoint the test stack serves (test-stack.ts). */
async function embeddedSessions(): Promise<DatabaseSession[]> {
  const endpoint = process.env[TEST_ENV.embeddedReportUrl];
  if (!endpoint) throw new Error('no session report endpoint (not started by the test stack)');
  const response = await fetch(endpoint, { signal: AbortSignal.timeout(SOURCE_TIMEOUT_MS) });
  const sessions = (await response.json()) as {
    client: string;
    state: string;
    forMs: number | null;
    lastInputMs: number | null;
    bytesIn: number;
    bytesOut: number;
    acquisitions: number;
  }[];
  return sessions.map((s) => ({
    who: s.client,
    state: s.state,
    forMs: s.forMs,
    detail: `last input ${s.lastInputMs === null ? 'never' : `${s.lastInputMs} ms ago`}, ${s.bytesIn} B in, ${s.bytesOut} B out, took the backend ${s.acquisitions}×`,
  }));
}

/** pg_stat_activity of the service's database: statements only, never their parameters (they are not in it). */
async function serverSessions(url: string): Promise<DatabaseSession[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: SOURCE_TIMEOUT_MS, query_timeout: SOURCE_TIMEOUT_MS });
  await client.connect();
  try {
    const { rows } = await client.query<{
      pid: number;
      application_name: string;
      client_port: number | null;
      state: string | null;
      for_ms: number | null;
      wait: string | null;
      query: string | null;
      xact_ms: number | null;
    }>(
      `SELECT pid, application_name, client_port, state,
              (extract(epoch FROM now() - state_change) * 1000)::int AS for_ms,
              (extract(epoch FROM now() - xact_start) * 1000)::int AS xact_ms,
              concat_ws(':', wait_event_type, wait_event) AS wait,
              left(regexp_replace(query, '\\s+', ' ', 'g'), 100) AS query
         FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
        ORDER BY xact_start NULLS LAST, state_change`,
    );
    return rows.map((r) => ({
      who: `pid ${r.pid}${r.client_port ? ` port ${r.client_port}` : ''}${r.application_name ? ` ${r.application_name}` : ''}`,
      state: r.state ?? '?',
      forMs: r.for_ms,
      detail: [r.xact_ms !== null ? `in transaction ${r.xact_ms} ms` : '', r.wait ? `waiting on ${r.wait}` : '', r.query ? `last: ${r.query}` : '']
        .filter(Boolean)
        .join(', '),
    }));
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function groupLag(groupIds: readonly string[]): Promise<GroupLag[]> {
  if (groupIds.length === 0 || !process.env[TEST_ENV.kafkaBrokers]) return [];
  const config = { ...testKafkaConfig('linewatch-test-diagnostics'), connectionTimeoutMs: 2_000, requestTimeoutMs: SOURCE_TIMEOUT_MS };
  return readConsumerLag(createKafka(config, createLogger('test-diagnostics', 'silent')), groupIds);
}

const cut = (line: string) => (line.length > LINE_WIDTH ? `${line.slice(0, LINE_WIDTH)}…` : line);
const ms = (value: number | null) => (value === null ? '' : ` for ${value} ms`);

/** The report as text: one block per service, database and the consumer groups. */
export function formatDiagnostics(report: DiagnosticsReport): string {
  const out: string[] = [DIAGNOSTICS_HEADER];
  for (const service of report.services) {
    out.push(`service ${service.name} at ${service.url}: ${service.status}; last ${service.lines.length} log line(s):`);
    out.push(...service.lines.map((line) => `  | ${cut(line)}`));
  }
  for (const database of report.databases) {
    out.push(`database: ${database.label}: ${database.error ? `unavailable: ${database.error}` : `${database.sessions.length} session(s)`}`);
    out.push(...database.sessions.map((s) => cut(`  ${s.who}: ${s.state}${ms(s.forMs)}${s.detail ? `; ${s.detail}` : ''}`)));
  }
  if (report.groupsError) out.push(`consumer groups: unavailable: ${report.groupsError}`);
  for (const group of report.groups) {
    out.push(`consumer group ${group.groupId}: ${group.state}, ${group.members} member(s), lag ${group.lag}`);
    out.push(...group.behind.slice(0, 10).map((p) => `  ${p.topic}[${p.partition}] committed ${p.committed} of ${p.end}`));
  }
  return out.join('\n');
}
