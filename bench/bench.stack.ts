/**
 * The real stack for a benchmark run, on this machine: its own Kafka broker (from the Maven jars,
 * on ports of its own), a fresh database on the PostgreSQL server (benchmarks use a server
 * database; the embedded one serialises queries), Redis under a prefix of its own, topics and
 * migrations, and the services spawned from dist/ as in production. Nothing here is shared with
 * `npm start` or the tests.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import type { DatabaseConfig, KafkaConfig, ServiceName } from '@linewatch/config';
import { topicDeclarations, topicNames, type TopicNames } from '@linewatch/contracts';
import { startLocalKafka, stopLocalKafka, type LocalKafkaOptions } from '@linewatch/local-kafka';
import { KafkaPublisher, applyTopics, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import { runMigrations } from '@linewatch/persistence';
import { bearer, spawnService, stackServiceEnv, waitFor, writeWebhookRouting, type RunningService } from '@linewatch/testing';

const PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * The benchmark's broker (a cluster: node N on KAFKA_PORT + 2(N-1)); BENCH_KAFKA_PORT moves it (two
 * runs side by side). Below Linux's ephemeral range (32768–60999): 39092 was once taken, as the
 * local end of some other connection, just as a CI run's benchmark started its broker.
 */
const KAFKA_PORT = Number(process.env.BENCH_KAFKA_PORT ?? 27192);
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

/**
 * A fresh database, migrated; or, with `existing`, a database an earlier run kept (migrated again,
 * which is a no-op when nothing is new) — `drop()` then leaves it in place.
 */
export async function createDatabase(label: string, existing?: string): Promise<BenchDatabase> {
  const name = existing ?? `linewatch_bench_${label}_${Date.now()}`;
  if (!existing) {
    const admin = new Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
  }
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
      if (existing) return;
      const client = new Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** `kafkaNodes` 3: a local cluster of three brokers (topics: three copies, two in sync) instead of the one broker. */
export async function startStack(label: string, hookPort: number, kafkaNodes: 1 | 3 = 1): Promise<BenchStack> {
  const stateDir = mkdtempSync(join(tmpdir(), 'linewatch-bench-'));
  const kafkaOptions: LocalKafkaOptions = {
    stateDir: join(stateDir, 'kafka'),
    port: KAFKA_PORT,
    controllerPort: KAFKA_PORT + 1,
    nodes: kafkaNodes,
    stdio: 'ignore',
  };
  const brokers = await startLocalKafka(kafkaOptions);
  const prefix = `bench-${randomUUID().slice(0, 6)}.`;
  const kafka: KafkaConfig = {
    brokers: brokers.split(','),
    clientId: 'linewatch-bench',
    topicPrefix: prefix,
    ssl: false,
    connectionTimeoutMs: 3000,
    requestTimeoutMs: 30000,
  };
  await applyTopics(createKafka(kafka, logger), topicDeclarations(prefix));
  const db = await createDatabase(label);
  const producer = new KafkaPublisher(createKafka(kafka, logger));
  const routing = writeWebhookRouting(stateDir, (team) => `http://127.0.0.1:${hookPort}/hooks/${team}`);
  const services: RunningService[] = [];
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    ...stackServiceEnv({
      brokers,
      prefix,
      databaseUrl: db.url,
      poolMax: 8,
      redisUrl: REDIS_URL,
      routingFile: routing,
      hookPort,
      label: 'bench',
      rateLimitPerMinute: 1_000_000,
    }),
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
      // BENCH_NODE_ARGS: flags for node itself (e.g. --cpu-prof when profiling a run).
      const merged = env(extra);
      const service = spawnService(name, merged, port, { nodeArgs: (merged.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean) });
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
