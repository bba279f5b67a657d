/**
 * Intake by identifier through the real ingest, broker and tracker, on both database flavours
 * (issue 17): the docs' identifier-only example lands on a new line derived from its number
 * (`new`), and GET /v1/events/{id} says it is received but not applied until the tracker runs,
 * then applied on that line; the same number afterwards goes to that line (`held`); a resend is a
 * duplicate naming the same line; a bad number or IMEI is refused with its code; a line named
 * beside a number another line held is kept, with the conflict; an unknown eventId is a 404 with a
 * code; every read of an event's standing is an s.62 consultation.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import type { Role } from '@linewatch/contracts';
import { deriveLineId } from '@linewatch/domain';
import {
  bearer,
  isolatedTopics,
  serviceEnv,
  startService,
  testDatabaseConfig,
  waitFor,
  type DatabaseFlavour,
  type RunningService,
} from '@linewatch/testing';

const EXAMPLE = JSON.parse(
  readFileSync(join(__dirname, '..', 'libs', 'contracts', 'examples', 'line.sighting.by-number.valid.json'), 'utf8'),
) as Record<string, unknown>;

/** A UK mobile number no other suite uses (07911 and six random digits), national and E.164. */
function aFreshNumber(): { national: string; e164: string } {
  const digits = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
  return { national: `07911 ${digits}`, e164: `+447911${digits}` };
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe.each<[DatabaseFlavour, number]>([
  ['timescale', 28300],
  ['postgres', 28400],
])('intake by identifier on %s', (flavour, basePort) => {
  const services: RunningService[] = [];
  let ingest: RunningService;
  let env: NodeJS.ProcessEnv;
  let db: Pool;
  const number = aFreshNumber();
  const newLine = deriveLineId({ kind: 'msisdn', value: number.e164 });
  // The docs' example as a newcomer posts it; its eventId and number fresh, so runs and suites never meet.
  const example = { ...EXAMPLE, eventId: randomUUID(), line: { msisdn: number.national } };

  beforeAll(async () => {
    const isolated = await isolatedTopics(`by-identifier-${flavour}`);
    env = serviceEnv(flavour, { KAFKA_TOPIC_PREFIX: isolated.prefix, TRACKER_GROUP_ID: `e2e-by-identifier-${flavour}-${randomUUID()}` });
    // Ingest alone first: what an event's standing is before the tracker has it is then certain.
    ingest = await startService('ingest', env, basePort + 1);
    services.push(ingest);
    db = new Pool({ connectionString: testDatabaseConfig(flavour).url, max: 2 });
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await db?.end();
  });

  const post = async (body: unknown, roles: readonly Role[] = ['ingest']) => {
    const response = await fetch(`${ingest.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: await bearer(roles) },
      body: JSON.stringify(body),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, body: (await response.json()) as any };
  };
  const standing = async (
    eventId: string,
    roles: readonly Role[] = ['ingest'],
    subject = 'records-system',
    why = 'did my report land?',
  ) => {
    const response = await fetch(`${ingest.url}/v1/events/${eventId}`, {
      headers: { authorization: await bearer(roles, [], subject), 'x-justification': why },
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, body: (await response.json()) as any };
  };
  const sighting = (line: Record<string, unknown>, occurredAt = minutesAgo(30)) => ({
    ...EXAMPLE,
    eventId: randomUUID(),
    occurredAt,
    ...line,
  });

  it("takes the docs' identifier-only example onto a new line derived from its number; received, not applied, until the tracker runs", async () => {
    expect(newLine).toMatch(/^N-[A-Z2-7]{26}$/);
    const first = await post(example);
    expect(first).toEqual({
      status: 202,
      body: {
        index: 0,
        eventId: example.eventId,
        status: 'accepted',
        lineId: newLine,
        how: 'new',
        lines: [{ lineId: newLine, how: 'new' }],
      },
    });
    // A resend is a duplicate and names the same line.
    expect(await post(example)).toMatchObject({ status: 200, body: { status: 'duplicate', lineId: newLine, how: 'new' } });

    expect(await standing(example.eventId as string)).toMatchObject({
      status: 200,
      body: {
        eventId: example.eventId,
        status: 'received',
        received: true,
        stored: false,
        applied: false,
        lines: [{ lineId: newLine, how: 'new', state: null }],
      },
    });

    services.push(await startService('tracker', env, basePort + 3));
    const applied = await waitFor(
      async () => {
        const { body } = await standing(example.eventId as string);
        return body.status === 'applied' ? body : undefined;
      },
      { what: 'the example applied on its new line', timeoutMs: 60_000 },
    );
    expect(applied).toMatchObject({
      received: true,
      stored: true,
      type: 'line.sighting',
      area: 'bath',
      lines: [{ lineId: newLine, how: 'new', state: 'active' }],
    });
    expect(applied.receivedAt).toEqual(expect.any(String));
    // The stored event carries its resolution; the identifier is normalised.
    const { rows } = await db.query(
      `SELECT e.payload FROM intel_event_ids k JOIN intel_events e USING (event_id, occurred_at) WHERE k.event_id = $1`,
      [example.eventId],
    );
    expect(rows[0].payload).toMatchObject({ lineId: newLine, line: { msisdn: number.e164, resolution: { lineId: newLine, how: 'new' } } });
    // Still a duplicate once stored, naming the same line.
    expect(await post(example)).toMatchObject({ status: 200, body: { status: 'duplicate', lineId: newLine } });
  });

  it('sends the same number, once the line holds it, to that line (held); a later resend names it too', async () => {
    await waitFor(
      async () =>
        (await db.query(`SELECT 1 FROM line_identifiers WHERE kind = 'msisdn' AND value = $1 AND line_id = $2`, [number.e164, newLine]))
          .rowCount === 1 || undefined,
      { what: 'the number on its line', timeoutMs: 60_000 },
    );
    const second = sighting({ line: { msisdn: number.e164 } }, minutesAgo(10));
    expect(await post(second)).toMatchObject({ status: 202, body: { status: 'accepted', lineId: newLine, how: 'held' } });
    expect(await post(second)).toMatchObject({ status: 200, body: { status: 'duplicate', lineId: newLine, how: 'held' } });
  });

  it('keeps a line named beside a number another line held then, and says so (conflictWith)', async () => {
    const named = `KAY-${randomUUID().slice(0, 8).toUpperCase()}`;
    const answer = await post(sighting({ lineId: named, line: { msisdn: number.national } }, minutesAgo(5)));
    expect(answer).toEqual({
      status: 202,
      body: expect.objectContaining({
        status: 'accepted',
        lineId: named,
        how: 'given',
        conflictWith: newLine,
        lines: [{ lineId: named, how: 'given', conflictWith: newLine }],
      }),
    });
    const applied = await waitFor(
      async () => {
        const { body } = await standing(answer.body.eventId, ['analyst'], 'analyst-e2e');
        return body.status === 'applied' ? body : undefined;
      },
      { what: 'the named line applied', timeoutMs: 60_000 },
    );
    expect(applied.lines).toEqual([{ lineId: named, how: 'given', conflictWith: newLine, state: 'active' }]);
  });

  it('refuses a bad number or IMEI naming the line, each event alone, with its code', async () => {
    const badNumber = sighting({ line: { msisdn: '07700 90078' } });
    const badImei = sighting({ line: { imei: '353918057812346' } });
    const good = sighting({ line: { msisdn: number.e164 } });
    const { status, body } = await post([badNumber, badImei, good]);
    expect(status).toBe(200);
    expect(body.results).toEqual([
      expect.objectContaining({
        index: 0,
        status: 'rejected',
        code: 'INVALID_MSISDN',
        errors: [expect.objectContaining({ path: 'line.msisdn' })],
      }),
      expect.objectContaining({
        index: 1,
        status: 'rejected',
        code: 'INVALID_IMEI',
        errors: [expect.objectContaining({ path: 'line.imei' })],
      }),
      expect.objectContaining({ index: 2, status: 'accepted', lineId: newLine, how: 'held' }),
    ]);
    expect(await post(badNumber)).toMatchObject({ status: 422, body: { status: 'rejected', code: 'INVALID_MSISDN' } });
  });

  it('answers an unknown eventId with 404 EVENT_NOT_FOUND; only ingest and analysts may ask; every read is an s.62 consultation', async () => {
    const unknown = randomUUID();
    expect(await standing(unknown)).toMatchObject({ status: 404, body: { code: 'EVENT_NOT_FOUND' } });
    expect(await standing('not-a-uuid')).toMatchObject({ status: 400, body: { code: 'INVALID_PARAMETER' } });
    expect((await standing(example.eventId as string, ['officer'])).status).toBe(403);
    const { rows } = await db.query(
      `SELECT actor, subject_id, justification, details FROM disclosure_log
       WHERE action = 'consultation' AND subject_type = 'intel-event' AND subject_id = ANY($1::text[]) ORDER BY entry_id`,
      [[unknown, example.eventId]],
    );
    expect(rows.filter((r) => r.subject_id === unknown)).toEqual([
      expect.objectContaining({
        actor: 'records-system',
        justification: 'did my report land?',
        details: expect.objectContaining({ found: false }),
      }),
    ]);
    expect(rows.filter((r) => r.subject_id === example.eventId).map((r) => r.details.status)).toEqual(
      expect.arrayContaining(['received', 'applied']),
    );
  });

  it('reads X-Justification as the api does: an RFC 8187 ext-value is decoded, bytes that are not UTF-8 are a 400 (nothing logged as mojibake)', async () => {
    const why = 'réf. № 12 — did it land?';
    const asked = randomUUID();
    expect((await standing(asked, ['ingest'], 'records-system-8187', `UTF-8''${encodeURIComponent(why)}`)).status).toBe(404);
    const { rows } = await db.query(`SELECT justification FROM disclosure_log WHERE action = 'consultation' AND subject_id = $1`, [asked]);
    expect(rows.map((r) => r.justification)).toEqual([why]);
    // A Latin-1 byte (é as 0xE9) is not UTF-8: refused by the platform's request-text check before the route runs.
    const latin1 = await fetch(`${ingest.url}/v1/events/${asked}`, {
      headers: { authorization: await bearer(['ingest']), 'x-justification': Buffer.from('r\u00e9f', 'latin1').toString('latin1') },
    });
    expect({ status: latin1.status, body: await latin1.json() }).toMatchObject({ status: 400, body: { code: 'INVALID_CHARACTERS' } });
  });
});
