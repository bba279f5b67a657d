/**
 * Every role × every route, against the running api and ingest: a route is open only to the roles
 * this table names (deny by default). The routes come from each service's own OpenAPI document, so
 * a new route that is not in the table fails here until someone decides who may call it. Token
 * validation failures (alg none, wrong key, issuer, audience, expired, no role) are refused on a
 * real route. Every read of intelligence writes a consultation entry naming the caller.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { ROLES, type Role } from '@linewatch/contracts';
import { SignJWT, UnsecuredJWT } from 'jose';
import { TEST_AUTH, bearer, isolatedTopics, serviceEnv, startService, testDatabaseConfig, type RunningService } from '@linewatch/testing';

const BASE_PORT = 25800;
const PUBLIC = 'public' as const;
type Allowed = readonly Role[] | typeof PUBLIC;

/** Every service's health and metrics (documented in each OpenAPI document): public. */
const PLATFORM_ROUTES: Record<string, Allowed> = {
  'GET /health': PUBLIC,
  'GET /health/live': PUBLIC,
  'GET /health/ready': PUBLIC,
  'GET /metrics': PUBLIC,
};
/** Who may call what. Keys are "METHOD /path" as the OpenAPI documents write them. */
const API_ROUTES: Record<string, Allowed> = {
  ...PLATFORM_ROUTES,
  'GET /v1/me': ['analyst', 'officer', 'partner', 'ingest', 'admin'],
  'GET /v1/areas': ['analyst', 'officer', 'partner', 'admin'],
  'GET /v1/teams': ['analyst', 'officer', 'admin'],
  'GET /v1/overview': ['analyst', 'officer', 'admin'],
  'GET /v1/lines': ['analyst', 'officer', 'admin'],
  'GET /v1/lines/{lineId}': ['analyst', 'officer', 'admin'],
  'POST /v1/lines/{lineId}/assessments': ['analyst'],
  'GET /v1/identifiers': ['analyst', 'officer', 'admin'],
  'POST /v1/lines/{lineId}/merges': ['analyst'],
  'POST /v1/lines/{lineId}/unmerges': ['analyst'],
  'POST /v1/lines/{lineId}/identifiers': ['analyst'],
  'GET /v1/replacement-suggestions': ['analyst'],
  'POST /v1/replacement-suggestions/{suggestionId}/accept': ['analyst'],
  'POST /v1/replacement-suggestions/{suggestionId}/reject': ['analyst'],
  'POST /v1/lines/{lineId}/reviews': ['analyst', 'admin'],
  'GET /v1/reviews/due': ['analyst', 'admin'],
  'POST /v1/lines/{lineId}/disposal/cancel': ['admin'],
  'GET /v1/lines/{lineId}/tombstone': ['admin'],
  'GET /v1/alerts': ['analyst', 'officer', 'admin'],
  'GET /v1/alerts/{id}': ['analyst', 'officer', 'admin'],
  'POST /v1/alerts/{id}/acknowledge': ['officer', 'admin'],
  'POST /v1/alerts/{id}/resolve': ['analyst', 'officer', 'admin'],
  // Acknowledgement links carry their own signed token (checked by the route, not by role).
  'GET /v1/alerts/{id}/acknowledge': PUBLIC,
  'POST /v1/alerts/{id}/acknowledge-link': PUBLIC,
  'GET /v1/silences': ['analyst', 'officer', 'admin'],
  'POST /v1/silences': ['analyst', 'admin'],
  'DELETE /v1/silences/{id}': ['analyst', 'admin'],
  'GET /v1/audit': ['admin'],
  'GET /v1/audit/verify': ['admin'],
  'GET /v1/stream': ['analyst', 'officer', 'admin'],
  'GET /v1/exports/weekly': ['partner', 'analyst', 'admin'],
  'GET /v1/teams/{teamId}/digest-preview': ['admin'],
  'GET /v1/dead-letters': ['admin'],
  'GET /v1/check-backs/due': ['analyst', 'admin'],
  'POST /v1/lines/{lineId}/check-backs': ['analyst'],
};
const INGEST_ROUTES: Record<string, Allowed> = {
  ...PLATFORM_ROUTES,
  'POST /v1/events': ['ingest'],
  'GET /v1/events/{eventId}': ['ingest', 'analyst'],
};
/** Reads of intelligence: each must leave a consultation entry in the s.62 log. */
const CONSULTATIONS = [
  'GET /v1/overview',
  'GET /v1/lines',
  'GET /v1/lines/{lineId}',
  'GET /v1/identifiers',
  'GET /v1/replacement-suggestions',
  'GET /v1/alerts',
  'GET /v1/alerts/{id}',
  'GET /v1/reviews/due',
  'GET /v1/lines/{lineId}/tombstone',
  'GET /v1/stream',
  'GET /v1/audit',
  'GET /v1/events/{eventId}',
  'GET /v1/teams/{teamId}/digest-preview',
  'GET /v1/dead-letters',
  'GET /v1/check-backs/due',
];

/** Routes that answer only with a query (a lookup names what it looks up). */
const REQUIRED_QUERY: Record<string, string> = { '/v1/identifiers': '?brand=authz' };

interface Answer {
  readonly status: number;
  readonly code: string | null;
}

