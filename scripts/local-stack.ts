/**
 * The stack of `npm start` (scripts/start.ts runs it, on a terminal behind the console).
 *
 * Starts what is not configured (a local Kafka broker when KAFKA_BROKERS is
 * unset, the embedded TimescaleDB when DATABASE_URL is unset, a local
 * redis-server when REDIS_URL is unset and no Redis answers), applies topics
 * and migrations, starts the four services, prints where to look, and on
 * Ctrl-C stops the services, then the database, Redis and the broker —
 * leaving no java, redis or node process behind. Data stays under data/.
 * Everything it and the services log is JSON lines on stdout; its own
 * messages are text on stderr.
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ConfigError, loadAuthConfig, loadInfrastructureConfig, localServiceUrl, type ServiceName } from '@linewatch/config';
import { topicDeclarations, type Role } from '@linewatch/contracts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '@linewatch/embedded-db';
import { startLocalKafka, stopLocalKafka, type LocalKafkaOptions } from '@linewatch/local-kafka';
import { applyTopics, createKafka, redactUrl } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import { runMigrations } from '@linewatch/persistence';
import { issueDevelopmentToken } from '@linewatch/security';
import { startAlertSink, type AlertSink } from './alert-sink';
import { developmentSubject } from './commands/access-token';
import { demoFeed } from './commands/demo-feed.command';
import { writeDemoRouting } from './demo-routing';
import { withLocalAuditCheckpoints } from './audit-checkpoint-env';
import { developmentSecret } from './development-secret';
import { redisAnswers, startLocalRedis, stopLocalRedis, type LocalRedis } from './local-redis';
import { repoRoot } from './repo-paths';

const SERVICES: readonly ServiceName[] = ['tracker', 'alerter', 'ingest', 'api'];
const STOP_TIMEOUT_MS = 20_000;
/** Who the printed dashboard links sign in as, and for how long. */
const DASHBOARD_USERS: readonly { label: string; roles: readonly Role[]; areas: readonly string[] }[] = [
  { label: 'analyst', roles: ['analyst'], areas: [] },
  { label: 'officer (bath)', roles: ['officer'], areas: ['bath'] },
  { label: 'admin', roles: ['admin'], areas: [] },
];
const DASHBOARD_TOKEN_TTL_SECONDS = 8 * 3600;

const root = repoRoot();
const dataDir = process.env.LINEWATCH_DATA_DIR ?? join(root, 'data');
const say = (message: string) => console.error(`linewatch: ${message}`);
/** Marked so that the console highlights them (log-console.formatter.ts). */
const warn = (message: string) => say(`warning: ${message}`);
const fail = (message: string) => say(`error: ${message}`);

interface Running {
  kafka: LocalKafkaOptions | null;
  db: EmbeddedDatabase | null;
  redis: LocalRedis | null;
  sink: AlertSink | null;
  children: Map<ServiceName, ChildProcess>;
  stopping: boolean;
}

const running: Running = { kafka: null, db: null, redis: null, sink: null, children: new Map(), stopping: false };

/**
 * REDIS_URL set: that Redis must answer. Unset: the one on 127.0.0.1:LOCAL_REDIS_PORT (6379) if it
 * answers, else a local redis-server started on that port with its data in data/redis.
 */
async function provideRedis(env: NodeJS.ProcessEnv): Promise<string> {
  if (env.REDIS_URL) {
    if (await redisAnswers(env.REDIS_URL)) return env.REDIS_URL;
    throw new Error(`Redis is not reachable at ${redactUrl(env.REDIS_URL)}: start it, or unset REDIS_URL to have npm start run one`);
  }
  const port = Number(env.LOCAL_REDIS_PORT ?? 6379);
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new Error(`LOCAL_REDIS_PORT: expected a port number, not "${env.LOCAL_REDIS_PORT}"`);
  const url = `redis://127.0.0.1:${port}`;
  if (await redisAnswers(url)) return url;
  const dir = join(dataDir, 'redis');
  say(`REDIS_URL unset and no Redis answers on 127.0.0.1:${port}: starting redis-server (data in ${dir})`);
  running.redis = await startLocalRedis({ port, dataDir: dir, logFile: join(dataDir, 'logs', 'redis.log') });
  return running.redis.url;
}

async function waitReady(service: ServiceName, baseUrl: string, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    try {
      const response = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(3000) });
      if (response.ok) {
        say(`${service} ready`);
        return true;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  warn(`${service} is not ready after ${timeoutMs / 1000} s; see its log (it keeps trying)`);
  return false;
}

function spawnService(service: ServiceName, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [join(root, 'dist', 'apps', service, 'src', 'main.js')], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env,
  });
  child.on('exit', (code, signal) => {
    running.children.delete(service);
    if (!running.stopping) {
      fail(`${service} exited unexpectedly (${signal ?? `code ${code}`}): stopping the stack`);
      void shutdown(1);
    } else say(`${service} stopped`);
  });
  return child;
}

