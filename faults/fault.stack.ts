/**
 * The stack the fault scenarios break: a Kafka broker (from the Maven jars), a PostgreSQL server
 * and a Redis server of its own — private processes on ports of their own, so that killing,
 * pausing or stopping them touches nothing else on the machine (not the test suites' services,
 * not `npm start`) — and the services spawned from dist/ as in production. Each scenario gets its
 * own topics (a prefix), database and Redis namespace, so scenarios never see each other's data.
 *
 * Owns: the processes it starts and their state folders. Must not touch: the machine's own
 * PostgreSQL and Redis, or any other broker.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import type { KafkaConfig, ServiceName } from '@linewatch/config';
import { topicDeclarations, topicNames, type TopicNames } from '@linewatch/contracts';
import {
  kafkaNodeAddress,
  kafkaNodeIds,
  kafkaNodePid,
  killKafkaNode,
  quorumLeader,
  startKafkaNode,
  startLocalKafka,
  stopLocalKafka,
  type LocalKafkaOptions,
} from '@linewatch/local-kafka';
import { applyTopics, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import { runMigrations } from '@linewatch/persistence';
import { spawnService, stackServiceEnv, waitFor, writeWebhookRouting, type RunningService } from '@linewatch/testing';

export const logger = createLogger('faults', 'warn');

export interface FaultPorts {
  /** Kafka's client port; the controller listens on the next one (a cluster: node N on kafka + 2(N-1) and the next). */
  readonly kafka: number;
  readonly postgres: number;
  readonly redis: number;
  /** Services: ingest, tracker, alerter, a second tracker, then the webhook receiver. */
  readonly services: number;
}

/** Debian's server binaries (the newest installed major version). */
const PG_BIN = (() => {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(a) - Number(b)) : [];
  return versions.length === 0 ? null : join(base, versions[versions.length - 1], 'bin');
})();

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user. */
function asPostgres(command: string, args: readonly string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, [...args]];
}

/** A run stopped without its clean-up (a killed test runner) leaves its servers on their ports: say so, not "could not start". */
async function assertPortFree(port: number, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `port ${port} (${what} of the fault stack) is in use: a leftover of an interrupted run? (ss -ltnp | grep ${port})`
            : `port ${port} (${what}): ${error.message}`,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

function runOrThrow(command: string, args: readonly string[], what: string): void {
  const [cmd, argv] = asPostgres(command, args);
  const result = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${what} failed (${result.status}): ${result.stderr || result.stdout}`);
}

/** A PostgreSQL server in a folder of its own (initdb once; stop and start at will). */
export class PrivatePostgres {
  private readonly dataDir: string;

  constructor(
    private readonly dir: string,
    readonly port: number,
  ) {
    this.dataDir = join(dir, 'pgdata');
  }

  get adminUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async init(): Promise<void> {
    if (PG_BIN === null) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql');
    mkdirSync(this.dataDir, { recursive: true });
    if (process.getuid?.() === 0) {
      spawnSync('chown', ['-R', 'postgres:postgres', this.dir]);
      chmodSync(this.dir, 0o755);
    }
    runOrThrow(join(PG_BIN, 'initdb'), ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], 'initdb');
    await this.start();
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    runOrThrow(
      join(PG_BIN as string, 'pg_ctl'),
      ['-D', this.dataDir, '-o', options, '-l', join(this.dir, 'postgres.log'), '-w', 'start'],
      'pg_ctl start',
    );
    await waitFor(
      async () => {
        const client = new Client({ connectionString: this.adminUrl });
        await client.connect();
        await client.end();
        return true;
      },
      { what: 'the private PostgreSQL accepting connections', timeoutMs: 30_000 },
    );
  }

  /** `fast`: what an operator's restart does (connections cut, no crash recovery needed). */
  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    runOrThrow(join(PG_BIN as string, 'pg_ctl'), ['-D', this.dataDir, '-m', mode, '-w', 'stop'], 'pg_ctl stop');
  }

  pid(): number | null {
    const file = join(this.dataDir, 'postmaster.pid');
    return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : null;
  }

  async createDatabase(name: string): Promise<string> {
    const admin = new Client({ connectionString: this.adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return `postgres://postgres@127.0.0.1:${this.port}/${name}`;
  }

  async destroy(): Promise<void> {
    try {
      this.stop('immediate');
    } catch {
      // already stopped
    }
  }
}

