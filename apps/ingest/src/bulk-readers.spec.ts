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

describe('csvRecords stopping part-way, whatever the chunking', () => {
  const HEADER = Buffer.from('eventId,type,body\r\n');
  const row = (n: number) => Buffer.from(`id-${n},line.sighting,"{""note"":""row ${n}, é""}"\r\n`);
  const GOOD = Buffer.concat([HEADER, row(1), row(2), row(3)]);

  /** What the reader yields and how it stops, for the body cut into `parts`. */
  async function outcome(parts: Buffer[]) {
    const positions: number[] = [];
    try {
      for await (const record of csvRecords(Readable.from(parts))) {
        expect(record.failure).toBeUndefined();
        positions.push(record.position);
      }
      return { positions, error: null };
    } catch (error) {
      return { positions, error: { code: (error as UploadError).code, message: (error as Error).message } };
    }
  }
  /** The body whole, in two pieces at every byte, and in pieces of 1 to 9 bytes. */
  function splits(bytes: Buffer): Buffer[][] {
    const out: Buffer[][] = [[bytes]];
    for (let cut = 1; cut < bytes.length; cut += 1) out.push([bytes.subarray(0, cut), bytes.subarray(cut)]);
    for (let size = 1; size < 10; size += 1) {
      const parts: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
      out.push(parts);
    }
    return out;
  }
  async function sameForEverySplit(bytes: Buffer) {
    const [first, ...rest] = await Promise.all(splits(bytes).map(outcome));
    for (const other of rest) expect(other).toEqual(first);
    return first;
  }

  it('given three good rows then bytes that are not UTF-8, then the three rows are read and the failure is row 4', async () => {
    const result = await sameForEverySplit(Buffer.concat([GOOD, Buffer.from([0xff, 0xfe])]));
    expect(result).toEqual({
      positions: [1, 2, 3],
      error: {
        code: 'MALFORMED_CSV',
        message: `row 4: the CSV is not valid UTF-8 (byte ${GOOD.length}); the rows before it were read, nothing from it on`,
      },
    });
  });

  it('given a row cut by bytes that are not UTF-8, then it is not read as a row', async () => {
    const cut = Buffer.concat([GOOD, Buffer.from('id-4,line.sigh'), Buffer.from([0xc3, 0x28]), Buffer.from('ting,{}\r\n'), row(5)]);
    const result = await sameForEverySplit(cut);
    expect(result).toMatchObject({
      positions: [1, 2, 3],
      error: { code: 'MALFORMED_CSV', message: expect.stringMatching(/^row 4: .*UTF-8 \(byte \d+\)/) },
    });
    expect(result.error?.message).toContain(`byte ${GOOD.length + 'id-4,line.sigh'.length}`);
  });

  it('given bytes that are not UTF-8 inside a quoted cell spanning lines, then the rows before it are read and the failure is its row', async () => {
    const body = Buffer.concat([
      GOOD,
      Buffer.from('id-4,line.sighting,"{""note"":""two\nlines '),
      Buffer.from([0xff]),
      Buffer.from('""}"\r\n'),
    ]);
    expect(await sameForEverySplit(body)).toMatchObject({
      positions: [1, 2, 3],
      error: { message: expect.stringMatching(/^row 4: .*UTF-8/) },
    });
  });

  it('given three good rows then an unbalanced quote, then the three rows are read and the failure is row 4', async () => {
    const result = await sameForEverySplit(Buffer.concat([GOOD, Buffer.from('"id-4,line.sighting,{}\r\n'), row(5)]));
    expect(result).toMatchObject({
      positions: [1, 2, 3],
      error: { code: 'MALFORMED_CSV', message: expect.stringMatching(/^row 4: the CSV cannot be read from here \(.*Quote/) },
    });
  });

  it('given a row with more cells than the header, then the rows before it are read and the failure is its row', async () => {
    const result = await sameForEverySplit(Buffer.concat([GOOD, Buffer.from('id-4,line.sighting,{},extra\r\n'), row(5)]));
    expect(result).toMatchObject({ positions: [1, 2, 3], error: { message: expect.stringMatching(/^row 4: the CSV cannot be read/) } });
  });

  it('given bytes that are not UTF-8 in the header, then nothing is read and the header is named', async () => {
    const result = await sameForEverySplit(Buffer.concat([Buffer.from('eventId,ty'), Buffer.from([0xff]), Buffer.from('pe\r\n'), row(1)]));
    expect(result).toEqual({
      positions: [],
      error: {
        code: 'MALFORMED_CSV',
        message: 'the header row: the CSV is not valid UTF-8 (byte 10); the rows before it were read, nothing from it on',
      },
    });
  });

  it('given a character cut off at the very end, then the rows before it are read and the failure is the last row', async () => {
    const result = await sameForEverySplit(Buffer.concat([GOOD, Buffer.from('id-4,line.sighting,"x'), Buffer.from([0xe2, 0x82])]));
    expect(result).toMatchObject({ positions: [1, 2, 3], error: { message: expect.stringMatching(/^row 4: .*UTF-8/) } });
  });

  it('given good rows with multi-byte characters and a U+FFFD written on purpose, then every split reads them all', async () => {
    const body = Buffer.concat([
      GOOD,
      Buffer.from('id-4,line.sighting,"{""note"":""\ufffd €""}"\r\n'),
      Buffer.from('id-5,line.sighting,{}'),
    ]);
    expect(await sameForEverySplit(body)).toEqual({ positions: [1, 2, 3, 4, 5], error: null });
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