async function stopChild(service: ServiceName, child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    warn(`${service} did not stop within ${STOP_TIMEOUT_MS / 1000} s: killing it`);
    child.kill('SIGKILL');
  }, STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

async function shutdown(code: number): Promise<void> {
  if (running.stopping) return;
  running.stopping = true;
  say('stopping services…');
  await Promise.all([...running.children].map(([service, child]) => stopChild(service, child)));
  await running.sink?.close().catch(() => undefined);
  if (running.db) {
    say('closing the embedded TimescaleDB…');
    await running.db.close().catch((error: unknown) => fail(`embedded database close failed: ${String(error)}`));
  }
  if (running.redis) {
    say('stopping the local redis-server…');
    await stopLocalRedis(running.redis).catch((error: unknown) => fail(`redis-server stop failed: ${String(error)}`));
  }
  if (running.kafka) {
    say('stopping the local Kafka broker…');
    await stopLocalKafka(running.kafka).catch((error: unknown) => fail(String(error)));
  }
  say('stopped');
  process.exit(code);
}

/**
 * Dashboard links that sign in at once (`/#token=…`), with development tokens signed by the same
 * key as `linewatch token` (the environment's AUTH_JWT_SECRET, here the key in data/auth/).
 * With an identity provider (AUTH_JWKS_URL) there is no local key: sign in with its tokens.
 */
