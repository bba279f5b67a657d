/**
 * What the api takes from a caller, tried from outside (issue 15, defects 2, 4 and 5) against the
 * tracker and the api as real processes: the brand filter matches only what the caller may see
 * (never a brand known only from handling-code C evidence, for an officer) and takes its value
 * literally (no `%`/`_` patterns), comparing brands as line identity does; a silence names a
 * configured area or a well-formed line id; the X-Justification header is recorded in the s.62 log
 * exactly as the person wrote it — raw UTF-8, RFC 8187 from an API client, and from the dashboard
 * in a real browser — and bytes that are not UTF-8 are refused.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Pool } from 'pg';
import { chromium, type Browser } from 'playwright-core';
import type { IntelEventInput, Role, TopicNames } from '@linewatch/contracts';
import { KafkaPublisher, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import {
  aSighting,
  bearer,
  isolatedTopics,
  publishLikeIngest,
  serviceEnv,
  startService,
  testDatabaseConfig,
  testKafkaConfig,
  waitFor,
  type RunningService,
  DAY_MS,
  daysAgo,
} from '@linewatch/testing';

const logger = createLogger('e2e', 'silent');
const BASE_PORT = 27300;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const IN_CI = Boolean(process.env.CI) && process.env.CI !== 'false';
const itWithBrowser = existsSync(CHROMIUM) || IN_CI ? it : it.skip;

describe('what the api takes from a caller', () => {
  let tracker: RunningService;
  let api: RunningService;
  let db: Pool;
  let topics: TopicNames;
  let producer: KafkaPublisher;
  const tag = randomUUID().slice(0, 6).toUpperCase();
  /** A Bath line known only from handling-code C evidence: officers see its events withheld. */
  const secretLine = `BRC-${tag}`;
  const secretBrand = `Zq${tag}`;
  /** A Bath line with handling-code P evidence: everyone in scope may see its brand. */
  const openLine = `BRP-${tag}`;
  const openBrand = `Café  Noir ${tag}`;

  beforeAll(async () => {
    const isolated = await isolatedTopics('api-input');
    topics = isolated.names;
    const env = serviceEnv('timescale', { KAFKA_TOPIC_PREFIX: isolated.prefix, TRACKER_GROUP_ID: `e2e-api-input-${randomUUID()}` });
    [tracker, api] = await Promise.all([startService('tracker', env, BASE_PORT + 3), startService('api', env, BASE_PORT)]);
    db = new Pool({ connectionString: testDatabaseConfig('timescale').url, max: 2 });
    producer = new KafkaPublisher(createKafka(testKafkaConfig('e2e-api-input'), logger));
    const events: IntelEventInput[] = [
      aSighting({
        lineId: secretLine,
        area: 'bath',
        occurredAt: daysAgo(2),
        grading: { source: '1', intelligence: 'B', handling: 'C' },
        body: { kind: 'intelligence_report', brand: secretBrand },
      }),
      aSighting({ lineId: openLine, area: 'bath', occurredAt: daysAgo(2), body: { kind: 'bulk_text', brand: openBrand } }),
    ];
    await publishLikeIngest(producer, topics.intelEvents, events);
    await waitFor(
      async () =>
        (await db.query('SELECT count(*)::int AS n FROM lines WHERE line_id = ANY($1) AND state IS NOT NULL', [[secretLine, openLine]]))
          .rows[0].n === 2 || undefined,
      { what: 'both lines tracked', timeoutMs: 60_000 },
    );
  });

  afterAll(async () => {
    await producer?.disconnect();
    await Promise.all([tracker?.stop(), api?.stop()]);
    await db?.end();
  });

  const authorization = (roles: Role[], areas: string[]) => bearer(roles, areas, `${roles.join('+')}-${areas.join('+') || 'all'}-${tag}`);
  const get = async (path: string, roles: Role[], areas: string[] = []) => {
    const response = await fetch(`${api.url}${path}`, { headers: { authorization: await authorization(roles, areas) } });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, body: (await response.json().catch(() => null)) as any };
  };
  const linesWithBrand = async (brand: string, roles: Role[], areas: string[] = []) => {
    const { status, body } = await get(`/v1/lines?brand=${encodeURIComponent(brand)}`, roles, areas);
    expect(status).toBe(200);
    return (body.lines as { lineId: string }[]).map((line) => line.lineId).filter((id) => id.endsWith(tag));
  };

  describe('the brand filter', () => {
    it('finds a line by a brand known only from handling-code C evidence for an analyst, never for an officer of its area', async () => {
      // The officer's view of the line withholds the brand…
      const view = await get(`/v1/lines/${secretLine}`, ['officer'], ['bath']);
      expect(view.status).toBe(200);
      expect(JSON.stringify(view.body)).not.toContain(secretBrand);
      // …so the filter must not confirm it either.
      expect(await linesWithBrand(secretBrand, ['officer'], ['bath'])).toEqual([]);
      expect(await linesWithBrand(secretBrand, ['analyst'])).toEqual([secretLine]);
    });

    it('takes % and _ as characters, not patterns, so a brand cannot be guessed a character at a time', async () => {
      for (const probe of [`${secretBrand.slice(0, 2)}%`, '%', `${secretBrand.slice(0, -1)}_`, '_%']) {
        expect({ probe, officer: await linesWithBrand(probe, ['officer'], ['bath']) }).toEqual({ probe, officer: [] });
        expect({ probe, analyst: await linesWithBrand(probe, ['analyst']) }).toEqual({ probe, analyst: [] });
      }
      // A prefix is not the brand either: the filter compares whole brands.
      expect(await linesWithBrand(secretBrand.slice(0, -1), ['analyst'])).toEqual([]);
    });

    it('compares brands as line identity does: trimmed, case- and accent-insensitive, inner spaces collapsed', async () => {
      for (const spelling of [openBrand, `  cafe noir ${tag.toLowerCase()} `, `CAFÉ\tNOIR   ${tag}`]) {
        expect({ spelling, officer: await linesWithBrand(spelling, ['officer'], ['bath']) }).toEqual({ spelling, officer: [openLine] });
        expect({ spelling, analyst: await linesWithBrand(spelling, ['analyst']) }).toEqual({ spelling, analyst: [openLine] });
      }
      // An officer of another area finds nothing: the scope still holds.
      expect(await linesWithBrand(openBrand, ['officer'], ['paulton'])).toEqual([]);
    });

    it('refuses a brand that is only spaces', async () => {
      expect(await get(`/v1/lines?brand=${encodeURIComponent('   ')}`, ['analyst'])).toMatchObject({
        status: 400,
        body: { code: 'INVALID_QUERY' },
      });
    });
  });

  describe('silences', () => {
    const silence = async (body: Record<string, unknown>) => {
      const response = await fetch(`${api.url}/v1/silences`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: await authorization(['analyst'], []) },
        body: JSON.stringify({ endsAt: new Date(Date.now() + DAY_MS).toISOString(), reason: `planned operation ${tag}`, ...body }),
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return { status: response.status, body: (await response.json().catch(() => null)) as any };
    };

    it('refuses an area that is not configured, with a code, and stores nothing', async () => {
      const answer = await silence({ area: 'atlantis' });
      expect(answer).toMatchObject({ status: 400, body: { code: 'UNKNOWN_AREA', message: expect.stringContaining('atlantis') } });
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM alert_silences WHERE area = 'atlantis'`);
      expect(rows[0].n).toBe(0);
    });

    it.each([['../../x'], ['BRC 1'], [''], ['x'.repeat(65)], ['-leading-dash']])(
      'refuses the line id %j (the line-id rule of events)',
      async (lineId) => {
        expect(await silence({ lineId })).toMatchObject({ status: 400, body: { code: 'INVALID_SILENCE' } });
      },
    );

    it.each([['Bath'], [' bath'], ['bath/../keynsham']])('refuses the area %j (not an area code)', async (area) => {
      expect((await silence({ area })).status).toBe(400);
    });

    it('still takes a configured area and a well-formed line id', async () => {
      expect(await silence({ area: 'bath' })).toMatchObject({ status: 201, body: { area: 'bath', lineId: null } });
      expect(await silence({ lineId: openLine })).toMatchObject({ status: 201, body: { lineId: openLine, area: null } });
    });
  });

  describe('the justification (X-Justification)', () => {
    /** A read with the header's value sent as these exact bytes (fetch cannot send bytes outside Latin-1 as they are). */
    const readWithHeaderBytes = (path: string, value: Buffer, auth: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = httpRequest(`${api.url}${path}`, {
          headers: { authorization: auth, 'x-justification': value.toString('latin1') },
        });
        request.on('response', (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        });
        request.on('error', reject);
        request.end();
      });
    const logged = async (subjectId: string, actor: string) =>
      (
        await db.query(`SELECT justification FROM disclosure_log WHERE subject_id = $1 AND actor = $2 ORDER BY entry_id`, [
          subjectId,
          actor,
        ])
      ).rows.map((r) => r.justification as string);

    it('records raw UTF-8 bytes exactly as written, not as mojibake', async () => {
      const written = `Überprüfung – Fall ${tag} (Straße, 🚓)`;
      const actor = `utf8-${tag}`;
      const answer = await readWithHeaderBytes(`/v1/lines/${openLine}`, Buffer.from(written, 'utf8'), await bearer(['analyst'], [], actor));
      expect(answer.status).toBe(200);
      expect(await logged(openLine, actor)).toEqual([written]);
    });

    it('records an RFC 8187 percent-encoded justification decoded', async () => {
      const written = `Überprüfung ${tag}: "why" it's (needed)*`;
      const actor = `rfc8187-${tag}`;
      const response = await fetch(`${api.url}/v1/lines/${openLine}`, {
        headers: { authorization: await bearer(['analyst'], [], actor), 'x-justification': `UTF-8''${encodeURIComponent(written)}` },
      });
      expect(response.status).toBe(200);
      expect(await logged(openLine, actor)).toEqual([written]);
    });

    it.each([
      ['bytes that are not UTF-8', Buffer.from([0x55, 0xff, 0xfe, 0x62])],
      ['Latin-1 for ü', Buffer.from('Prüfung', 'latin1')],
      ['an RFC 8187 value whose bytes are not UTF-8', Buffer.from("UTF-8''%FF%FE")],
      ['an RFC 8187 value decoding to NUL', Buffer.from("UTF-8''a%00b")],
    ])('refuses %s with a 400 and a code, and never records it garbled', async (_name, bytes) => {
      const actor = `bad-${randomUUID().slice(0, 8)}`;
      const answer = await readWithHeaderBytes(`/v1/lines/${openLine}`, bytes, await bearer(['analyst'], [], actor));
      expect(answer.status).toBe(400);
      // Raw bytes that are not UTF-8 in any header are refused by the platform's request-text check
      // before the route (INVALID_CHARACTERS); what passes it is decoded by the route (INVALID_JUSTIFICATION).
      expect(JSON.parse(answer.body)).toMatchObject({ code: expect.stringMatching(/^INVALID_(JUSTIFICATION|CHARACTERS)$/) });
      const garbled = [bytes.toString('latin1'), new TextDecoder().decode(bytes)];
      expect((await logged(openLine, actor)).filter((text) => garbled.includes(text))).toEqual([]);
    });

    itWithBrowser('records what a user types in the dashboard, accents and all', async () => {
      const browser: Browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-dev-shm-usage'],
      });
      try {
        const actor = `dashboard-${tag}`;
        const token = (await bearer(['analyst'], [], actor)).replace(/^Bearer /, '');
        const page = await browser.newPage();
        await page.goto(`${api.url}/#token=${token}`);
        await page.locator('.who .subject', { hasText: actor }).waitFor();
        const written = `Überprüfung – Fall ${tag} “Jay” (Straße) 🚓`;
        await page.locator('#justification').fill(written);
        await page.evaluate(`location.hash = '#/lines/${openLine}'`);
        await waitFor(
          async () => {
            const seen = await logged(openLine, actor);
            if (!seen.includes(written)) throw new Error(`logged so far: ${JSON.stringify(seen)}`);
            return true;
          },
          {
            what: 'the dashboard read of the line logged with the justification as typed',
            timeoutMs: 30_000,
          },
        );
      } finally {
        await browser.close();
      }
    });
  });
});