async function call(baseUrl: string, route: string, authorization: string | null, justification?: string): Promise<Answer> {
  const [method, template] = route.split(' ');
  const path =
    template
      .replace('{lineId}', 'NO-SUCH-LINE')
      .replace('{id}', randomUUID())
      .replace('{eventId}', randomUUID())
      .replace('{suggestionId}', 'NO-SUCH-LINE~NO-OTHER-LINE')
      .replace('{teamId}', 'bath-npt') + (REQUIRED_QUERY[template] ?? '');
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    signal: abort.signal,
    headers: {
      'content-type': 'application/json',
      ...(authorization ? { authorization } : {}),
      ...(justification ? { 'x-justification': justification } : {}),
    },
    body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
  });
  if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    abort.abort(); // the stream stays open: its headers are the answer
    return { status: response.status, code: null };
  }
  const text = await response.text();
  let code: string | null = null;
  try {
    code = (JSON.parse(text) as { code?: string }).code ?? null;
  } catch {
    // an HTML page (the acknowledgement page) or empty (204)
  }
  return { status: response.status, code };
}

async function documentedRoutes(baseUrl: string): Promise<string[]> {
  const document = (await (await fetch(`${baseUrl}/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

describe('authorisation: every role × every route', () => {
  let api: RunningService;
  let ingest: RunningService;
  let db: Pool;
  const tag = randomUUID().slice(0, 8);

  beforeAll(async () => {
    const isolated = await isolatedTopics('authz');
    const env = serviceEnv('timescale', { KAFKA_TOPIC_PREFIX: isolated.prefix });
    [api, ingest] = await Promise.all([startService('api', env, BASE_PORT), startService('ingest', env, BASE_PORT + 1)]);
    db = new Pool({ connectionString: testDatabaseConfig('timescale').url, max: 2 });
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), ingest?.stop()]);
    await db?.end();
  });

  it.each([
    ['api', () => api, API_ROUTES],
    ['ingest', () => ingest, INGEST_ROUTES],
  ] as const)('the %s routes are exactly those the table decides on', async (_service, service, table) => {
    expect((await documentedRoutes(service().url)).sort()).toEqual(Object.keys(table).sort());
  });

  const cases = [
    ...Object.entries(API_ROUTES).map(([route, allowed]) => ({ service: 'api' as const, route, allowed })),
    ...Object.entries(INGEST_ROUTES).map(([route, allowed]) => ({ service: 'ingest' as const, route, allowed })),
  ];

  /** What the guard made of a call: refused (and how), or let through to the route. */
  const verdict = (answer: Answer) =>
    answer.status >= 500
      ? `error ${answer.status}`
      : answer.code === 'UNAUTHENTICATED'
        ? `401 ${answer.code}`
        : answer.code === 'FORBIDDEN'
          ? `403 ${answer.code}`
          : 'through the guard';

  it.each(cases)('$service $route', async ({ service, route, allowed }) => {
    const baseUrl = (service === 'api' ? api : ingest).url;
    const seen: Record<string, string> = { anonymous: verdict(await call(baseUrl, route, null)) };
    const expected: Record<string, string> = { anonymous: allowed === PUBLIC ? 'through the guard' : '401 UNAUTHENTICATED' };
    for (const role of ROLES) {
      const subject = `authz-${tag}-${role}-${route}`;
      const authorization = await bearer([role], role === 'officer' ? ['bath'] : [], subject);
      seen[role] = verdict(await call(baseUrl, route, authorization, 'authorisation test'));
      expected[role] = allowed === PUBLIC || allowed.includes(role) ? 'through the guard' : '403 FORBIDDEN';
    }
    expect(seen).toEqual(expected);
  });

  it('writes a consultation entry, naming the caller and the justification, for every read of intelligence', async () => {
    for (const route of CONSULTATIONS) {
      for (const role of (API_ROUTES[route] ?? INGEST_ROUTES[route]) as readonly Role[]) {
        const subject = `authz-${tag}-${role}-${route}`;
        const { rows } = await db.query(`SELECT justification FROM disclosure_log WHERE actor = $1 AND action = 'consultation'`, [subject]);
        expect({ route, role, logged: rows.map((r) => r.justification) }).toEqual({ route, role, logged: ['authorisation test'] });
      }
    }
  });

  describe('token validation', () => {
    const key = new TextEncoder().encode(TEST_AUTH.mode === 'local-key' ? TEST_AUTH.secret : '');
    const signed = (claims: Record<string, unknown>, change: { iss?: string; aud?: string; exp?: number; key?: Uint8Array } = {}) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('intruder')
        .setIssuer(change.iss ?? TEST_AUTH.issuer)
        .setAudience(change.aud ?? TEST_AUTH.audience)
        .setIssuedAt(now)
        .setExpirationTime(change.exp ?? now + 600)
        .sign(change.key ?? key);
    };
    it.each<[string, () => Promise<string>]>([
      [
        'alg none',
        async () =>
          new UnsecuredJWT({ roles: ['admin'] })
            .setSubject('intruder')
            .setIssuer(TEST_AUTH.issuer)
            .setAudience(TEST_AUTH.audience)
            .setExpirationTime('1h')
            .encode(),
      ],
      ['a wrong key', () => signed({ roles: ['admin'] }, { key: new TextEncoder().encode('not-the-key-not-the-key-not-the-key-0000') })],
      ['a wrong issuer', () => signed({ roles: ['admin'] }, { iss: 'https://idp.elsewhere.invalid' })],
      ['a wrong audience', () => signed({ roles: ['admin'] }, { aud: 'another-app' })],
      ['an expired token', () => signed({ roles: ['admin'] }, { exp: Math.floor(Date.now() / 1000) - 3600 })],
      ['no LineWatch role', () => signed({ roles: ['superuser'] })],
      ['garbage', async () => 'not.a.token'],
    ])('refuses %s with 401 and says why', async (_what, make) => {
      const response = await fetch(`${api.url}/v1/audit`, { headers: { authorization: `Bearer ${await make()}` } });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { code: string; message: string };
      expect(body.code).toBe('UNAUTHENTICATED');
      expect(body.message.length).toBeGreaterThan(10);
    });
  });
});
