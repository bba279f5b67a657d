import { Readable } from 'node:stream';
import { UploadError, csvRecords, limitBytes, ndjsonRecords, type BulkRecord } from './bulk-readers';

async function all(records: AsyncIterable<BulkRecord>): Promise<BulkRecord[]> {
  const out: BulkRecord[] = [];
  for await (const record of records) out.push(record);
  return out;
}

/** A stream that delivers the text in awkward pieces, splitting lines and multi-byte characters. */
function chunked(text: string, size = 7): Readable {
  const bytes = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
}

describe('ndjsonRecords', () => {
  it('given lines split across chunks, CRLF and blank lines, then each event keeps its line number', async () => {
    const records = await all(ndjsonRecords(chunked('{"a":"é"}\r\n\n{"b":2}\n{broken\n{"c":3}')));
    expect(records).toEqual([
      { position: 1, input: { a: 'é' } },
      { position: 3, input: { b: 2 } },
      expect.objectContaining({ position: 4, failure: expect.objectContaining({ code: 'MALFORMED_JSON' }) }),
      { position: 5, input: { c: 3 } },
    ]);
  });

  it('given a line over the limit, then that line alone is rejected', async () => {
    const records = await all(ndjsonRecords(Readable.from([`{"x":"${'y'.repeat(1_100_000)}"}\n`, '{"ok":true}\n'])));
    expect(records[0]).toMatchObject({ position: 1, failure: { code: 'MALFORMED_JSON', message: expect.stringContaining('longer than') } });
    expect(records[1]).toEqual({ position: 2, input: { ok: true } });
  });
});

describe('csvRecords', () => {
  it('given a header and rows, then rows become events and a bad body is rejected alone', async () => {
    const csv =
      'eventId,type,lineIds,body\r\nid-1,enforcement.raid,A;B,"{""place"":{""description"":""x""}}"\r\nid-2,line.sighting,,{oops\r\n';
    const records = await all(csvRecords(chunked(csv, 5)));
    expect(records[0]).toEqual({
      position: 1,
      input: { eventId: 'id-1', type: 'enforcement.raid', lineIds: ['A', 'B'], body: { place: { description: 'x' } } },
    });
    expect(records[1]).toMatchObject({ position: 2, failure: { code: 'MALFORMED_CSV' } });
  });

  it('given unbalanced quotes, then the upload stops with MALFORMED_CSV', async () => {
    await expect(all(csvRecords(Readable.from(['eventId,type\n"id-1,line.sighting\n'])))).rejects.toMatchObject({ code: 'MALFORMED_CSV' });
  });
});

describe('limitBytes', () => {
  it('given more bytes than allowed, then reading fails with BODY_TOO_LARGE', async () => {
    const limited = limitBytes(Readable.from([Buffer.alloc(10), Buffer.alloc(10)]), 15);
    await expect(all(ndjsonRecords(limited))).rejects.toBeInstanceOf(UploadError);
  });
});

describe('hostile bytes', () => {
  it('given an NDJSON line with invalid UTF-8, then that line alone is rejected and the next is read', async () => {
    const bytes = Buffer.concat([Buffer.from('{"note":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}\n{"ok":true}\n')]);
    const records = await all(ndjsonRecords(Readable.from([bytes.subarray(0, 10), bytes.subarray(10)])));
    expect(records).toEqual([
      { position: 1, failure: { code: 'MALFORMED_JSON', message: 'line 1 is not valid UTF-8' } },
      { position: 2, input: { ok: true } },
    ]);
  });

  it('given a CSV with invalid UTF-8, then the upload stops with MALFORMED_CSV', async () => {
    const bytes = Buffer.concat([Buffer.from('eventId,type\nid-1,'), Buffer.from([0xe2, 0x28, 0xa1]), Buffer.from('\n')]);
    await expect(all(csvRecords(Readable.from([bytes])))).rejects.toMatchObject({
      code: 'MALFORMED_CSV',
      message: expect.stringContaining('UTF-8'),
    });
  });

  it('given a multi-byte character split across chunks, then it is read whole', async () => {
    const records = await all(ndjsonRecords(chunked('{"a":"€€€"}\n', 1)));
    expect(records).toEqual([{ position: 1, input: { a: '€€€' } }]);
  });
});
