/**
 * The contract test (issue 16): every route of the four services called for real, over the
 * running stack, and each actual answer checked against the published document
 * (docs/openapi/<service>.json): its status is documented for the route, its media type is, and a
 * JSON body validates against the documented schema (ajv). Every documented operation is called,
 * every route Nest maps is documented, and each service serves at /docs-json what is published.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { signAckToken } from '@linewatch/security';
import {
  CHECKOUT_ROOT,
  aRaid,
  aSighting,
  bearer,
  daysAgo,
  isolatedTopics,
  serviceEnv,
  startService,
  waitFor,
  writeWebhookRouting,
  type RunningService,
} from '@linewatch/testing';

const BASE_PORT = 27700;
const HOOK_PORT = BASE_PORT + 80;
const LINK_SECRET = 'linewatch-test-link-key-0123456789abcdef';
const SERVICES = ['api', 'ingest', 'alerter', 'tracker'] as const;
type Service = (typeof SERVICES)[number];
const PORTS: Record<Service, number> = { api: BASE_PORT, ingest: BASE_PORT + 1, alerter: BASE_PORT + 2, tracker: BASE_PORT + 3 };

type Json = Record<string, unknown>;

interface Answer {
  readonly status: number;
  readonly type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

const documents = Object.fromEntries(
  SERVICES.map((s) => [s, JSON.parse(readFileSync(join(CHECKOUT_ROOT, 'docs', 'openapi', `${s}.json`), 'utf8')) as Json]),
) as Record<Service, Json>;

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validators = new Map<object, ValidateFunction>();
const validatorOf = (schema: object) => validators.get(schema) ?? validators.set(schema, ajv.compile(schema)).get(schema)!;

/** Operations called so far, as "service METHOD /template". */
const called = new Set<string>();

/** The documented operations of a service, as "METHOD /template". */
function operationsOf(service: Service): string[] {
  return Object.entries(documents[service].paths as Record<string, Json>).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

/**
 * Calls `template` (OpenAPI form, `{id}`) with its parameters filled in, and checks the answer
 * against the document: the status is one the operation documents, the media type one it lists,
 * and a JSON body validates against its schema. Returns the answer for the test to use.
 */
async function call(
  service: Service,
  method: string,
  template: string,
  options: { params?: Record<string, string>; query?: Record<string, string>; token?: string; body?: unknown; contentType?: string } = {},
): Promise<Answer> {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(options.params?.[name] ?? ''));
  const url = new URL(path, `http://127.0.0.1:${PORTS[service]}`);
  for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, value);
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = options.token;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = options.contentType ?? 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const abort = new AbortController();
  const response = await fetch(url, { method, headers, body, signal: abort.signal });
  const type = (response.headers.get('content-type') ?? '').split(';')[0].trim();
  let payload: unknown = null;
  if (type === 'text/event-stream') {
    // A stream never ends: its first bytes are enough to know what it is.
    const reader = response.body!.getReader();
    payload = new TextDecoder().decode((await reader.read()).value);
    abort.abort();
  } else {
    const text = await response.text();
    payload = type === 'application/json' ? (JSON.parse(text) as unknown) : text;
  }
  const operation = ((documents[service].paths as Record<string, Json>)[template]?.[method.toLowerCase()] ?? null) as Json | null;
  const where = `${service} ${method} ${template} → ${response.status}`;
  expect({ where, documented: operation !== null }).toEqual({ where, documented: true });
  called.add(`${service} ${method} ${template}`);
  const documented = ((operation!.responses as Record<string, Json>)[String(response.status)] ?? null) as Json | null;
  expect({ where, statusDocumented: documented !== null }).toEqual({ where, statusDocumented: true });
  const content = (documented!.content ?? {}) as Record<string, { schema?: object }>;
  if (response.status === 204) {
    expect({ where, content: Object.keys(content) }).toEqual({ where, content: [] });
  } else {
    expect({ where, type, listed: Object.keys(content) }).toEqual({ where, type, listed: expect.arrayContaining([type]) });
    const schema = content[type]?.schema;
    if (type === 'application/json' && schema) {
      const validate = validatorOf(schema);
      const valid = validate(payload);
      expect({ where, errors: valid ? null : validate.errors, body: valid ? null : payload }).toEqual({ where, errors: null, body: null });
    }
  }
  return { status: response.status, type, body: payload };
}