async function dashboardLinks(env: NodeJS.ProcessEnv, baseUrl: string): Promise<string[]> {
  const auth = loadAuthConfig(env);
  if (auth.mode !== 'local-key') return [`  dashboard ${baseUrl}/   (sign in with a token from your identity provider)`];
  const now = new Date();
  const links = await Promise.all(
    DASHBOARD_USERS.map(async (user) => {
      const subject = developmentSubject(user.roles, user.areas);
      const token = await issueDevelopmentToken(auth, { ...user, subject, ttlSeconds: DASHBOARD_TOKEN_TTL_SECONDS, now });
      return `    ${user.label.padEnd(15)} ${baseUrl}/#token=${token}`;
    }),
  );
  return [
    `  dashboard ${baseUrl}/   open one of these links (development tokens, valid ${DASHBOARD_TOKEN_TTL_SECONDS / 3600} h; never use them beyond this machine):`,
    ...links,
  ];
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  // The terminal closed: stop everything as for Ctrl-C (left to the default, the broker and Redis would outlive us),
  // and let writes to the gone terminal fail quietly meanwhile.
  process.on('SIGHUP', () => void shutdown(0));
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

  const env: NodeJS.ProcessEnv = { ...process.env };
  const logger = createLogger('start', 'warn');
  if (!env.AUTH_JWT_SECRET && !env.AUTH_JWKS_URL) {
    env.AUTH_JWT_SECRET = developmentSecret(dataDir);
    say(`AUTH_JWT_SECRET unset: signing tokens with the development key in ${join(dataDir, 'auth')}`);
  }
  // The alerter signs webhooks and acknowledgement links; locally with development keys kept beside the token key.
  env.ALERT_WEBHOOK_SECRET ??= developmentSecret(dataDir, 'webhook-secret');
  env.ALERT_LINK_SECRET ??= developmentSecret(dataDir, 'link-secret');
  // The s.62 log's checkpoints: signed with a key the database never holds, kept under the data folder.
  if (!env.AUDIT_CHECKPOINT_KEY && !env.AUDIT_CHECKPOINT_KEY_FILE)
    say(`AUDIT_CHECKPOINT_KEY unset: signing the s.62 log's checkpoints with the development key in ${join(dataDir, 'auth')}`);
  Object.assign(env, withLocalAuditCheckpoints(env, dataDir));
  // Parse once up front, so that a bad environment fails before anything starts.
  loadInfrastructureConfig(env, 'linewatch-start');

  if (!env.KAFKA_BROKERS) {
    running.kafka = {
      stateDir: join(dataDir, 'kafka'),
      port: Number(env.LOCAL_KAFKA_PORT ?? 9092),
      controllerPort: Number(env.LOCAL_KAFKA_CONTROLLER_PORT ?? 9093),
    };
    say('KAFKA_BROKERS unset: starting the local Kafka broker (infra/kafka)');
    env.KAFKA_BROKERS = await startLocalKafka(running.kafka);
  }
  const config = loadInfrastructureConfig(env, 'linewatch-start');
  if (config.database.embedded) {
    const dbDir = join(dataDir, 'timescaledb');
    say(`DATABASE_URL unset: starting the embedded TimescaleDB (data in ${dbDir})`);
    running.db = await startEmbeddedDatabase({
      dataDir: dbDir,
      port: Number(new URL(config.database.url).port),
      log: (level, message, fields) => logger[level]({ ...fields }, message),
    });
  }
  env.REDIS_URL = await provideRedis(env);
  if (!env.SMTP_URL && env.ALERT_SINK !== 'off') {
    // Officers' mailboxes and webhook receivers, locally: the shipped routing points at these.
    running.sink = await startAlertSink({
      dir: join(dataDir, 'alert-sink'),
      smtpPort: Number(env.ALERT_SINK_SMTP_PORT ?? 2525),
      webhookPort: Number(env.ALERT_SINK_WEBHOOK_PORT ?? 3999),
      webhookSecret: env.ALERT_WEBHOOK_SECRET ?? '',
      say,
    });
    env.SMTP_URL = running.sink.smtpUrl;
    say(
      `SMTP_URL unset: alerts go to the local alert sink (mail ${running.sink.smtpUrl}, webhooks :${env.ALERT_SINK_WEBHOOK_PORT ?? 3999}; kept in ${join(dataDir, 'alert-sink')})`,
    );
  }

  const topics = await applyTopics(createKafka(config.kafka, logger), topicDeclarations(config.kafka.topicPrefix));
  say(`topics ready (${topics.created.length} created, ${topics.unchanged.length + topics.grown.length} existing)`);
  const migrations = await runMigrations(config.database);
  say(`database ready (${migrations.timescale ? 'TimescaleDB' : 'plain PostgreSQL'}; ${migrations.applied.length} migration(s) applied)`);

  if (env.LINEWATCH_DEMO === 'on' && !env.ALERT_ROUTING_FILE) {
    env.ALERT_ROUTING_FILE = writeDemoRouting(dataDir, new Date(), DEMO_DIGEST_AFTER_MIN);
    say(`LINEWATCH_DEMO=on: each team's digest also goes out at ${DEMO_DIGEST_AFTER_MIN} minutes from now (see the local alert sink)`);
  }
  for (const service of SERVICES) running.children.set(service, spawnService(service, env));
  const url = (service: ServiceName) => localServiceUrl(service, env);
  const ready = await Promise.all(
    SERVICES.map((service) => {
      const child = running.children.get(service);
      return child ? waitReady(service, url(service), child, 90_000) : Promise.resolve(false);
    }),
  );
  if (running.stopping) return;
  const dashboard = await dashboardLinks(env, url('api')).catch((error: unknown) => [
    `  dashboard ${url('api')}/   (no sign-in links: ${error instanceof Error ? error.message : String(error)})`,
  ]);
  console.error(
    [
      '',
      `LineWatch is ${ready.every(Boolean) ? 'running' : 'starting (some services not ready yet)'}:`,
      `  api      ${url('api')}   OpenAPI ${url('api')}/docs`,
      ...dashboard,
      `  ingest   ${url('ingest')}   POST ${url('ingest')}/v1/events`,
      `  alerter  ${url('alerter')}`,
      `  tracker  ${url('tracker')}`,
      `  each     /health/live, /health/ready, /metrics`,
      `  tokens   npx linewatch token --role ingest   (every other route needs one)`,
      `  Kafka    ${config.kafka.brokers.join(',')}${running.kafka ? ` (local broker, data in ${running.kafka.stateDir})` : ''}`,
      `  database ${redactUrl(config.database.url)}${running.db ? ' (embedded TimescaleDB)' : ''}`,
      `  Redis    ${redactUrl(env.REDIS_URL)}${running.redis ? ` (local redis-server, data in ${join(dataDir, 'redis')})` : ''}`,
      ...(env.LINEWATCH_LOG_FILES
        ? [`  logs     ${env.LINEWATCH_LOG_FILES}/<service>.log (JSON lines; the console shows warnings and errors)`]
        : []),
      '',
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  if (env.LINEWATCH_DEMO === 'on' && ready.every(Boolean)) {
    // A living system for a newcomer: six months of the fictional demo feed (posting it again only adds
    // duplicates). All but its last DEMO_LIVE_DAYS go as a history import: officers' inboxes hold only
    // what changed recently; the rest is recorded and listed in the teams' digests (issue 18).
    const today = new Date();
    const from = new Date(today.getTime() - 180 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    say(`LINEWATCH_DEMO=on: posting the demo feed (40 fictional lines since ${from}; older than ${DEMO_LIVE_DAYS} days as history)`);
    await demoFeed({ seed: 1, lines: 40, from, post: true, url: url('ingest'), kafka: config.kafka, historyDays: DEMO_LIVE_DAYS }).catch(
      (error: unknown) => warn(`demo feed not posted: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
}

/** In the demo, every team's digest also goes out this many minutes after start (after the feed is posted). */
const DEMO_DIGEST_AFTER_MIN = 8;

/** The demo feed's last days posted as live reports (they alert); everything before, as history. */
const DEMO_LIVE_DAYS = 3;

/** Runs the stack until Ctrl-C (SIGINT/SIGTERM), then exits. */
export function runLocalStack(): void {
  main().catch(async (error: unknown) => {
    fail(error instanceof ConfigError || error instanceof Error ? error.message : String(error));
    await shutdown(error instanceof ConfigError ? 78 : 1);
  });
}
