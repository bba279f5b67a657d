/**
 * Security checks (issue #9, short versions): rate limits counted in Redis and shared by replicas,
 * webhook targets held to an allow-list (no server-side request forgery), secrets never in the
 * logs, and a tampered audit entry found by `GET /v1/audit/verify` and `linewatch audit verify`.
 * (Every role × route and the token failures: authorisation.e2e-spec.ts; object-level scoping and
 * fields withheld by role: api.e2e-spec.ts.)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { defaultAlertRoutingFile } from '@linewatch/config';
import { runMigrations } from '@linewatch/persistence';
import { issueDevelopmentToken } from '@linewatch/security';
import {
  aSighting,
  bearer,
  isolatedTopics,
  runCli,
  serviceEnv,
  spawnService,
  startService,
  testDatabaseConfig,
  waitFor,
  type RunningService,
} from '@linewatch/testing';

const BASE_PORT = 26100;
const work = mkdtempSync(join(tmpdir(), 'linewatch-security-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

async function get(service: RunningService, path: string, authorization?: string) {
  const response = await fetch(`${service.url}${path}`, {
    headers: { ...(authorization ? { authorization } : {}), 'x-justification': 'security test' },
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, headers: response.headers, body: (await response.json().catch(() => null)) as any };
}

describe('rate limits (Redis, shared by replicas)', () => {
  const services: RunningService[] = [];
  let apiA: RunningService;
  let apiB: RunningService;
  let ingest: RunningService;

  beforeAll(async () => {
    // Own topic prefix: the counters are namespaced by it, so no other suite's calls count here.
    const { prefix } = await isolatedTopics('rate-limit');
    const env = serviceEnv('timescale', { KAFKA_TOPIC_PREFIX: prefix });
    services.push(
      ...(await Promise.all([
        startService('api', { ...env, RATE_LIMIT_PER_MINUTE: '6' }, BASE_PORT),
        startService('api', { ...env, RATE_LIMIT_PER_MINUTE: '6' }, BASE_PORT + 1),
        startService('ingest', { ...env, RATE_LIMIT_PER_MINUTE: '3' }, BASE_PORT + 2),
      ])),
    );
    [apiA, apiB, ingest] = services;
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
  });

  it('counts a caller across both api replicas: the 7th request in the minute is refused with 429 and retry-after', async () => {
    const token = await bearer(['analyst'], [], `rate-${randomUUID()}`);
    const answers = [];
    for (const replica of [apiA, apiB, apiA, apiB, apiA, apiB]) answers.push((await get(replica, '/v1/me', token)).status);
    expect(answers).toEqual([200, 200, 200, 200, 200, 200]);
    const refused = await get(apiA, '/v1/me', token);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.body).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('6 requests a minute') });
    expect((await get(apiB, '/v1/me', token)).status).toBe(429);
    // Someone else is not held back by it.
    expect((await get(apiB, '/v1/me', await bearer(['analyst'], [], `rate-${randomUUID()}`))).status).toBe(200);
  });

  it('never limits health and metrics', async () => {
    for (let i = 0; i < 15; i += 1) expect((await fetch(`${apiA.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${apiA.url}/metrics`)).status).toBe(200);
  });

  it('limits intake per system, rejected requests included', async () => {
    const token = await bearer(['ingest'], [], `rate-ingest-${randomUUID()}`);
    const post = async () =>
      (
        await fetch(`${ingest.url}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: token },
          body: JSON.stringify({ ...aSighting(), occurredAt: '1970-01-01T00:00:00Z' }),
        })
      ).status;
    expect([await post(), await post(), await post()]).toEqual([422, 422, 422]);
    expect(await post()).toBe(429);
  });
});

describe('webhook targets (no server-side request forgery)', () => {
  const shipped = JSON.parse(readFileSync(defaultAlertRoutingFile(), 'utf8'));
  const routingWith = (webhookUrl: string) => {
    const routing = structuredClone(shipped);
    routing.teams[0].levels[0].recipients[0].webhookUrl = webhookUrl;
    const file = join(work, `routing-${randomUUID()}.json`);
    writeFileSync(file, JSON.stringify(routing));
    return file;
  };
  const bootOutput = async (env: NodeJS.ProcessEnv, port: number) => {
    const alerter = spawnService('alerter', env, port);
    const code = await new Promise<number | null>((resolve) => alerter.process.once('exit', resolve));
    await alerter.stop();
    return { code, output: alerter.output.join('\n') };
  };

  it('refuses to boot (exit 78) with a routing file naming the cloud metadata address, even when it is allow-listed', async () => {
    const file = routingWith('http://169.254.169.254/latest/meta-data/iam/security-credentials/');
    const listed = await bootOutput(
      { ...serviceEnv(), ALERT_ROUTING_FILE: file, ALERT_WEBHOOK_ALLOWED_HOSTS: '169.254.169.254' },
      BASE_PORT + 10,
    );
    expect(listed.code).toBe(78);
    expect(listed.output).toMatch(/team bath-npt, level 1, recipient officers: webhook refused: 169\.254\.169\.254 is link-local/);
    const unlisted = await bootOutput(
      { ...serviceEnv(), ALERT_ROUTING_FILE: routingWith('https://hooks.elsewhere.example/x') },
      BASE_PORT + 11,
    );
    expect(unlisted.code).toBe(78);
    expect(unlisted.output).toContain('hooks.elsewhere.example is not in ALERT_WEBHOOK_ALLOWED_HOSTS');
  });

  it('keeps the routing in force when a reload (SIGHUP) names a forbidden target', async () => {
    const file = routingWith('http://127.0.0.1:3999/hooks/bath-npt');
    const { prefix } = await isolatedTopics('ssrf-reload');
    const alerter = await startService(
      'alerter',
      { ...serviceEnv('timescale', { KAFKA_TOPIC_PREFIX: prefix, ALERTER_GROUP_ID: `ssrf-${randomUUID()}` }), ALERT_ROUTING_FILE: file },
      BASE_PORT + 12,
    );
    try {
      writeFileSync(file, JSON.stringify(JSON.parse(readFileSync(routingWith('http://[fd00:ec2::254]/latest/'), 'utf8'))));
      alerter.process.kill('SIGHUP');
      const line = await waitFor(() => alerter.output.find((l) => l.includes('alert routing NOT reloaded')), {
        what: 'the reload refused',
        timeoutMs: 30_000,
      });
      expect(line).toContain('webhook refused');
      expect((await fetch(`${alerter.url}/health/live`)).status).toBe(200);
    } finally {
      await alerter.stop();
    }
  });
});

describe('secrets never logged', () => {
  const secrets = {
    AUTH_JWT_SECRET: `jwt-${randomUUID()}-${randomUUID()}`,
    ALERT_WEBHOOK_SECRET: `hook-${randomUUID()}-${randomUUID()}`,
    ALERT_LINK_SECRET: `link-${randomUUID()}-${randomUUID()}`,
    dbPassword: `dbpw${randomUUID().replace(/-/g, '')}`,
    smtpPassword: `smtppw${randomUUID().replace(/-/g, '')}`,
  };

  it('keeps every secret and the bearer token out of every service’s output, at debug level, through requests and failures', async () => {
    const { prefix } = await isolatedTopics('secrets');
    const url = new URL(testDatabaseConfig('timescale').url);
    url.username = url.username || 'postgres';
    url.password = secrets.dbPassword;
    const env = serviceEnv('timescale', {
      KAFKA_TOPIC_PREFIX: prefix,
      TRACKER_GROUP_ID: `secrets-${randomUUID()}`,
      ALERTER_GROUP_ID: `secrets-${randomUUID()}`,
      LOG_LEVEL: 'debug',
      AUTH_JWT_SECRET: secrets.AUTH_JWT_SECRET,
      ALERT_WEBHOOK_SECRET: secrets.ALERT_WEBHOOK_SECRET,
      ALERT_LINK_SECRET: secrets.ALERT_LINK_SECRET,
      DATABASE_URL: url.toString(),
      SMTP_URL: `smtp://alerts:${secrets.smtpPassword}@127.0.0.1:${BASE_PORT + 99}`,
    });
    const services = await Promise.all([
      startService('ingest', env, BASE_PORT + 21),
      startService('api', env, BASE_PORT + 20),
      startService('alerter', env, BASE_PORT + 22),
      startService('tracker', env, BASE_PORT + 23),
    ]);
    const [ingest, api] = services;
    const token = await issueDevelopmentToken(
      { mode: 'local-key', secret: secrets.AUTH_JWT_SECRET, issuer: 'linewatch-local', audience: 'linewatch' },
      { subject: 'secret-test', roles: ['ingest', 'analyst', 'admin'], areas: [], ttlSeconds: 600, now: new Date() },
    );
    let outputs: string;
    try {
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', cookie: `session=${token}` };
      const event = aSighting();
      expect((await fetch(`${ingest.url}/v1/events`, { method: 'POST', headers, body: JSON.stringify(event) })).status).toBe(202);
      expect((await fetch(`${ingest.url}/v1/events`, { method: 'POST', headers, body: '{"broken' })).status).toBe(400);
      expect((await get(api, '/v1/lines', `Bearer ${token}`)).status).toBe(200);
      expect((await get(api, '/v1/audit/verify', `Bearer ${token}`)).status).toBe(200);
      expect((await get(api, '/v1/lines', `Bearer ${token}x`)).status).toBe(401);
      expect((await get(api, `/v1/lines?token=${token}`)).status).toBe(401);
      // Acknowledgement links carry their token in the query: the request log must not keep it.
      await fetch(`${api.url}/v1/alerts/${randomUUID()}/acknowledge?token=${encodeURIComponent(token)}&x=1`);
    } finally {
      await Promise.all(services.map((s) => s.stop()));
      outputs = services.map((s) => s.output.join('\n')).join('\n');
    }
    // A refused boot (a bad URL carrying a password) must not echo it either.
    const refused = spawnService('ingest', { ...env, DATABASE_URL: `postgres://u:${secrets.dbPassword}@host:notaport/db` }, BASE_PORT + 24);
    expect(await new Promise((resolve) => refused.process.once('exit', resolve))).toBe(78);
    await refused.stop();
    outputs += `\n${refused.output.join('\n')}`;

    expect(outputs).toContain('request completed'); // the request logs were written, at debug level

    const signature = token.split('.')[2];
    for (const [name, value] of Object.entries({ ...secrets, token, signature })) {
      expect({ name, leaked: outputs.includes(value) }).toEqual({ name, leaked: false });
    }
  });
});

describe('audit chain', () => {
  const admin = process.env.LINEWATCH_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `linewatch_tamper_${process.pid}_${Date.now()}`;
  const scratch = new URL(admin);
  scratch.pathname = `/${name}`;

  const superuser = async <T>(url: string, work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  afterAll(async () => {
    await superuser(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });

  it('finds a row rewritten by a superuser (triggers disabled): the api and the CLI name the first broken entry', async () => {
    // A database of its own: a broken chain must not fail the other suites' verify.
    await superuser(admin, (c) => c.query(`CREATE DATABASE ${name}`));
    await runMigrations({ ...testDatabaseConfig('postgres'), url: scratch.toString() });
    const env = serviceEnv('postgres', { DATABASE_URL: scratch.toString() });
    const api = await startService('api', env, BASE_PORT + 30);
    try {
      const adminToken = await bearer(['admin'], [], 'auditor');
      for (let i = 0; i < 3; i += 1) expect((await get(api, '/v1/lines', await bearer(['analyst'], [], `reader-${i}`))).status).toBe(200);
      expect(await get(api, '/v1/audit/verify', adminToken)).toMatchObject({ status: 200, body: { intact: true } });

      const tampered = await superuser(scratch.toString(), async (c) => {
        const { rows } = await c.query(`SELECT entry_id::text AS id FROM disclosure_log WHERE actor = 'reader-1'`);
        await c.query('BEGIN');
        await c.query('ALTER TABLE disclosure_log DISABLE TRIGGER USER');
        await c.query(`UPDATE disclosure_log SET justification = 'nothing to see here' WHERE entry_id = $1`, [rows[0].id]);
        await c.query('ALTER TABLE disclosure_log ENABLE TRIGGER USER');
        await c.query('COMMIT');
        return rows[0].id as string;
      });

      expect(await get(api, '/v1/audit/verify', adminToken)).toMatchObject({
        status: 200,
        body: { intact: false, firstBroken: { entryId: tampered, reason: expect.stringContaining('rewritten') } },
      });
      const cli = await runCli(['audit', 'verify'], env);
      expect(cli.code).toBe(2);
      expect(cli.stdout).toContain(`chain BROKEN at entry ${tampered}`);
    } finally {
      await api.stop();
    }
  });
});