describe('every route against its published contract', () => {
  const running: Partial<Record<Service, RunningService>> = {};
  let hooks: Server;
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const lineA = `OAPIA-${tag}`;
  const lineB = `OAPIB-${tag}`;
  let alertA: string;
  let alertB: string;
  let analyst: string;
  let admin: string;
  let officer: string;
  let ingest: string;

  beforeAll(async () => {
    const isolated = await isolatedTopics('openapi');
    hooks = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(204).end());
    });
    await new Promise<void>((resolve) => hooks.listen(HOOK_PORT, '127.0.0.1', resolve));
    const env = serviceEnv('timescale', {
      KAFKA_TOPIC_PREFIX: isolated.prefix,
      TRACKER_GROUP_ID: `e2e-openapi-${randomUUID()}`,
      ALERTER_GROUP_ID: `e2e-openapi-alerter-${randomUUID()}`,
      TRACKER_RELAY_INTERVAL_MS: '200',
      ALERT_LINK_SECRET: LINK_SECRET,
      ALERT_ROUTING_FILE: writeWebhookRouting(
        mkdtempSync(join(tmpdir(), 'linewatch-openapi-')),
        (team) => `http://127.0.0.1:${HOOK_PORT}/${team}`,
      ),
    });
    const services = await Promise.all(SERVICES.map((s) => startService(s, env, PORTS[s])));
    SERVICES.forEach((s, i) => (running[s] = services[i]));
    [analyst, admin, officer, ingest] = await Promise.all([
      bearer(['analyst'], [], `openapi-analyst-${tag}`),
      bearer(['admin'], [], `openapi-admin-${tag}`),
      bearer(['officer'], ['bath'], `openapi-officer-${tag}`),
      bearer(['ingest'], [], `openapi-ingest-${tag}`),
    ]);
  });

  afterAll(async () => {
    await Promise.all(SERVICES.map((s) => running[s]?.stop()));
    hooks?.closeAllConnections();
    await new Promise<void>((resolve) => hooks?.close(() => resolve()));
  });

  it.each(SERVICES)('%s serves at /docs-json the document published in docs/openapi/', async (service) => {
    const served = (await (await fetch(`http://127.0.0.1:${PORTS[service]}/docs-json`)).json()) as Json;
    expect(served).toEqual(documents[service]);
  });

  it.each(SERVICES)('%s documents every route it maps', (service) => {
    const mapped = new Set<string>();
    for (const line of running[service]!.output) {
      const match = /Mapped \{([^,}]+), (\w+)\} route/.exec(line);
      if (match && !match[1].startsWith('/docs')) mapped.add(`${match[2]} ${match[1].replace(/:(\w+)/g, '{$1}')}`);
    }
    expect(mapped.size).toBeGreaterThan(0);
    expect([...mapped].filter((route) => !operationsOf(service).includes(route))).toEqual([]);
  });

  it('ingest: single, duplicate, rejected, batch and NDJSON submissions', async () => {
    const first = aSighting({ lineId: lineA, area: 'bath' });
    expect((await call('ingest', 'POST', '/v1/events', { token: ingest, body: first })).status).toBe(202);
    // Handling code C: shown withheld to an officer (the line detail's other form of event).
    const graded = aSighting({ lineId: lineA, area: 'bath', grading: { source: '2', intelligence: 'B', handling: 'C' } });
    expect((await call('ingest', 'POST', '/v1/events', { token: ingest, body: graded })).status).toBe(202);
    expect((await call('ingest', 'POST', '/v1/events', { token: ingest, body: first })).status).toBe(200);
    expect(
      (await call('ingest', 'POST', '/v1/events', { token: ingest, body: { ...first, eventId: randomUUID(), area: 'NOWHERE' } })).status,
    ).toBe(422);
    const batch = await call('ingest', 'POST', '/v1/events', {
      token: ingest,
      body: [aSighting({ lineId: lineB, area: 'bath' }), { type: 'nonsense' }],
    });
    expect(batch.body.summary).toEqual({ accepted: 1, duplicate: 0, rejected: 1 });
    const ndjson = [aSighting({ lineId: lineB, area: 'bath' }), aSighting({ lineId: lineB, area: 'bath' })]
      .map((e) => JSON.stringify(e))
      .join('\n');
    expect(
      (await call('ingest', 'POST', '/v1/events', { token: ingest, body: ndjson, contentType: 'application/x-ndjson' })).body.summary
        .accepted,
    ).toBe(2);
    expect((await call('ingest', 'POST', '/v1/events', { token: ingest, body: [] })).status).toBe(400);
    expect(
      (await call('ingest', 'GET', '/v1/events/{eventId}', { token: analyst, params: { eventId: String(first.eventId) } })).status,
    ).toBe(200);
    expect((await call('ingest', 'GET', '/v1/events/{eventId}', { token: ingest, params: { eventId: randomUUID() } })).status).toBe(404);
    expect((await call('ingest', 'POST', '/v1/events', { body: first })).status).toBe(401);
    expect((await call('ingest', 'POST', '/v1/events', { token: ingest, body: 'a,b', contentType: 'text/plain' })).status).toBe(415);
  });

  it('health and metrics of every service', async () => {
    for (const service of SERVICES) {
      expect((await call(service, 'GET', '/health/live')).status).toBe(200);
      await waitFor(async () => (await fetch(`http://127.0.0.1:${PORTS[service]}/health/ready`)).status === 200 || undefined, {
        what: `${service} ready`,
        timeoutMs: 30_000,
      });
      expect((await call(service, 'GET', '/health/ready')).status).toBe(200);
      expect((await call(service, 'GET', '/health')).status).toBe(200);
      expect((await call(service, 'GET', '/metrics')).status).toBe(200);
    }
  });

  it('the api: session, areas, lines, reviews and assessments', async () => {
    expect((await call('api', 'GET', '/v1/me', { token: analyst })).body.roles).toEqual(['analyst']);
    expect((await call('api', 'GET', '/v1/me')).status).toBe(401);
    await call('api', 'GET', '/v1/areas', { token: analyst });
    await call('api', 'GET', '/v1/teams', { token: admin });
    await call('api', 'GET', '/v1/teams', { token: officer });
    const preview = (teamId: string, token: string) =>
      call('api', 'GET', '/v1/teams/{teamId}/digest-preview', { token, params: { teamId } });
    expect((await preview('bath-npt', admin)).body.contentVersion).toBe(1);
    expect((await preview('bath-npt', officer)).status).toBe(403);
    expect((await preview('no-such-team', admin)).body.code).toBe('TEAM_NOT_FOUND');
    await waitFor(
      async () => {
        const page = await fetch(`http://127.0.0.1:${PORTS.api}/v1/lines/${lineA}`, { headers: { authorization: analyst } });
        return (page.status === 200 && ((await page.json()) as { events: unknown[] }).events.length >= 2) || undefined;
      },
      { what: 'line A tracked with both its events', timeoutMs: 60_000 },
    );
    await call('api', 'GET', '/v1/lines', { token: analyst, query: { limit: '5' } });
    expect((await call('api', 'GET', '/v1/lines', { token: analyst, query: { limit: '0' } })).body.code).toBe('INVALID_QUERY');
    const whole = await call('api', 'GET', '/v1/lines/{lineId}', { token: analyst, params: { lineId: lineA } });
    expect((whole.body.events as { withheld?: string }[]).filter((event) => event.withheld)).toEqual([]);
    const seenByOfficer = await call('api', 'GET', '/v1/lines/{lineId}', {
      token: officer,
      params: { lineId: lineA },
      query: { asAt: new Date(Date.now() - 60_000).toISOString() },
    });
    expect((seenByOfficer.body.events as { withheld?: string }[]).filter((event) => event.withheld)).toHaveLength(1);
    expect((await call('api', 'GET', '/v1/lines/{lineId}', { token: analyst, params: { lineId: `NONE-${tag}` } })).status).toBe(404);
    // The home view's figures: the analyst counts line A and sees reviews due; an officer is not told how many.
    const overview = await call('api', 'GET', '/v1/overview', { token: analyst });
    expect(overview.body.reviewsDue).toEqual(expect.any(Number));
    expect((overview.body.lines as { count: number }[]).length).toBeGreaterThan(0);
    expect((await call('api', 'GET', '/v1/overview', { token: officer })).body.reviewsDue).toBeNull();
    // Closure check-backs (line A has no Type 1 closure: 409 with its code; test/check-backs.e2e-spec.ts records them).
    expect(overview.body.checkBacksDue).toEqual(expect.any(Number));
    await call('api', 'GET', '/v1/check-backs/due', { token: analyst, query: { limit: '3' } });
    expect(
      (
        await call('api', 'POST', '/v1/lines/{lineId}/check-backs', {
          token: analyst,
          params: { lineId: lineA },
          body: { outcome: 'out_of_use', rationale: 'contract test' },
        })
      ).body.code,
    ).toBe('NO_TYPE_1_CLOSURE');
    // Dead letters waiting: admins only (the figure, and their list).
    expect((await call('api', 'GET', '/v1/overview', { token: admin })).body.deadLetters).toEqual(expect.any(Number));
    expect((await call('api', 'GET', '/v1/overview', { token: analyst })).body.deadLetters).toBeNull();
    expect((await call('api', 'GET', '/v1/dead-letters', { token: admin, query: { status: 'all', limit: '5' } })).status).toBe(200);
    expect((await call('api', 'GET', '/v1/dead-letters', { token: admin, query: { status: 'lost' } })).body.code).toBe('INVALID_QUERY');
    await call('api', 'GET', '/v1/reviews/due', {
      token: analyst,
      query: { by: new Date(Date.now() + 3650 * 86_400_000).toISOString(), limit: '3' },
    });
    expect(
      (
        await call('api', 'POST', '/v1/lines/{lineId}/reviews', {
          token: analyst,
          params: { lineId: lineA },
          body: { decision: 'retain', rationale: 'still of interest' },
        })
      ).status,
    ).toBe(201);
    expect(
      (await call('api', 'POST', '/v1/lines/{lineId}/reviews', { token: analyst, params: { lineId: lineA }, body: { decision: 'keep' } }))
        .body.code,
    ).toBe('INVALID_REVIEW');
    // Disposal (issue 19): a hold, refused twice, cancelled by an admin; a tombstone asked of a line never erased.
    const disposal = { token: analyst, params: { lineId: lineA }, body: { decision: 'dispose', rationale: 'contract test' } };
    expect((await call('api', 'POST', '/v1/lines/{lineId}/reviews', disposal)).status).toBe(201);
    expect((await call('api', 'POST', '/v1/lines/{lineId}/reviews', disposal)).body.code).toBe('DISPOSAL_PENDING');
    const cancel = { token: admin, params: { lineId: lineA }, body: { reason: 'contract test over' } };
    expect((await call('api', 'POST', '/v1/lines/{lineId}/disposal/cancel', cancel)).body.status).toBe('cancelled');
    expect((await call('api', 'POST', '/v1/lines/{lineId}/disposal/cancel', cancel)).body.code).toBe('NO_DISPOSAL_HOLD');
    expect((await call('api', 'GET', '/v1/lines/{lineId}/tombstone', { token: admin, params: { lineId: lineA } })).body.code).toBe(
      'TOMBSTONE_NOT_FOUND',
    );
    const assessed = await call('api', 'POST', '/v1/lines/{lineId}/assessments', {
      token: analyst,
      params: { lineId: lineA },
      body: { decision: 'dormancy_override', rationale: 'quiet for a fortnight between runs', dormancyWindowDays: 14 },
    });
    expect(assessed.status).toBe(202);
    expect(
      (await call('api', 'POST', '/v1/lines/{lineId}/assessments', { token: officer, params: { lineId: lineA }, body: {} })).status,
    ).toBe(403);
  });

  it('the api: line identity (lookup, links, replacement suggestions)', async () => {
    await call('api', 'GET', '/v1/identifiers', { token: analyst, query: { brand: 'Jay' } });
    await call('api', 'GET', '/v1/identifiers', { token: officer, query: { msisdn: '07700 900123' } });
    expect((await call('api', 'GET', '/v1/identifiers', { token: analyst, query: { imei: '123' } })).body.code).toBe('INVALID_IMEI');
    expect((await call('api', 'GET', '/v1/identifiers', { token: analyst, query: { msisdn: '1', imei: '2' } })).body.code).toBe(
      'INVALID_QUERY',
    );
    const why = { rationale: 'contract test' };
    // Lines of their own (A and B are the alert test's): two to merge, and two new lines sharing a brand with
    // lines raided days before (two suggestions: one accepted, one rejected).
    const [merged, survivor] = [`OAPIMB-${tag}`, `OAPIMA-${tag}`];
    const number = `+447933${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    const pairs = ['ACC', 'REJ'].map((kind) => ({
      old: `OAPIO${kind}-${tag}`,
      fresh: `OAPIN${kind}-${tag}`,
      brand: `Brand ${kind} ${tag}`,
    }));
    const feed = [
      aSighting({ lineId: survivor, area: 'bath', occurredAt: daysAgo(3), body: { kind: 'test_purchase' } }),
      aSighting({ lineId: merged, area: 'bath', occurredAt: daysAgo(1), body: { kind: 'test_purchase' } }),
      ...pairs.flatMap(({ old, fresh, brand }) => [
        aSighting({ lineId: old, area: 'bath', occurredAt: daysAgo(9), body: { kind: 'bulk_text', brand } }),
        aRaid([old], { area: 'bath', occurredAt: daysAgo(6) }),
        aSighting({ lineId: fresh, area: 'bath', occurredAt: daysAgo(2), body: { kind: 'bulk_text', brand } }),
      ]),
    ];
    const posted = await fetch(`http://127.0.0.1:${PORTS.ingest}/v1/events`, {
      method: 'POST',
      headers: { authorization: ingest, 'content-type': 'application/json' },
      body: JSON.stringify(feed),
    });
    expect(((await posted.json()) as { summary: { accepted: number } }).summary.accepted).toBe(feed.length);
    for (const lineId of [merged, survivor])
      await waitFor(
        async () =>
          (await fetch(`http://127.0.0.1:${PORTS.api}/v1/lines/${lineId}`, { headers: { authorization: analyst } })).status === 200 ||
          undefined,
        { what: `${lineId} tracked`, timeoutMs: 60_000 },
      );
    const merge = { token: analyst, params: { lineId: merged } };
    expect((await call('api', 'POST', '/v1/lines/{lineId}/merges', { ...merge, body: { into: merged, ...why } })).body.code).toBe(
      'MERGE_INTO_ITSELF',
    );
    expect((await call('api', 'POST', '/v1/lines/{lineId}/unmerges', { ...merge, body: why })).body.code).toBe('MERGE_NOT_FOUND');
    expect((await call('api', 'POST', '/v1/lines/{lineId}/identifiers', { ...merge, body: { msisdn: number, ...why } })).status).toBe(202);
    expect((await call('api', 'POST', '/v1/lines/{lineId}/merges', { ...merge, body: { into: survivor, ...why } })).status).toBe(202);
    await waitFor(
      async () => {
        const found = await fetch(`http://127.0.0.1:${PORTS.api}/v1/identifiers?msisdn=${encodeURIComponent(number)}`, {
          headers: { authorization: analyst },
        });
        return ((await found.json()) as { lines: { lineId: string }[] }).lines.some((l) => l.lineId === survivor) || undefined;
      },
      { what: 'the attachment and the merge applied', timeoutMs: 60_000 },
    );
    // The merged line's id answers its survivor (resolvedFrom), with its identity: the number attached, the alias, the decisions.
    const viaAlias = await call('api', 'GET', '/v1/lines/{lineId}', { token: analyst, params: { lineId: merged } });
    expect(viaAlias.body).toMatchObject({ lineId: survivor, resolvedFrom: merged, currentNumber: number });
    expect((viaAlias.body.identity.aliases as { lineId: string }[]).map((a) => a.lineId)).toEqual([merged]);
    expect((viaAlias.body.identity.links as { type: string }[]).map((l) => l.type)).toEqual(['line.identifier_attached', 'line.merged']);
    expect((await call('api', 'POST', '/v1/lines/{lineId}/unmerges', { ...merge, body: why })).status).toBe(202);
    for (const { fresh } of pairs)
      await waitFor(
        async () => {
          const page = await fetch(`http://127.0.0.1:${PORTS.api}/v1/replacement-suggestions?lineId=${fresh}`, {
            headers: { authorization: analyst },
          });
          return ((await page.json()) as { suggestions?: unknown[] }).suggestions?.length === 1 || undefined;
        },
        { what: `a suggestion for ${fresh}`, timeoutMs: 60_000 },
      );
    const listed = await call('api', 'GET', '/v1/replacement-suggestions', { token: analyst, query: { status: 'open', limit: '500' } });
    expect(listed.body.suggestions.length).toBeGreaterThanOrEqual(2);
    const [accept, reject] = pairs.map(({ old, fresh }) => ({ token: analyst, params: { suggestionId: `${fresh}~${old}` }, body: why }));
    expect((await call('api', 'POST', '/v1/replacement-suggestions/{suggestionId}/accept', accept)).body.suggestion.status).toBe(
      'accepted',
    );
    expect((await call('api', 'POST', '/v1/replacement-suggestions/{suggestionId}/reject', reject)).body.suggestion.status).toBe(
      'rejected',
    );
    const unknown = { token: analyst, params: { suggestionId: `NONE-${tag}~${lineA}` }, body: why };
    expect((await call('api', 'POST', '/v1/replacement-suggestions/{suggestionId}/accept', unknown)).body.code).toBe(
      'SUGGESTION_NOT_FOUND',
    );
    expect((await call('api', 'POST', '/v1/replacement-suggestions/{suggestionId}/reject', unknown)).body.code).toBe(
      'SUGGESTION_NOT_FOUND',
    );
  });

  it('the api: alerts, acknowledgement links and silences', async () => {
    const alertOf = async (lineId: string) =>
      waitFor(
        async () => {
          const page = await fetch(`http://127.0.0.1:${PORTS.api}/v1/alerts?lineId=${lineId}`, { headers: { authorization: analyst } });
          return ((await page.json()) as { alerts?: { alertId: string }[] }).alerts?.[0]?.alertId;
        },
        { what: `an alert for ${lineId}`, timeoutMs: 60_000 },
      );
    [alertA, alertB] = await Promise.all([alertOf(lineA), alertOf(lineB)]);
    await call('api', 'GET', '/v1/alerts', { token: analyst, query: { lineId: lineA, limit: '10' } });
    await call('api', 'GET', '/v1/alerts/{id}', { token: officer, params: { id: alertA } });
    expect((await call('api', 'GET', '/v1/alerts/{id}', { token: analyst, params: { id: 'not-a-uuid' } })).body.code).toBe(
      'INVALID_PARAMETER',
    );
    const token = await signAckToken(LINK_SECRET, { alertId: alertA, recipientId: 'officers' }, new Date());
    expect((await call('api', 'GET', '/v1/alerts/{id}/acknowledge', { params: { id: alertA }, query: { token } })).type).toBe('text/html');
    expect((await call('api', 'GET', '/v1/alerts/{id}/acknowledge', { params: { id: alertA }, query: { token: 'forged' } })).status).toBe(
      401,
    );
    expect((await call('api', 'POST', '/v1/alerts/{id}/acknowledge-link', { params: { id: alertA }, query: { token } })).body.status).toBe(
      'acknowledged',
    );
    expect((await call('api', 'POST', '/v1/alerts/{id}/acknowledge', { token: officer, params: { id: alertA }, body: {} })).body.code).toBe(
      'ALERT_NOT_OPEN',
    );
    expect(
      (await call('api', 'POST', '/v1/alerts/{id}/acknowledge', { token: officer, params: { id: alertB }, body: { note: 'on it' } }))
        .status,
    ).toBe(200);
    expect((await call('api', 'POST', '/v1/alerts/{id}/resolve', { token: analyst, params: { id: alertA }, body: {} })).body.status).toBe(
      'resolved',
    );

    const silence = await call('api', 'POST', '/v1/silences', {
      token: analyst,
      body: { area: 'bath', endsAt: new Date(Date.now() + 3_600_000).toISOString(), reason: 'planned operation' },
    });
    expect(silence.status).toBe(201);
    expect(
      (
        await call('api', 'POST', '/v1/silences', {
          token: analyst,
          body: { area: 'atlantis', endsAt: new Date(Date.now() + 3_600_000).toISOString(), reason: 'x y z' },
        })
      ).body.code,
    ).toBe('UNKNOWN_AREA');
    await call('api', 'GET', '/v1/silences', { token: officer });
    expect((await call('api', 'DELETE', '/v1/silences/{id}', { token: analyst, params: { id: silence.body.silenceId } })).status).toBe(204);
    expect((await call('api', 'DELETE', '/v1/silences/{id}', { token: analyst, params: { id: silence.body.silenceId } })).status).toBe(404);
  });

  it('the api: audit, exports and the live stream', async () => {
    await call('api', 'GET', '/v1/audit', { token: admin, query: { limit: '5' } });
    await call('api', 'GET', '/v1/audit/verify', { token: admin });
    expect((await call('api', 'GET', '/v1/audit', { token: analyst })).status).toBe(403);
    const week = { from: '2026-11-02', to: '2026-11-29' };
    await call('api', 'GET', '/v1/exports/weekly', { token: analyst, query: { ...week, format: 'json' } });
    expect((await call('api', 'GET', '/v1/exports/weekly', { token: analyst, query: { ...week, format: 'csv' } })).type).toBe('text/csv');
    expect((await call('api', 'GET', '/v1/exports/weekly', { token: analyst, query: { from: week.to, to: week.from } })).body.code).toBe(
      'EXPORT_RANGE',
    );
    expect((await call('api', 'GET', '/v1/stream', { token: officer })).type).toBe('text/event-stream');
  });

  it('every documented operation was called', () => {
    const missing = SERVICES.flatMap((service) => operationsOf(service).map((op) => `${service} ${op}`)).filter((op) => !called.has(op));
    expect(missing).toEqual([]);
  });
});
