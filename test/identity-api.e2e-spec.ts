/**
 * The api's line-identity routes over the real api, tracker and broker (issue 17): lookup by
 * number, handset and brand for analysts (every line) and officers (their areas only, and never
 * through an identifier or brand known only from handling-C evidence), the lines list's msisdn
 * filter under the same rules, each lookup an s.62 consultation naming what was looked up;
 * analysts' merges, unmerges and attachments published by the api and applied by the tracker
 * (the merged line resolves to its survivor, one combination entry), refused first with their
 * codes (409 / 404); replacement suggestions listed, accepted (a merge) and rejected, and
 * announced on the live stream to analysts only. On both database flavours.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { isLuhnValid, type IntelEventInput, type Role } from '@linewatch/contracts';
import { KafkaPublisher, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import {
  aRaid,
  aSighting,
  bearer,
  daysAgo,
  isolatedTopics,
  publishLikeIngest,
  serviceEnv,
  startService,
  testDatabaseConfig,
  testKafkaConfig,
  waitFor,
  type DatabaseFlavour,
  type RunningService,
} from '@linewatch/testing';

const logger = createLogger('e2e', 'silent');
const unique = () => randomUUID().slice(0, 8).toUpperCase();

/** A fresh UK mobile number no other suite uses (07922 and six random digits): national form and E.164. */
function aNumber(): { national: string; e164: string } {
  const digits = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
  return { national: `07922 ${digits}`, e164: `+447922${digits}` };
}

/** A fresh IMEI with a valid check digit. */
function anImei(): string {
  const body = Array.from({ length: 14 }, () => Math.floor(Math.random() * 10)).join('');
  const check = [...'0123456789'].find((digit) => isLuhnValid(body + digit))!;
  return body + check;
}