/** A Redis server with no persistence: started again, it is empty. */
export class PrivateRedis {
  private child: ChildProcess | null = null;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(this.port), '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await waitFor(() => spawnSync('redis-cli', ['-p', String(this.port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG', {
      what: 'the private Redis answering PING',
      timeoutMs: 15_000,
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  pid(): number | null {
    return this.child?.pid ?? null;
  }
}

/**
 * The Kafka broker, or a cluster of three (one combined KRaft quorum: each node a broker and a
 * controller); a node's data survives a kill (its log on disk), as on a real machine.
 */
export class PrivateKafka {
  readonly options: LocalKafkaOptions;

  constructor(dir: string, port: number, nodes: 1 | 3 = 1) {
    this.options = { stateDir: join(dir, 'kafka'), port, controllerPort: port + 1, nodes, stdio: 'ignore' };
  }

  get nodes(): number[] {
    return kafkaNodeIds(this.options);
  }

  /** The bootstrap list: every node's client address. */
  get brokers(): string {
    return this.nodes.map((node) => kafkaNodeAddress(this.options, node)).join(',');
  }

  /** Every node (those already running are left alone). */
  start(): Promise<string> {
    return startLocalKafka(this.options);
  }

  pid(node = 1): number | null {
    return kafkaNodePid(this.options, node);
  }

  /** Nodes running now. */
  running(): number[] {
    return this.nodes.filter((node) => this.pid(node) !== null);
  }

  /** SIGKILL: the single broker, or one node of the cluster. */
  async kill9(node = 1): Promise<void> {
    await killKafkaNode(this.options, node);
  }

  startNode(node: number): Promise<void> {
    return startKafkaNode(this.options, node);
  }

  /** The active controller (the KRaft quorum's leader) and its epoch. */
  quorumLeader(): { readonly leader: number; readonly epoch: number } | null {
    return quorumLeader(this.options);
  }

  pause(): void {
    const pid = this.pid();
    if (pid !== null) process.kill(pid, 'SIGSTOP');
  }

  resume(): void {
    const pid = this.pid();
    if (pid !== null) process.kill(pid, 'SIGCONT');
  }

  stop(): Promise<void> {
    return stopLocalKafka(this.options);
  }
}

/** One scenario's world on the shared processes: its topics, database and Redis namespace, and its services. */
export interface ScenarioWorld {
  readonly label: string;
  readonly prefix: string;
  readonly topics: TopicNames;
  readonly kafka: KafkaConfig;
  readonly databaseUrl: string;
  readonly pool: Pool;
  readonly trackerGroup: string;
  readonly hookPort: number;
  readonly services: Map<string, RunningService>;
  /** Starts (or starts again) a service under a name of its own ("tracker", "tracker-2"…), waiting until ready. */
  start(key: string, name: ServiceName, extra?: Record<string, string>): Promise<RunningService>;
  /** Services never restarted by the harness: they had to recover by themselves. */
  readonly restarts: Map<string, number>;
  close(): Promise<void>;
}

export class FaultStack {
  readonly kafka: PrivateKafka;
  readonly postgres: PrivatePostgres;
  readonly redis: PrivateRedis;
  private readonly dir: string;

