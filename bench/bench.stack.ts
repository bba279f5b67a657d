/**
 * The real stack for a benchmark run, on this machine: its own Kafka broker (from the Maven jars,
 * on ports of its own), a fresh database on the PostgreSQL server (benchmarks use a server
 * database; the embedded one serialises queries), Redis under a prefix of its own, topics and
 * migrations, and the services spawned from dist/ as in production. Nothing here is shared with
 * `npm start` or the tests.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import type { DatabaseConfig, KafkaConfig, ServiceName } from '@linewatch/config';
import { topicDeclarations, topicNames, type TopicNames } from '@linewatch/contracts';
import { startLocalKafka, stopLocalKafka, type LocalKafkaOptions } from '@linewatch/local-kafka';
import { KafkaPublisher, applyTopics, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import { runMigrations } from '@linewatch/persistence';
import { SERVICE_PORTS } from '@linewatch/config';
import { TEST_AUTH, bearer, waitFor, type RunningService } from '@linewatch/testing';

const PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const KAFKA_PORT = 39092;
export const logger = createLogger('bench', 'warn');

export interface BenchDatabase {
  readonly name: string;
  readonly url: string;
  readonly pool: Pool;
  drop(): Promise<void>;
}

export interface BenchStack {
  readonly brokers: string;
  readonly prefix: string;
  readonly topics: TopicNames;
  readonly kafka: KafkaConfig;
  readonly producer: KafkaPublisher;
  readonly db: BenchDatabase;
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  start(name: ServiceName, port: number, extra?: Record<string, string>): Promise<RunningService>;
  stop(): Promise<void>;
}

export async function createDatabase(label: string): Promise<BenchDatabase> {
  const name = `linewatch_bench_${label}_${Date.now()}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const config: DatabaseConfig = { url: url.toString(), embedded: false, ssl: false, poolMax: 4, statementTimeoutMs: 600_000 };
  await runMigrations(config);
  const pool = new Pool({ connectionString: config.url, max: 4 });
  return {
    name,
    url: config.url,
    pool,
    async drop() {
      await pool.end();
      const client = new Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Every team's alerts go by webhook to the benchmark's receiver. */
function routingFile(dir: string, hookPort: number): string {
  const areas = JSON.parse(readFileSync(join(ROOT, 'config', 'areas.json'), 'utf8')) as {
    areas: { neighbourhoodTeam: string }[];
  };
  const teams = [...new Set(areas.areas.map((a) => a.neighbourhoodTeam))].map((id) => ({
    id,
    name: id,
    levels: [
      {
        level: 1,
        name: 'officers',
        afterMinutes: 0,
        recipients: [{ id: 'officers', name: `Officers ${id}`, webhookUrl: `http://127.0.0.1:${hookPort}/hooks/${id}` }],
      },
    ],
  }));
  const file = join(dir, 'alert-routing.json');
  writeFileSync(file, JSON.stringify({ teams }));
  return file;
}

/** The checkout: this file runs from dist-bench/bench/. */
const ROOT = join(__dirname, '..', '..');

/** A service from the build (dist/apps), as in production; its output kept. */
function spawnBuilt(name: ServiceName, env: NodeJS.ProcessEnv, port: number): RunningService {
  // BENCH_NODE_ARGS: flags for node itself (e.g. --cpu-prof when profiling a run).
  const nodeArgs = (env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist', 'apps', name, 'src', 'main.js')], {
    env: { ...env, [SERVICE_PORTS[name].variable]: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (output.length > 2000) output.splice(0, output.length - 1000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    process: child,
    output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
      return true;
    },
  };
}

export async function startStack(label: string, hookPort: number): Promise<BenchStack> {
  const stateDir = mkdtempSync(join(tmpdir(), 'linewatch-bench-'));
  const kafkaOptions: LocalKafkaOptions = {
    stateDir: join(stateDir, 'kafka'),
    port: KAFKA_PORT,
    controllerPort: KAFKA_PORT + 1,
    stdio: 'ignore',
  };
  const brokers = await startLocalKafka(kafkaOptions);
  const prefix = `bench-${randomUUID().slice(0, 6)}.`;
  const kafka: KafkaConfig = {
    brokers: [brokers],
    clientId: 'linewatch-bench',
    topicPrefix: prefix,
    ssl: false,
    connectionTimeoutMs: 3000,
    requestTimeoutMs: 30000,
  };
  await applyTopics(createKafka(kafka, logger), topicDeclarations(prefix));
  const db = await createDatabase(label);
  const producer = new KafkaPublisher(createKafka(kafka, logger));
  const routing = routingFile(stateDir, hookPort);
  const services: RunningService[] = [];
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: prefix,
    DATABASE_URL: db.url,
    DATABASE_POOL_MAX: '8',
    REDIS_URL,
    LOG_LEVEL: 'warn',
    AUTH_JWT_SECRET: TEST_AUTH.mode === 'local-key' ? TEST_AUTH.secret : '',
    ALERT_WEBHOOK_SECRET: 'linewatch-bench-webhook-key-0123456789abcdef',
    ALERT_LINK_SECRET: 'linewatch-bench-link-key-0123456789abcdef',
    ALERT_ROUTING_FILE: routing,
    ALERT_WEBHOOK_ALLOWED_HOSTS: `127.0.0.1:${hookPort}`,
    EXPORT_SCHEDULE: 'off',
    RATE_LIMIT_PER_MINUTE: '1000000',
    ...extra,
  });
  return {
    brokers,
    prefix,
    topics: topicNames(prefix),
    kafka,
    producer,
    db,
    env,
    async start(name, port, extra = {}) {
      const service = spawnBuilt(name, env(extra), port);
      services.push(service);
      await waitFor(
        async () => {
          if (service.process.exitCode !== null) throw new Error(`${name} exited: ${service.output.slice(-8).join('\n')}`);
          return (await fetch(`${service.url}/health/ready`).catch(() => null))?.ok;
        },
        { what: `${name} ready`, timeoutMs: 120_000, intervalMs: 100 },
      );
      return service;
    },
    async stop() {
      await Promise.all(services.map((s) => s.stop()));
      await producer.disconnect();
      await db.drop();
      await stopLocalKafka(kafkaOptions);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** A development token the benchmark's services accept (the test signing key). */
export { bearer };