describe.each<[DatabaseFlavour, number]>([
  ['timescale', 28700],
  ['postgres', 28800],
])('line identity through the api on %s', (flavour, basePort) => {
  const services: RunningService[] = [];
  let api: RunningService;
  let db: Pool;
  let producer: KafkaPublisher;
  let intelTopic: string;
  const tag = unique();
  const analystSubject = `analyst-${tag}`;
  const officerSubject = `officer-bath-${tag}`;

  beforeAll(async () => {
    const isolated = await isolatedTopics(`identity-api-${flavour}`);
    intelTopic = isolated.names.intelEvents;
    const env = serviceEnv(flavour, {
      KAFKA_TOPIC_PREFIX: isolated.prefix,
      TRACKER_GROUP_ID: `e2e-identity-api-${randomUUID()}`,
      TRACKER_RELAY_INTERVAL_MS: '200',
    });
    const [tracker, started] = await Promise.all([startService('tracker', env, basePort + 3), startService('api', env, basePort)]);
    services.push(tracker, started);
    api = started;
    db = new Pool({ connectionString: testDatabaseConfig(flavour).url, max: 2 });
    producer = new KafkaPublisher(createKafka(testKafkaConfig(`e2e-identity-api-${flavour}`), logger));
  });

  afterAll(async () => {
    await producer?.disconnect();
    await Promise.all(services.map((s) => s.stop()));
    await db?.end();
  });

  const produce = (...events: IntelEventInput[]) => publishLikeIngest(producer, intelTopic, events);
  const token = (roles: readonly Role[], areas: readonly string[] = []) =>
    bearer(roles, areas, roles.includes('officer') ? officerSubject : analystSubject);
  const request = async (method: string, path: string, roles: readonly Role[], options: { areas?: string[]; body?: unknown } = {}) => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: {
        authorization: await token(roles, options.areas),
        'x-justification': 'e2e identity',
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, body: (await response.json()) as any };
  };
  const analyst = (method: string, path: string, body?: unknown) => request(method, path, ['analyst'], { body });
  const officer = (method: string, path: string, body?: unknown) => request(method, path, ['officer'], { areas: ['bath'], body });
  const lookup = (as: typeof analyst, query: Record<string, string>) => as('GET', `/v1/identifiers?${new URLSearchParams(query)}`);
  const lineIds = (answer: { body: { lines: { lineId: string }[] } }) => answer.body.lines.map((l) => l.lineId).sort();
  const lineRow = (lineId: string) => db.query('SELECT state, merged_into FROM lines WHERE line_id = $1', [lineId]).then((r) => r.rows[0]);
  const heldBy = (value: string) =>
    db.query(`SELECT line_id FROM line_identifiers WHERE value = $1 ORDER BY line_id`, [value]).then((r) => r.rows.map((x) => x.line_id));
  const waitForHeld = (value: string, lines: string[]) =>
    waitFor(async () => (JSON.stringify(await heldBy(value)) === JSON.stringify([...lines].sort()) ? true : undefined), {
      what: `${value} held by ${lines.join(', ')}`,
      timeoutMs: 60_000,
    });
  const auditOf = (action: string, subjectType: string, subjectId: string) =>
    db
      .query(`SELECT actor, justification, details FROM disclosure_log WHERE action = $1 AND subject_type = $2 AND subject_id = $3`, [
        action,
        subjectType,
        subjectId,
      ])
      .then((r) => r.rows);

  interface Sse {
    readonly events: { id: string; event: string; data: Record<string, unknown> }[];
    close(): void;
  }
  const streams: Sse[] = [];
  afterAll(() => streams.forEach((stream) => stream.close()));
  /** The live stream (server-sent events) over fetch: collects events until closed. */
  const openStream = async (roles: Role[], areas: string[]): Promise<Sse> => {
    const controller = new AbortController();
    const response = await fetch(`${api.url}/v1/stream`, {
      headers: { authorization: await bearer(roles, areas, `sse-${roles.join('+')}-${tag}`) },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const events: Sse['events'] = [];
    const reader = response.body!.getReader();
    let buffer = '';
    void (async () => {
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done || !value) return;
        buffer += Buffer.from(value).toString('utf8');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const field = (name: string) =>
            block
              .split('\n')
              .find((l) => l.startsWith(`${name}: `))
              ?.slice(name.length + 2);
          const data = field('data');
          if (data) events.push({ id: field('id') ?? '', event: field('event') ?? '', data: JSON.parse(data) as Record<string, unknown> });
        }
      }
    })();
    const stream = { events, close: () => controller.abort() };
    streams.push(stream);
    return stream;
  };
  /** Stream ids are "<ms>-<seq>". */
  const laterThan = (a: string, b: string) => {
    const [am, as] = a.split('-').map(Number);
    const [bm, bs] = b.split('-').map(Number);
    return am > bm || (am === bm && as > bs);
  };

  it('looks lines up by number, handset and brand: analysts every line, officers their areas, never through handling-C evidence', async () => {
    const [inBath, inPaulton, cOnly] = [`LKB-${tag}`, `LKP-${tag}`, `LKC-${tag}`];
    const [shared, later, secret] = [aNumber(), aNumber(), aNumber()];
    const brand = `Brand ${tag}`;
    const secretBrand = `Hidden ${tag}`;
    await produce(
      // The shared number: Paulton's line first (until it changed number), then Bath's.
      aSighting({ lineId: inPaulton, area: 'paulton', occurredAt: daysAgo(20), body: { kind: 'bulk_text', brand, msisdn: shared.e164 } }),
      {
        eventId: randomUUID(),
        type: 'line.number_changed',
        occurredAt: daysAgo(15),
        area: 'paulton',
        grading: { source: '1', intelligence: 'B', handling: 'P' },
        source: { system: 'e2e', reference: 'NC' },
        lineId: inPaulton,
        body: { previousMsisdn: shared.e164, newMsisdn: later.e164 },
      } as IntelEventInput,
      aSighting({ lineId: inBath, area: 'bath', occurredAt: daysAgo(5), body: { kind: 'test_purchase', brand, msisdn: shared.e164 } }),
      // Known only from a handling-C report: in Bath, but never found or shown through it for an officer.
      aSighting({
        lineId: cOnly,
        area: 'bath',
        occurredAt: daysAgo(3),
        grading: { source: '2', intelligence: 'B', handling: 'C' },
        body: { kind: 'intelligence_report', brand: secretBrand, msisdn: secret.e164 },
      }),
    );
    await waitForHeld(shared.e164, [inBath, inPaulton]);
    await waitForHeld(secret.e164, [cOnly]);

    const byAnalyst = await lookup(analyst, { msisdn: shared.national });
    expect(byAnalyst.status).toBe(200);
    expect(byAnalyst.body.lookedUp).toEqual({ kind: 'msisdn', value: shared.e164 });
    expect(lineIds(byAnalyst)).toEqual([inBath, inPaulton].sort());
    const paulton = byAnalyst.body.lines.find((l: { lineId: string }) => l.lineId === inPaulton);
    expect(paulton.intervals).toEqual([
      expect.objectContaining({ kind: 'msisdn', value: shared.e164, from: expect.any(String), to: expect.any(String) }),
    ]);
    expect(new Date(paulton.intervals[0].to).getTime()).toBeLessThan(Date.now() - 14 * 86_400_000);

    // The officer (Bath) sees Bath's line only; the C-only number and brand are not found at all.
    expect(paulton.intervals[0].startedBy).toEqual(expect.any(String));
    const forOfficer = await lookup(officer, { msisdn: shared.e164 });
    expect(lineIds(forOfficer)).toEqual([inBath]);
    // Which event started an interval is the analysts' (it may be a handling-C report).
    expect(forOfficer.body.lines[0].intervals[0]).not.toHaveProperty('startedBy');
    expect(await lookup(officer, { msisdn: secret.e164 })).toMatchObject({ status: 200, body: { lines: [] } });
    expect(lineIds(await lookup(analyst, { msisdn: secret.e164 }))).toEqual([cOnly]);
    expect(await lookup(officer, { brand: secretBrand.toLowerCase() })).toMatchObject({ status: 200, body: { lines: [] } });
    const brandForAnalyst = await lookup(analyst, { brand: `  ${secretBrand.toUpperCase()} ` });
    expect(brandForAnalyst.body.lines).toEqual([
      expect.objectContaining({
        lineId: cOnly,
        brand: expect.objectContaining({ brand: secretBrand.toLowerCase(), writtenAs: [secretBrand] }),
      }),
    ]);
    // Whole brands, never a pattern.
    for (const probe of [`${secretBrand.slice(0, 3)}%`, '%', `${brand.slice(0, -1)}_`])
      expect({ probe, lines: (await lookup(analyst, { brand: probe })).body.lines }).toEqual({ probe, lines: [] });
    const brandForOfficer = await lookup(officer, { brand });
    expect(lineIds(brandForOfficer)).toEqual([inBath]);
    expect(brandForOfficer.body.lines[0].brand.writtenAs).toBeUndefined();

    // The lines list filter: the same scope and the same rule, the number matched whole.
    const list = (as: typeof analyst, query: Record<string, string>) => as('GET', `/v1/lines?${new URLSearchParams(query)}`);
    expect((await list(analyst, { msisdn: shared.national })).body.lines.map((l: { lineId: string }) => l.lineId).sort()).toEqual(
      [inBath, inPaulton].sort(),
    );
    expect((await list(officer, { msisdn: shared.e164 })).body.lines.map((l: { lineId: string }) => l.lineId)).toEqual([inBath]);
    expect((await list(officer, { msisdn: secret.e164 })).body.lines).toEqual([]);
    expect((await list(analyst, { msisdn: secret.e164 })).body.lines.map((l: { lineId: string }) => l.lineId)).toEqual([cOnly]);
    expect((await list(analyst, { msisdn: aNumber().e164 })).body.lines).toEqual([]);
    // Whole numbers only, never a pattern.
    expect(await list(analyst, { msisdn: `${shared.e164.slice(0, -3)}%` })).toMatchObject({
      status: 400,
      body: { code: 'INVALID_MSISDN' },
    });
    expect(await list(analyst, { imei: '12345' })).toMatchObject({ status: 400, body: { code: 'INVALID_IMEI' } });

    // Bad input, each with its code.
    expect(await lookup(analyst, { msisdn: '12' })).toMatchObject({ status: 400, body: { code: 'INVALID_MSISDN' } });
    expect(await lookup(analyst, { imei: '490154203237519' })).toMatchObject({ status: 400, body: { code: 'INVALID_IMEI' } });
    expect(await lookup(analyst, { msisdn: shared.e164, brand })).toMatchObject({ status: 400, body: { code: 'INVALID_QUERY' } });
    expect(await lookup(analyst, {})).toMatchObject({ status: 400, body: { code: 'INVALID_QUERY' } });
    expect((await request('GET', `/v1/identifiers?msisdn=${shared.e164}`, ['partner'])).status).toBe(403);

    // Every lookup is a consultation naming what was looked up, who, and what it answered — a miss too.
    const consulted = await auditOf('consultation', 'identifier', `msisdn:${secret.e164}`);
    expect(consulted).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: officerSubject,
          justification: 'e2e identity',
          details: expect.objectContaining({ lookedUp: { kind: 'msisdn', value: secret.e164 }, lines: [] }),
        }),
        expect.objectContaining({ actor: analystSubject, details: expect.objectContaining({ lines: [cOnly] }) }),
      ]),
    );
  });

  it('merges, unmerges and attaches through the api: refused first with their codes, applied by the tracker', async () => {
    const [a, b] = [`MGA-${tag}`, `MGB-${tag}`];
    const numberB = aNumber();
    await produce(
      aSighting({ lineId: a, area: 'paulton', occurredAt: daysAgo(10), body: { kind: 'bulk_text', brand: `Merge ${tag}` } }),
      aSighting({
        lineId: b,
        area: 'paulton',
        occurredAt: daysAgo(2),
        body: { kind: 'test_purchase', msisdn: numberB.e164, brand: `Bee ${tag}` },
      }),
    );
    const byBrand = async (brand: string) =>
      ((await analyst('GET', `/v1/lines?brand=${encodeURIComponent(brand)}`)).body.lines as { lineId: string }[]).map((l) => l.lineId);
    await waitForHeld(numberB.e164, [b]);
    await waitFor(async () => ((await lineRow(a))?.state === 'active' ? true : undefined), { what: 'A tracked' });

    const merges = (lineId: string) => `/v1/lines/${lineId}/merges`;
    const why = { rationale: 'same brand, same runners, new handset' };
    expect(await analyst('POST', merges(b), { into: b, ...why })).toMatchObject({ status: 409, body: { code: 'MERGE_INTO_ITSELF' } });
    expect(await analyst('POST', merges(b), { into: `NONE-${tag}`, ...why })).toMatchObject({
      status: 404,
      body: { code: 'LINE_NOT_FOUND' },
    });
    expect(await analyst('POST', merges(`NONE-${tag}`), { into: a, ...why })).toMatchObject({
      status: 404,
      body: { code: 'LINE_NOT_FOUND' },
    });
    expect(await analyst('POST', `/v1/lines/${b}/unmerges`, why)).toMatchObject({ status: 404, body: { code: 'MERGE_NOT_FOUND' } });
    expect(await analyst('POST', `/v1/lines/${b}/unmerges`, { ...why, mergeEventId: randomUUID() })).toMatchObject({
      status: 404,
      body: { code: 'MERGE_NOT_FOUND' },
    });
    expect(await analyst('POST', merges(b), { into: a })).toMatchObject({ status: 400, body: { code: 'INVALID_LINK_DECISION' } });
    expect((await officer('POST', merges(b), { into: a, ...why })).status).toBe(403);

    const merged = await analyst('POST', merges(b), { into: a, ...why });
    expect(merged).toMatchObject({
      status: 202,
      body: { status: 'accepted', event: { type: 'line.merged', lineId: b, body: { into: a, decidedBy: analystSubject } } },
    });
    await waitFor(async () => ((await lineRow(b))?.merged_into === a ? true : undefined), { what: 'B merged into A', timeoutMs: 60_000 });
    // B's number is A's now: the lookup answers the survivor.
    await waitForHeld(numberB.e164, [a]);
    expect(lineIds(await lookup(analyst, { msisdn: numberB.e164 }))).toEqual([a]);
    // B's brand too: the lines list's brand filter finds the survivor (the merged line is not listed).
    await waitFor(async () => ((await byBrand(`bee ${tag}`)).join() === a ? true : undefined), {
      what: 'the brand only B named finds A',
      timeoutMs: 60_000,
    });
    expect(await auditOf('combination', 'line', a)).toEqual([
      expect.objectContaining({
        actor: analystSubject,
        justification: why.rationale,
        details: expect.objectContaining({ decision: 'merge', lines: [b, a], eventId: merged.body.eventId }),
      }),
    ]);

    // Now in force: the same merge again, and the reverse (a cycle), are conflicts.
    expect(await analyst('POST', merges(b), { into: a, ...why })).toMatchObject({ status: 409, body: { code: 'ALREADY_MERGED' } });
    expect(await analyst('POST', merges(a), { into: b, ...why })).toMatchObject({ status: 409, body: { code: 'MERGE_INTO_OWN_ALIAS' } });

    // Attach a handset from an instant.
    const imei = anImei();
    const attach = (body: unknown) => analyst('POST', `/v1/lines/${a}/identifiers`, body);
    expect(await attach({ imei: '490154203237519', rationale: 'seized handset' })).toMatchObject({
      status: 400,
      body: { code: 'INVALID_IMEI' },
    });
    expect(await attach({ msisdn: 'not a number', rationale: 'x y z' })).toMatchObject({ status: 400, body: { code: 'INVALID_MSISDN' } });
    expect(await attach({ rationale: 'nothing named' })).toMatchObject({ status: 400, body: { code: 'INVALID_LINK_DECISION' } });
    const attached = await attach({ imei, from: daysAgo(1), rationale: 'handset seized from the runner' });
    expect(attached).toMatchObject({ status: 202, body: { event: { type: 'line.identifier_attached', body: { imei } } } });
    await waitForHeld(imei, [a]);
    expect((await lookup(analyst, { imei })).body.lines).toEqual([
      expect.objectContaining({ lineId: a, intervals: [expect.objectContaining({ kind: 'imei', value: imei, to: null })] }),
    ]);

    // Unmerge (the merge in force): both lines as they were.
    const unmerged = await analyst('POST', `/v1/lines/${b}/unmerges`, { rationale: 'two lines after all' });
    expect(unmerged).toMatchObject({
      status: 202,
      body: { event: { type: 'line.unmerged', body: { mergeEventId: merged.body.eventId } } },
    });
    await waitFor(async () => ((await lineRow(b))?.merged_into === null ? true : undefined), { what: 'B unmerged', timeoutMs: 60_000 });
    await waitForHeld(numberB.e164, [b]);
    expect((await auditOf('combination', 'line', b)).map((c) => c.details.decision)).toEqual(['unmerge']);
  });

  it('lists replacement suggestions with their reasons; accept merges the new line into the old, reject keeps it rejected', async () => {
    const pair = async (name: string) => {
      const brand = `${name} ${tag}`;
      const [old, fresh] = [`OLD${name}-${tag}`, `NEW${name}-${tag}`];
      await produce(
        aSighting({ lineId: old, area: 'midsomer-norton', occurredAt: daysAgo(9), body: { kind: 'bulk_text', brand } }),
        aRaid([old], { area: 'midsomer-norton', occurredAt: daysAgo(6) }),
      );
      await waitFor(async () => ((await lineRow(old))?.state === 'disrupted' ? true : undefined), { what: `${old} disrupted` });
      await produce(aSighting({ lineId: fresh, area: 'paulton', occurredAt: daysAgo(2), body: { kind: 'bulk_text', brand } }));
      return { old, fresh, id: `${fresh}~${old}` };
    };
    // Announced on the live stream to analysts only: an officer of the area does not get it.
    const [analystLive, officerLive] = await Promise.all([openStream(['analyst'], []), openStream(['officer'], ['paulton'])]);
    const [kept, dropped] = await Promise.all([pair('Acc'), pair('Rej')]);
    const listed = await waitFor(
      async () => {
        const answer = await analyst('GET', `/v1/replacement-suggestions?status=open&lineId=${kept.fresh}`);
        return answer.body.suggestions?.length === 1 ? answer : undefined;
      },
      { what: 'the suggestion listed', timeoutMs: 60_000 },
    );
    expect(listed.body.suggestions[0]).toMatchObject({
      id: kept.id,
      lineId: kept.fresh,
      replaces: kept.old,
      status: 'open',
      reasons: { area: 'paulton', sameArea: false, matchingAreas: ['midsomer-norton'], ending: { kind: 'disrupted' } },
      decidedAt: null,
    });
    expect(listed.body.suggestions[0].reasons.daysBetween).toBeCloseTo(4, 0);
    const announced = await waitFor(() => analystLive.events.find((e) => e.event === 'replacement-suggestion' && e.data.id === kept.id), {
      what: 'the suggestion on the analyst’s live stream',
      timeoutMs: 60_000,
    });
    expect(announced.data).toEqual(listed.body.suggestions[0]);
    // Something later in the stream reaches the officer: by then the suggestion would have too.
    const later = `LIVE-${tag}`;
    await produce(aSighting({ lineId: later, area: 'paulton', occurredAt: daysAgo(1), body: { kind: 'test_purchase' } }));
    await waitFor(() => officerLive.events.find((e) => e.data.lineId === later && laterThan(e.id, announced.id)), {
      what: 'a later change on the officer’s live stream',
      timeoutMs: 60_000,
    });
    expect(officerLive.events.filter((e) => e.event === 'replacement-suggestion')).toEqual([]);
    analystLive.close();
    officerLive.close();
    expect((await officer('GET', '/v1/replacement-suggestions')).status).toBe(403);

    const accepted = await analyst('POST', `/v1/replacement-suggestions/${kept.id}/accept`, {
      rationale: 'the brand moved to a new phone',
    });
    expect(accepted).toMatchObject({
      status: 200,
      body: {
        suggestion: { id: kept.id, status: 'accepted', decidedBy: analystSubject },
        merge: { status: 'accepted', event: { type: 'line.merged', lineId: kept.fresh, body: { into: kept.old } } },
      },
    });
    await waitFor(async () => ((await lineRow(kept.fresh))?.merged_into === kept.old ? true : undefined), {
      what: 'the new line merged into the old',
      timeoutMs: 60_000,
    });
    await waitFor(async () => ((await lineRow(kept.old))?.state === 'active' ? true : undefined), { what: 'the old line active again' });
    expect(await analyst('POST', `/v1/replacement-suggestions/${kept.id}/accept`, { rationale: 'again' })).toMatchObject({
      status: 409,
      body: { code: 'SUGGESTION_NOT_OPEN' },
    });

    await waitFor(
      async () =>
        (await analyst('GET', `/v1/replacement-suggestions?lineId=${dropped.fresh}`)).body.suggestions?.length === 1 ? true : undefined,
      {
        what: 'the second suggestion listed',
        timeoutMs: 60_000,
      },
    );
    const rejected = await analyst('POST', `/v1/replacement-suggestions/${dropped.id}/reject`, { rationale: 'different group, same name' });
    expect(rejected).toMatchObject({ status: 200, body: { suggestion: { status: 'rejected' }, merge: null } });
    expect((await analyst('GET', `/v1/replacement-suggestions?status=rejected&lineId=${dropped.fresh}`)).body.suggestions).toEqual([
      expect.objectContaining({ id: dropped.id, status: 'rejected', decisionReason: 'different group, same name' }),
    ]);
    expect((await lineRow(dropped.fresh))?.merged_into).toBeNull();
    expect(await analyst('POST', `/v1/replacement-suggestions/NONE-${tag}~${dropped.old}/accept`, { rationale: 'x y z' })).toMatchObject({
      status: 404,
      body: { code: 'SUGGESTION_NOT_FOUND' },
    });
    expect(await analyst('POST', `/v1/replacement-suggestions/not-a-pair/reject`, { rationale: 'x y z' })).toMatchObject({
      status: 400,
      body: { code: 'INVALID_PARAMETER' },
    });

    // Reported the other way round: the new line first, then the old line's sighting and raid together (one
    // batch: the old line appears and ends at once) — the rule runs from the ending's side.
    const [lateOld, lateNew, lateBrand] = [`OLDLATE-${tag}`, `NEWLATE-${tag}`, `Late ${tag}`];
    await produce(aSighting({ lineId: lateNew, area: 'paulton', occurredAt: daysAgo(2), body: { kind: 'bulk_text', brand: lateBrand } }));
    await waitFor(async () => ((await lineRow(lateNew))?.state === 'active' ? true : undefined), { what: 'the new line tracked' });
    await produce(
      aSighting({ lineId: lateOld, area: 'paulton', occurredAt: daysAgo(9), body: { kind: 'bulk_text', brand: lateBrand } }),
      aRaid([lateOld], { area: 'paulton', occurredAt: daysAgo(6) }),
    );
    const late = await waitFor(async () => (await analyst('GET', `/v1/replacement-suggestions?lineId=${lateNew}`)).body.suggestions?.[0], {
      what: 'the suggestion from the ending’s side',
      timeoutMs: 60_000,
    });
    expect(late).toMatchObject({ id: `${lateNew}~${lateOld}`, reasons: { sameArea: true, ending: { kind: 'disrupted' } } });

    // Each answer is an s.62 alteration of the suggestion; the accepted merge the tracker's combination.
    expect((await auditOf('alteration', 'replacement-suggestion', kept.id)).map((e) => e.details.decision)).toEqual(['accepted']);
    expect((await auditOf('alteration', 'replacement-suggestion', dropped.id)).map((e) => e.details.decision)).toEqual(['rejected']);
    await waitFor(async () => ((await auditOf('combination', 'line', kept.old)).length === 1 ? true : undefined), {
      what: 'the merge’s combination entry',
    });
  });
});
