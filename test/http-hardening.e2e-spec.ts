/**
 * The HTTP side of every service (issue 15, defects 1, 3 and 7), from outside, over real sockets:
 * - every route of every service — enumerated from Nest's router as each service maps it at boot —
 *   probed with a NUL and an unpaired surrogate in its path, its query, a header and its JSON body:
 *   400 INVALID_CHARACTERS in the one error shape, never a 500; a refused read by an
 *   authenticated caller is on the s.62 record;
 * - data answers are private (`Cache-Control: no-store`, `X-Content-Type-Options: nosniff`), a 401
 *   says how to authenticate (RFC 6750), the Bearer scheme is case-insensitive (RFC 7235);
 * - every 4xx and 5xx has `{ code, message, errors[] }` (errorBodyV1): Nest's own 400 and 404,
 *   405, 413, 415, and Node's parser's own refusals.
 */
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { Pool } from 'pg';
import { ROLES, errorBodyV1 } from '@linewatch/contracts';
import { bearer, isolatedTopics, serviceEnv, startService, testDatabaseConfig, type RunningService } from '@linewatch/testing';

const BASE_PORT = 29100;
const NUL = '%00';
/** U+D800 (an unpaired surrogate) as UTF-8 would spell it: bytes no UTF-8 decoder accepts. */
const SURROGATE = '%ED%A0%80';
const A_UUID = '00000000-0000-4000-8000-000000000000';

interface Route {
  readonly method: string;
  readonly path: string;
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

/** The routes a service mapped at boot, as Nest's RouterExplorer logs them ("Mapped {/v1/lines/:lineId, GET} route"). */
function routesOf(service: RunningService): Route[] {
  const routes = new Map<string, Route>();
  for (const line of service.output) {
    const match = /Mapped \{([^,}]+), (\w+)\} route/.exec(line);
    if (match) routes.set(`${match[2]} ${match[1]}`, { method: match[2], path: match[1] });
  }
  return [...routes.values()];
}

/** A route's path with every parameter filled: a harmless value, or `probe` in the one at `index`. */
function fill(path: string, probe?: { index: number; value: string }): string {
  let n = -1;
  return path.replace(/:\w+/g, () => {
    n += 1;
    return probe && probe.index === n ? probe.value : A_UUID;
  });
}

/**
 * One request written to the socket byte for byte (fetch refuses a NUL in a header, and encodes a
 * path for us): the answer's status, headers and JSON body.
 */
