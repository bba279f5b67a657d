/**
 * A CSV upload that fails part-way (issue 15, defect 6), sent to ingest as a real process over HTTP
 * in several chunk splits: the rows before the failure are published and counted as accepted (as
 * NDJSON's are, docs/reliability.md), and the answer names the row of the failure, the same however
 * the body arrived.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { CSV_COLUMNS, eventToCsvRecord } from '@linewatch/contracts';
import { aSighting, bearer, isolatedTopics, serviceEnv, startService, type RunningService } from '@linewatch/testing';

const BASE_PORT = 27400;

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

const quoted = (record: Record<string, string>) => CSV_COLUMNS.map((c) => `"${(record[c] ?? '').replace(/"/g, '""')}"`).join(',');
const HEADER = Buffer.from(`${CSV_COLUMNS.join(',')}\r\n`);

/** Three valid sightings as CSV rows (fresh event ids), and their ids. */
function threeGoodRows(): { bytes: Buffer; eventIds: string[] } {
  const events = [1, 2, 3].map((n) => aSighting({ area: 'bath', lineId: `CSV-${randomUUID().slice(0, 8)}-${n}` }));
  const rows = events.map((event) => `${quoted(eventToCsvRecord(event as Record<string, unknown>))}\r\n`);
  return { bytes: Buffer.concat([HEADER, Buffer.from(rows.join(''))]), eventIds: events.map((e) => e.eventId as string) };
}

/** How a body is cut into the pieces written to the socket one after the other. */
const SPLITS: Record<string, (bytes: Buffer, failureAt: number) => Buffer[]> = {
  whole: (bytes) => [bytes],
  'two pieces, cut inside row 2': (bytes) => [bytes.subarray(0, HEADER.length + 40), bytes.subarray(HEADER.length + 40)],
  'two pieces, cut just before the failure': (bytes, at) => [bytes.subarray(0, at), bytes.subarray(at)],
  'two pieces, cut just after the failure began': (bytes, at) => [bytes.subarray(0, at + 1), bytes.subarray(at + 1)],
  'pieces of 64 bytes': (bytes) => Array.from({ length: Math.ceil(bytes.length / 64) }, (_, i) => bytes.subarray(i * 64, i * 64 + 64)),
  'pieces of 7 bytes': (bytes) => Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7)),
};

describe('a CSV upload that fails part-way', () => {
  let ingest: RunningService;

  beforeAll(async () => {
    const isolated = await isolatedTopics('csv-upload');
    ingest = await startService('ingest', serviceEnv('timescale', { KAFKA_TOPIC_PREFIX: isolated.prefix }), BASE_PORT + 1);
  });

  afterAll(async () => {
    await ingest?.stop();
  });

  /** Sends the body piece by piece (each written once the one before has gone), chunked. */
  const upload = async (pieces: Buffer[], contentType = 'text/csv'): Promise<Answer> => {
    const authorization = await bearer(['ingest'], [], 'csv-system');
    return new Promise<Answer>((resolve, reject) => {
      const request = httpRequest(`${ingest.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': contentType, authorization, 'transfer-encoding': 'chunked' },
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      });
      request.on('error', reject);
      request.setNoDelay(true);
      const next = (i: number) => {
        if (i === pieces.length) request.end();
        else request.write(pieces[i], () => setImmediate(() => next(i + 1)));
      };
      next(0);
    });
  };
  /** The events again as JSON: all duplicates when the first upload published them. */
  const resent = async (eventIds: string[]) => {
    const response = await fetch(`${ingest.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: await bearer(['ingest'], [], 'csv-system') },
      body: JSON.stringify(eventIds.map((eventId) => aSighting({ eventId, area: 'bath' }))),
    });
    return ((await response.json()) as { summary: unknown }).summary;
  };

  it.each(Object.keys(SPLITS))(
    'given three good rows then bytes that are not UTF-8 (%s), then the three are accepted and row 4 is named',
    async (split) => {
      const good = threeGoodRows();
      const body = Buffer.concat([good.bytes, Buffer.from([0xff, 0xfe]), Buffer.from('more,cells\r\n')]);
      const answer = await upload(SPLITS[split](body, good.bytes.length));
      expect(answer).toMatchObject({
        status: 400,
        body: {
          code: 'MALFORMED_CSV',
          message: `row 4: the CSV is not valid UTF-8 (byte ${good.bytes.length}); the rows before it were read, nothing from it on`,
          summary: { accepted: 3, duplicate: 0, rejected: 0 },
        },
      });
      expect(await resent(good.eventIds)).toEqual({ accepted: 0, duplicate: 3, rejected: 0 });
    },
  );

  it.each(Object.keys(SPLITS))(
    'given three good rows then an unbalanced quote (%s), then the three are accepted and row 4 is named',
    async (split) => {
      const good = threeGoodRows();
      const body = Buffer.concat([good.bytes, Buffer.from('"unclosed,line.sighting\r\n'), threeGoodRows().bytes.subarray(HEADER.length)]);
      const answer = await upload(SPLITS[split](body, good.bytes.length));
      expect(answer).toMatchObject({
        status: 400,
        body: {
          code: 'MALFORMED_CSV',
          message: expect.stringMatching(/^row 4: the CSV cannot be read from here \(.*Quote/),
          summary: { accepted: 3, duplicate: 0, rejected: 0 },
        },
      });
      expect(await resent(good.eventIds)).toEqual({ accepted: 0, duplicate: 3, rejected: 0 });
    },
  );
});