  constructor(
    readonly ports: FaultPorts,
    /** 1: one broker; 3: a cluster of three (the cluster-… scenarios). */
    readonly kafkaNodes: 1 | 3 = 1,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'linewatch-faults-'));
    chmodSync(this.dir, 0o755); // PostgreSQL runs as its own user and must reach its folder inside
    this.kafka = new PrivateKafka(this.dir, ports.kafka, kafkaNodes);
    this.postgres = new PrivatePostgres(join(this.dir, 'pg'), ports.postgres);
    this.redis = new PrivateRedis(ports.redis);
  }

  async start(): Promise<void> {
    const { kafka, postgres, redis } = this.ports;
    for (const [what, port] of [
      ...this.kafka.nodes.flatMap((node) => [
        [`Kafka node ${node}`, kafka + 2 * (node - 1)] as const,
        [`the Kafka controller of node ${node}`, kafka + 2 * (node - 1) + 1] as const,
      ]),
      ['PostgreSQL', postgres] as const,
      ['Redis', redis] as const,
    ] as const)
      await assertPortFree(port, what);
    await Promise.all([this.kafka.start(), this.postgres.init(), this.redis.start()]);
  }

  async stop(): Promise<void> {
    await this.redis.stop();
    await this.postgres.destroy();
    await this.kafka.stop().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  kafkaConfig(prefix: string): KafkaConfig {
    return {
      brokers: this.kafka.brokers.split(','),
      clientId: 'linewatch-faults',
      topicPrefix: prefix,
      ssl: false,
      connectionTimeoutMs: 3000,
      requestTimeoutMs: 30000,
    };
  }

  /** A fresh world for one scenario: topics, a migrated database, routing to the harness's receiver. */
  async world(label: string, serviceEnv: Record<string, string> = {}): Promise<ScenarioWorld> {
    const prefix = `faults-${label}-${randomUUID().slice(0, 6)}.`;
    const kafka = this.kafkaConfig(prefix);
    await applyTopics(createKafka(kafka, logger), topicDeclarations(prefix));
    const databaseUrl = await this.postgres.createDatabase(`linewatch_faults_${label.replace(/\W/g, '_')}_${Date.now()}`);
    await runMigrations({ url: databaseUrl, embedded: false, ssl: false, poolMax: 2, statementTimeoutMs: 60_000 });
    const pool = new Pool({ connectionString: databaseUrl, max: 3 });
    pool.on('error', () => undefined); // the database is stopped on purpose in some scenarios
    const hookPort = this.ports.services + 9;
    const dir = mkdtempSync(join(this.dir, `${label}-`));
    const routing = writeWebhookRouting(dir, (team) => `http://127.0.0.1:${hookPort}/hooks/${team}`, {
      // One message per alert: the checker matches deliveries to alerts one to one.
      digestMinimumAlerts: 1_000_000,
      digestWaitSeconds: 0,
    });
    const trackerGroup = `faults-tracker-${randomUUID().slice(0, 6)}`;
    const env: NodeJS.ProcessEnv = {
      ...stackServiceEnv({
        brokers: this.kafka.brokers,
        prefix,
        databaseUrl,
        poolMax: 6,
        redisUrl: this.redis.url,
        routingFile: routing,
        hookPort,
        label: 'faults',
        rateLimitPerMinute: 0,
      }),
      TRACKER_GROUP_ID: trackerGroup,
      ...serviceEnv,
    };
    const base = this.ports.services;
    const offsets: Record<string, number> = { ingest: 0, tracker: 1, alerter: 2, 'tracker-2': 3 };
    const services = new Map<string, RunningService>();
    const restarts = new Map<string, number>();
    const world: ScenarioWorld = {
      label,
      prefix,
      topics: topicNames(prefix),
      kafka,
      databaseUrl,
      pool,
      trackerGroup,
      hookPort,
      services,
      restarts,
      async start(key, name, extra = {}) {
        const port = base + (offsets[key] ?? 4);
        if (services.has(key)) restarts.set(key, (restarts.get(key) ?? 0) + 1);
        // FAULTS_TRACKER_NODE_ARGS: node flags for the trackers (e.g. --cpu-prof --cpu-prof-dir=…, for a post-mortem).
        const nodeArgs = name === 'tracker' ? (process.env.FAULTS_TRACKER_NODE_ARGS ?? '').split(' ').filter(Boolean) : [];
        const service = spawnService(name, { ...env, ...extra }, port, { nodeArgs });
        services.set(key, service);
        await waitFor(
          async () => {
            if (service.process.exitCode !== null || service.process.signalCode !== null) {
              throw new Error(`${key} exited: ${service.output.slice(-8).join('\n')}`);
            }
            return (await fetch(`${service.url}/health/ready`).catch(() => null))?.ok;
          },
          { what: `${key} ready`, timeoutMs: 120_000, intervalMs: 200 },
        );
        return service;
      },
      async close() {
        await Promise.all([...services.values()].map((s) => s.stop()));
        await pool.end().catch(() => undefined);
      },
    };
    return world;
  }
}