function raw(port: number, method: string, target: string, headers: Record<string, string | Buffer>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const lines: Buffer[] = [Buffer.from(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n`)];
    for (const [name, value] of Object.entries(headers)) lines.push(Buffer.from(`${name}: `), Buffer.from(value), Buffer.from('\r\n'));
    if (body !== undefined) lines.push(Buffer.from(`Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`));
    lines.push(Buffer.from('\r\n'), Buffer.from(body ?? ''));
    // write, not end: a client that half-closes may have its connection closed before an answer that takes a moment.
    const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.concat(lines)));
    const chunks: Buffer[] = [];
    // An answer that never ends (a stream the probe got into) is a failure to report, not a hang.
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head.split('\r\n');
      const answerHeaders = Object.fromEntries(
        headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      let payload = rest.join('\r\n\r\n');
      // Chunked transfer coding: the JSON is between the size lines.
      if (answerHeaders['transfer-encoding'] === 'chunked')
        payload = payload
          .split('\r\n')
          .filter((_, i) => i % 2 === 1)
          .join('');
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(payload);
      } catch {
        parsed = payload;
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers: answerHeaders, body: parsed });
    });
  });
}

/** What a refusal is judged on: status, code, the one error shape, and private headers. */
function summary(answer: Answer) {
  return {
    status: answer.status,
    code: answer.body?.code,
    shaped: errorBodyV1.safeParse(answer.body).success,
    cacheControl: answer.headers['cache-control'],
    nosniff: answer.headers['x-content-type-options'],
  };
}

const refused = (code: string, status = 400) => ({ status, code, shaped: true, cacheControl: 'no-store', nosniff: 'nosniff' });

describe('HTTP hardening of every service', () => {
  const services: Partial<Record<'api' | 'ingest' | 'alerter' | 'tracker', RunningService>> = {};
  const caller = `probe-${randomUUID()}`;
  let token: string;
  let db: Pool;

  beforeAll(async () => {
    const isolated = await isolatedTopics('http-hardening');
    const env = serviceEnv('timescale', {
      KAFKA_TOPIC_PREFIX: isolated.prefix,
      TRACKER_GROUP_ID: `http-hardening-${randomUUID()}`,
      ALERTER_GROUP_ID: `http-hardening-alerter-${randomUUID()}`,
      INGEST_MAX_BODY_BYTES: '65536',
    });
    const [api, ingest, alerter, tracker] = await Promise.all([
      startService('api', env, BASE_PORT),
      startService('ingest', env, BASE_PORT + 1),
      startService('alerter', env, BASE_PORT + 2),
      startService('tracker', env, BASE_PORT + 3),
    ]);
    Object.assign(services, { api, ingest, alerter, tracker });
    // Every role: every route lets the caller in, so what answers is the check, not the guard.
    token = await bearer([...ROLES], ['bath'], caller);
    db = new Pool({ connectionString: testDatabaseConfig('timescale').url, max: 2 });
  });

  afterAll(async () => {
    await Promise.all(Object.values(services).map((s) => s.stop()));
    await db?.end();
  });

  const each = () => Object.values(services) as RunningService[];
  const port = (service: RunningService) => Number(new URL(service.url).port);

  describe('NUL and unpaired surrogates: 400 INVALID_CHARACTERS on every route, in every place', () => {
    it('finds the routes of every service (health, metrics and its own)', () => {
      for (const service of each()) {
        const paths = routesOf(service).map((r) => `${r.method} ${r.path}`);
        expect(paths).toEqual(expect.arrayContaining(['GET /health/live', 'GET /health/ready', 'GET /metrics']));
      }
      expect(routesOf(services.api!).length).toBeGreaterThan(15);
      expect(routesOf(services.ingest!).map((r) => `${r.method} ${r.path}`)).toContain('POST /v1/events');
    });

    it('refuses them in the path, the query, a header and the body of every route, never with a 500', async () => {
      const answers: { label: string; status: number; ok: boolean }[] = [];
      for (const service of each()) {
        for (const route of routesOf(service)) {
          const auth = { authorization: token, 'x-justification': 'http hardening sweep' };
          const params = route.path.match(/:\w+/g) ?? [];
          const probes: { name: string; target: string; headers?: Record<string, string | Buffer>; body?: string }[] = [];
          for (const [label, bad] of [
            ['NUL', NUL],
            ['surrogate', SURROGATE],
          ] as const) {
            // The path: each parameter in turn, or (no parameter) the path itself.
            if (params.length === 0) probes.push({ name: `path ${label}`, target: `${route.path}${bad}x` });
            params.forEach((_, index) =>
              probes.push({ name: `path ${label} #${index}`, target: fill(route.path, { index, value: `SEC${bad}x` }) }),
            );
            probes.push({ name: `query ${label}`, target: `${fill(route.path)}?area=${bad}` });
            probes.push({ name: `query name ${label}`, target: `${fill(route.path)}?a${bad}=1` });
          }
          probes.push({
            name: 'header surrogate',
            target: fill(route.path),
            headers: { 'x-justification': Buffer.from([0x61, 0xed, 0xa0, 0x80, 0x62]) },
          });
          probes.push({ name: 'header NUL', target: fill(route.path), headers: { 'x-justification': 'a\u0000b' } });
          if (route.method !== 'GET') {
            probes.push({ name: 'body NUL', target: fill(route.path), body: JSON.stringify({ note: 'a\u0000b', reason: 'x' }) });
            probes.push({ name: 'body surrogate', target: fill(route.path), body: JSON.stringify({ rationale: 'a\ud800b' }) });
            probes.push({ name: 'body field name NUL', target: fill(route.path), body: JSON.stringify({ ['a\u0000b']: 1 }) });
          }
          for (const probe of probes) {
            const answer = await raw(port(service), route.method, probe.target, { ...auth, ...probe.headers }, probe.body);
            const label = `${service.name} ${route.method} ${route.path} — ${probe.name}`;
            // Intake validates each event by its contract (one bad event must not sink a batch): 422 with the event's code.
            const ownBody = service.name === 'ingest' && route.path === '/v1/events' && probe.body !== undefined;
            const got = summary(answer);
            const ok = ownBody
              ? got.status === 422 && /^[A-Z_]+$/.test(got.code ?? '') && got.shaped
              : JSON.stringify(got) === JSON.stringify(refused('INVALID_CHARACTERS'));
            answers.push({ label: `${label}: ${JSON.stringify(got)}`, status: answer.status, ok });
          }
        }
      }
      expect(answers.length).toBeGreaterThan(200);
      expect(answers.filter((a) => !a.ok).map((a) => a.label)).toEqual([]);
      expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    });

    it.each([
      ['GET', '/v1/lines/SEC%00x'],
      ['GET', '/v1/lines?area=%00'],
      ['GET', '/v1/lines?brand=%00'],
      ['GET', '/v1/lines?after=%00'],
      ['GET', '/v1/alerts?teamId=%00'],
      ['GET', '/v1/alerts?lineId=%00'],
      ['GET', '/v1/audit?actor=%00'],
      ['GET', '/v1/lines/SEC%ED%A0%80x'],
      ['GET', '/v1/lines?area=%ED%A0%80'],
      ['GET', '/v1/alerts/%FF'],
    ])('%s %s (the issue’s examples): 400 INVALID_CHARACTERS, and the refused read is on the s.62 record', async (method, target) => {
      const subject = `probe-${randomUUID()}`;
      const answer = await raw(port(services.api!), method, target, {
        authorization: await bearer(['analyst', 'admin', 'officer'], ['bath'], subject),
        'x-justification': 'Überprüfung',
      });
      expect(summary(answer)).toEqual(refused('INVALID_CHARACTERS'));
      const { rows } = await db.query(
        `SELECT action, subject_type, subject_id, justification, details FROM disclosure_log WHERE actor = $1`,
        [subject],
      );
      expect(rows).toEqual([
        expect.objectContaining({
          action: 'consultation',
          subject_type: 'refused-read',
          subject_id: `${method} ${target}`,
          justification: 'Überprüfung',
          details: expect.objectContaining({ refused: 'INVALID_CHARACTERS', where: [expect.any(String)] }),
        }),
      ]);
    });

    it.each([
      ['/v1/alerts/00000000-0000-4000-8000-000000000000/resolve', { note: 'a\u0000b' }],
      ['/v1/alerts/00000000-0000-4000-8000-000000000000/resolve', { note: 'a\ud800b' }],
      ['/v1/silences', { reason: 'a\u0000b' }],
      ['/v1/silences', { reason: 'a\ud800b' }],
      ['/v1/lines/SEC1/reviews', { decision: 'retain', rationale: 'a\u0000b' }],
      ['/v1/lines/SEC1/reviews', { decision: 'retain', rationale: 'a\ud800b' }],
      ['/v1/lines/SEC1/assessments', { decision: 'reopen', rationale: 'a\ud800b' }],
    ])('POST %s with %j: 400 INVALID_CHARACTERS naming the field', async (path, body) => {
      const answer = await raw(port(services.api!), 'POST', path, { authorization: token }, JSON.stringify(body));
      expect(summary(answer)).toEqual(refused('INVALID_CHARACTERS'));
      expect(answer.body.errors).toEqual([{ path: Object.keys(body).at(-1), message: expect.any(String) }]);
    });

    it('POST /v1/lines/SEC%00x/assessments: 400 INVALID_CHARACTERS (a write: nothing to record as a read)', async () => {
      const answer = await raw(
        port(services.api!),
        'POST',
        '/v1/lines/SEC%00x/assessments',
        { authorization: token },
        JSON.stringify({ decision: 'reopen', rationale: 'a probe' }),
      );
      expect(summary(answer)).toEqual(refused('INVALID_CHARACTERS'));
      expect(answer.body.errors).toEqual([{ path: '(path)', message: expect.stringContaining('NUL') }]);
    });

    it('refuses before the guard without a token too: 400, and nobody to record', async () => {
      const answer = await raw(port(services.api!), 'GET', '/v1/lines?area=%00', {});
      expect(summary(answer)).toEqual(refused('INVALID_CHARACTERS'));
    });
  });

  describe('private answers and the bearer challenge', () => {
    const get = async (service: RunningService, path: string, authorization?: string) => {
      const response = await fetch(`${service.url}${path}`, {
        headers: { ...(authorization ? { authorization } : {}), 'x-justification': 'http hardening' },
        signal: AbortSignal.timeout(10_000),
      });
      const text = path.startsWith('/v1/stream') ? (await response.body?.cancel(), '') : await response.text();
      return { status: response.status, headers: response.headers, text };
    };

    it('marks every data route of the api no-store and nosniff, the export included', async () => {
      const paths = routesOf(services.api!)
        .filter((r) => r.method === 'GET' && r.path.startsWith('/v1/') && !r.path.includes('acknowledge'))
        .map((r) => fill(r.path).replace(A_UUID, 'SEC1'));
      expect(paths).toEqual(expect.arrayContaining(['/v1/lines', '/v1/alerts', '/v1/me', '/v1/audit', '/v1/teams', '/v1/reviews/due']));
      paths.push('/v1/exports/weekly?from=2026-01-05&to=2026-01-18&format=csv');
      for (const path of paths) {
        const answer = await get(services.api!, path, token);
        expect({ path, status: answer.status < 500 }).toEqual({ path, status: true });
        expect({ path, cacheControl: answer.headers.get('cache-control') }).toEqual({
          path,
          cacheControl: expect.stringContaining('no-store'),
        });
        expect({ path, nosniff: answer.headers.get('x-content-type-options') }).toEqual({ path, nosniff: 'nosniff' });
      }
      const exported = await get(services.api!, '/v1/exports/weekly?from=2026-01-05&to=2026-01-18&format=csv', token);
      expect(exported.status).toBe(200);
    });

    it('answers a 401 with WWW-Authenticate: Bearer realm="linewatch", and error="invalid_token" for a token that failed', async () => {
      const none = await get(services.api!, '/v1/lines');
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="linewatch"');
      expect(JSON.parse(none.text)).toMatchObject({ code: 'UNAUTHENTICATED', errors: [] });
      const forged = await get(services.api!, '/v1/lines', `Bearer ${token.split(' ')[1].slice(0, -4)}AAAA`);
      expect(forged.status).toBe(401);
      expect(forged.headers.get('www-authenticate')).toBe('Bearer realm="linewatch", error="invalid_token"');
      const ingest = await fetch(`${services.ingest!.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(ingest.status).toBe(401);
      expect(ingest.headers.get('www-authenticate')).toBe('Bearer realm="linewatch"');
    });

    it.each(['bearer', 'BEARER', 'Bearer', 'bEaReR'])('takes the scheme %s (case-insensitive, RFC 7235)', async (scheme) => {
      const answer = await get(services.api!, '/v1/me', `${scheme} ${token.split(' ')[1]}`);
      expect(answer.status).toBe(200);
    });
  });

  describe('one error shape for every 4xx and 5xx', () => {
    const request = async (
      service: RunningService,
      method: string,
      path: string,
      init: { headers?: Record<string, string>; body?: string } = {},
    ) => {
      const response = await fetch(`${service.url}${path}`, {
        method,
        headers: { authorization: token, ...init.headers },
        body: init.body,
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
    };
    /** Status, code, the one error shape, and nothing of a stack trace or Nest's own body. */
    const shapeOf = (answer: { status: number; text: string; body: unknown }) => ({
      status: answer.status,
      code: (answer.body as { code?: string }).code,
      shaped: errorBodyV1.safeParse(answer.body).success,
      leaks: /statusCode|"stack"|at \w+ \(|node_modules/.test(answer.text),
    });
    const shaped = (status: number, code: string) => ({ status, code, shaped: true, leaks: false });

    it('GET /v1/alerts/not-a-uuid: a path parameter refused as 400 INVALID_PARAMETER (was Nest’s own body, no code)', async () => {
      const answer = await request(services.api!, 'GET', '/v1/alerts/not-a-uuid');
      expect(shapeOf(answer)).toEqual(shaped(400, 'INVALID_PARAMETER'));
      expect(answer.body.message).toMatch(/uuid/i);
    });

    it('an unknown route is 404 ROUTE_NOT_FOUND on every service, without echoing the path', async () => {
      for (const service of each()) {
        const answer = await request(service, 'GET', '/v1/no-such-route-xyzzy');
        expect(shapeOf(answer)).toEqual(shaped(404, 'ROUTE_NOT_FOUND'));
        expect(answer.text).not.toContain('xyzzy');
      }
    });

    it('a method the route does not serve is 405 METHOD_NOT_ALLOWED with Allow', async () => {
      const answer = await request(services.api!, 'DELETE', '/v1/lines');
      expect(shapeOf(answer)).toEqual(shaped(405, 'METHOD_NOT_ALLOWED'));
      expect(answer.headers.get('allow')).toBe('GET, HEAD');
      const health = await request(services.tracker!, 'POST', '/health/live');
      expect(shapeOf(health)).toEqual(shaped(405, 'METHOD_NOT_ALLOWED'));
    });

    it('a body over the limit is 413 BODY_TOO_LARGE', async () => {
      const answer = await request(services.ingest!, 'POST', '/v1/events', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pad: 'x'.repeat(100_000) }),
      });
      expect(shapeOf(answer)).toEqual(shaped(413, 'BODY_TOO_LARGE'));
    });

    it('JSON in UTF-16 is 415 UNSUPPORTED_CONTENT_TYPE (as docs/events.md says), not 400 MALFORMED_JSON', async () => {
      const answer = await fetch(`${services.ingest!.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: token, 'content-type': 'application/json; charset=utf-16' },
        body: Buffer.from('\ufeff{"eventId":"x"}', 'utf16le'),
      });
      const text = await answer.text();
      expect(shapeOf({ status: answer.status, text, body: JSON.parse(text) })).toEqual(shaped(415, 'UNSUPPORTED_CONTENT_TYPE'));
    });

    it('malformed JSON is 400 MALFORMED_JSON in the same shape on every service', async () => {
      for (const service of [services.api!, services.ingest!]) {
        const answer = await request(service, 'POST', service === services.api ? '/v1/silences' : '/v1/events', {
          headers: { 'content-type': 'application/json' },
          body: '{"eventId": ',
        });
        expect(shapeOf(answer)).toEqual(shaped(400, 'MALFORMED_JSON'));
      }
    });

    it('what Node’s parser refuses (a NUL in a header, a raw byte in the path) is answered in the shape too', async () => {
      const header = await raw(port(services.alerter!), 'GET', '/health/live', { 'x-probe': 'a\u0000b' });
      expect(summary(header)).toEqual(refused('INVALID_CHARACTERS'));
      const path = await raw(port(services.tracker!), 'GET', '/health/\u00ff', {});
      expect(summary(path)).toEqual(refused('INVALID_CHARACTERS'));
    });
  });
});
