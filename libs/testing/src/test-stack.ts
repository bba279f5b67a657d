/**
 * The real services behind the int and e2e suites, started once per jest run
 * (both projects' global setups share it) and stopped at the end:
 * a Kafka broker from infra/kafka on test ports, the embedded TimescaleDB on a
 * free port, a fresh database on the PostgreSQL server (no TimescaleDB there),
 * and the machine's Redis. Topics and migrations are applied to both
 * databases.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { TOPIC_DECLARATIONS } from '@linewatch/contracts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '@linewatch/embedded-db';
import { startLocalKafka, stopLocalKafka, type LocalKafkaOptions } from '@linewatch/local-kafka';
import { applyTopics, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import { runMigrations } from '@linewatch/persistence';
import { TEST_ENV, testDatabaseConfig, testKafkaConfig } from './test-infrastructure';

interface Stack {
  users: number;
  stateDir: string;
  kafka: LocalKafkaOptions | null;
  embedded: EmbeddedDatabase;
  postgresAdminUrl: string;
  postgresDatabase: string;
  reportServer: Server;
}

const KEY = Symbol.for('linewatch.test-stack');
type GlobalWithStack = typeof globalThis & { [KEY]?: Stack };

/** The PostgreSQL server of the machine (override with LINEWATCH_TEST_PG_ADMIN_URL). */
const PG_ADMIN_URL = process.env.LINEWATCH_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function startTestStack(): Promise<void> {
  const global = globalThis as GlobalWithStack;
  if (global[KEY]) {
    global[KEY].users += 1;
    return;
  }
  const stateDir = mkdtempSync(join(tmpdir(), 'linewatch-test-'));
  const logger = createLogger('test-stack', 'warn');

  let kafka: LocalKafkaOptions | null = null;
  let brokers = process.env.LINEWATCH_TEST_KAFKA_BROKERS_EXTERNAL;
  if (!brokers) {
    // LINEWATCH_TEST_KAFKA_PORT lets two test runs on one machine use brokers of their own (controller on port + 1).
    const port = Number(process.env.LINEWATCH_TEST_KAFKA_PORT ?? 19092);
    kafka = { stateDir: join(stateDir, 'kafka'), port, controllerPort: port + 1, stdio: 'ignore' };
    brokers = await startLocalKafka(kafka);
  }
  // Its warnings and errors go to stderr: a stalled or failed session explains failures elsewhere.
  const embedded = await startEmbeddedDatabase({
    dataDir: 'memory://',
    port: 0,
    // LINEWATCH_TEST_DB_PROFILE=1: where the embedded database's time went, per statement, printed at the end of the run.
    profile: process.env.LINEWATCH_TEST_DB_PROFILE === '1',
    log: (level, message, fields) => {
      if (level === 'warn' || level === 'error') console.error(`embedded db ${level}: ${message} ${JSON.stringify(fields ?? {})}`);
    },
  });

  // The embedded database lives in this process: its session report is served here, for the
  // diagnostics a test prints when a wait times out (test-diagnostics.ts).
  const reportServer = createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(req.url?.startsWith('/statements') ? embedded.statements() : embedded.sessions()));
  });
  await new Promise<void>((resolve) => reportServer.listen(0, '127.0.0.1', () => resolve()));
  const reportAddress = reportServer.address();
  if (reportAddress && typeof reportAddress === 'object') {
    process.env[TEST_ENV.embeddedReportUrl] = `http://127.0.0.1:${reportAddress.port}/sessions`;
  }
  reportServer.unref();

  const postgresDatabase = `linewatch_test_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`PostgreSQL server not reachable at ${PG_ADMIN_URL}: ${(error as Error).message}. Start it (README, "Tests").`);
  }
  await admin.query(`CREATE DATABASE ${postgresDatabase}`);
  await admin.end();
  const postgresUrl = new URL(PG_ADMIN_URL);
  postgresUrl.pathname = `/${postgresDatabase}`;

  process.env[TEST_ENV.kafkaBrokers] = brokers;
  process.env[TEST_ENV.timescaleUrl] = embedded.url;
  process.env[TEST_ENV.postgresUrl] = postgresUrl.toString();
  process.env[TEST_ENV.redisUrl] = process.env.LINEWATCH_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

  await applyTopics(createKafka(testKafkaConfig('linewatch-test-setup'), logger), TOPIC_DECLARATIONS);
  await runMigrations(testDatabaseConfig('timescale'));
  await runMigrations(testDatabaseConfig('postgres'));

  global[KEY] = { users: 1, stateDir, kafka, embedded, postgresAdminUrl: PG_ADMIN_URL, postgresDatabase, reportServer };
}

export async function stopTestStack(): Promise<void> {
  const global = globalThis as GlobalWithStack;
  const stack = global[KEY];
  if (!stack) return;
  stack.users -= 1;
  if (stack.users > 0) return;
  delete global[KEY];
  stack.reportServer.close();
  if (process.env.LINEWATCH_TEST_DB_PROFILE === '1') {
    const rows = stack.embedded.statements().map((s) => `${String(s.totalMs).padStart(9)} ms ${String(s.calls).padStart(8)}× max ${String(s.maxMs).padStart(6)} ms  ${s.sql}`);
    console.log(`embedded database: time per statement (LINEWATCH_TEST_DB_PROFILE)\n${rows.join('\n')}`);
  }
  await stack.embedded.close();
  const admin = new Client({ connectionString: stack.postgresAdminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${stack.postgresDatabase} WITH (FORCE)`);
  await admin.end();
  if (stack.kafka) await stopLocalKafka(stack.kafka);
  rmSync(stack.stateDir, { recursive: true, force: true });
}
