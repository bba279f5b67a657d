import { isUtf8 } from 'node:buffer';
import { Transform, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { CsvShapeError, csvRecordToEvent, type CsvRecord, type RejectionCode } from '@linewatch/contracts';

/** One record of an upload: its position (line or row, from 1) and either the decoded input or why it could not be read. */
export interface BulkRecord {
  readonly position: number;
  readonly input?: unknown;
  readonly failure?: { readonly code: RejectionCode; readonly message: string };
}

export class UploadError extends Error {
  constructor(
    readonly code: 'BODY_TOO_LARGE' | 'MALFORMED_CSV',
    message: string,
  ) {
    super(message);
  }
}

/** Passes bytes through until `maxBytes`, then fails the stream: an upload is never buffered whole. */
export function limitBytes(input: Readable, maxBytes: number): Readable {
  let seen = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(new UploadError('BODY_TOO_LARGE', `the upload is larger than ${maxBytes} bytes`));
      else callback(null, chunk);
    },
  });
  input.on('error', (error) => limiter.destroy(error));
  return input.pipe(limiter);
}

/** Longest NDJSON line accepted (an event is a few hundred bytes). */
const MAX_LINE_BYTES = 1_000_000;

/**
 * Newline-delimited JSON, one event a line; blank lines are skipped, a broken
 * line is rejected alone. The stream is pulled chunk by chunk (not through
 * readline's line events, which do not wait for a slow consumer), so a fast
 * client is held back by TCP instead of filling memory. Lines are split on the
 * byte 0x0A (never part of a multi-byte UTF-8 character) and each is decoded
 * strictly: a line with invalid UTF-8 is rejected, not read with U+FFFD in it.
 */
export async function* ndjsonRecords(stream: Readable): AsyncGenerator<BulkRecord> {
  let rest: Buffer = Buffer.alloc(0);
  let position = 0;
  let skippingLongLine = false;
  const tooLong = (): BulkRecord => ({
    position,
    failure: { code: 'MALFORMED_JSON', message: `line ${position} is longer than ${MAX_LINE_BYTES} bytes` },
  });
  function* line(raw: Buffer): Generator<BulkRecord> {
    position += 1;
    if (skippingLongLine) {
      skippingLongLine = false;
      yield tooLong();
      return;
    }
    if (raw.length > MAX_LINE_BYTES) {
      yield tooLong();
      return;
    }
    const bytes = raw.at(-1) === 0x0d ? raw.subarray(0, -1) : raw;
    // isUtf8 is a native check, much faster per line than a fatal TextDecoder.
    if (!isUtf8(bytes)) {
      yield { position, failure: { code: 'MALFORMED_JSON', message: `line ${position} is not valid UTF-8` } };
      return;
    }
    const text = bytes.toString('utf8');
    if (text.trim() === '') return;
    try {
      yield { position, input: JSON.parse(text) };
    } catch (error) {
      yield { position, failure: { code: 'MALFORMED_JSON', message: `line ${position} is not valid JSON: ${(error as Error).message}` } };
    }
  }
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    let buffer = rest.length === 0 ? bytes : Buffer.concat([rest, bytes]);
    for (let newline = buffer.indexOf(0x0a); newline !== -1; newline = buffer.indexOf(0x0a)) {
      yield* line(buffer.subarray(0, newline));
      buffer = buffer.subarray(newline + 1);
    }
    // A line longer than the limit is not kept: the rest of it is skipped up to its newline.
    if (buffer.length > MAX_LINE_BYTES) {
      skippingLongLine = true;
      buffer = Buffer.alloc(0);
    }
    rest = Buffer.from(buffer);
  }
  if (rest.length > 0 || skippingLongLine) yield* line(rest);
}

/** Where the first byte that is not UTF-8 is in `bytes` (which is known not to be UTF-8). */
function firstInvalidByte(bytes: Buffer): number {
  // The WHATWG decoder puts one U+FFFD for each invalid sequence; one that stands for itself is EF BF BD in the input.
  const text = new TextDecoder('utf-8').decode(bytes);
  let offset = 0;
  for (const char of text) {
    if (char === '\ufffd' && !(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return offset;
    offset += Buffer.byteLength(char);
  }
  return bytes.length;
}

/** Bytes at the end of `bytes` that begin a UTF-8 character the next chunk may complete (0 to 3). */
function incompleteTail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back += 1) {
    const byte = bytes[bytes.length - back];
    if (byte < 0x80) return 0;
    if (byte >= 0xc0) {
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return length > back ? back : 0;
    }
  }
  return 0;
}

/**
 * A byte stream cut into UTF-8 pieces: each `push` gives the bytes that are whole UTF-8 characters
 * (a character split between chunks waits for its end) and, at the first byte that is not UTF-8,
 * its offset in the stream. csv-parse would read such bytes as U+FFFD and the damaged text would be
 * accepted as data.
 */
class Utf8Splitter {
  private held: Buffer = Buffer.alloc(0);
  private offset = 0;

  push(chunk: Buffer): { readonly valid: Buffer; readonly invalidAt: number | null } {
    const bytes = this.held.length === 0 ? chunk : Buffer.concat([this.held, chunk]);
    const whole = bytes.subarray(0, bytes.length - incompleteTail(bytes));
    if (isUtf8(whole)) {
      this.held = Buffer.from(bytes.subarray(whole.length));
      this.offset += whole.length;
      return { valid: whole, invalidAt: null };
    }
    const bad = firstInvalidByte(whole);
    return { valid: whole.subarray(0, bad), invalidAt: this.offset + bad };
  }

  /** The offset of a character left incomplete at the end of the stream, else null. */
  end(): number | null {
    return this.held.length > 0 ? this.offset : null;
  }
}

/** A line held back longer than this is given to the parser anyway (it refuses records over 1,000,000 characters). */
const MAX_HELD_LINE_BYTES = 2_000_000;

/**
 * CSV with a header row (columns: see CSV_COLUMNS); a row whose cells cannot form an event is
 * rejected alone. The parser is fed whole lines, each write handled synchronously, and its records
 * are taken as it makes them (`on_record`), so when the file cannot be read further (bytes that are
 * not UTF-8, an unbalanced quote, a row with more cells than the header) every row before the
 * failure has been yielded and the failure names its row, however the body was chunked. A line cut
 * by the failure is never read as a row.
 */
export async function* csvRecords(input: Readable): AsyncGenerator<BulkRecord> {
  const made: CsvRecord[] = [];
  let headerRead = false;
  const parser = parse({
    columns: (header: string[]) => {
      headerRead = true;
      return header;
    },
    bom: true,
    skip_empty_lines: true,
    trim: false,
    max_record_size: 1_000_000,
    on_record: (record: CsvRecord) => {
      made.push(record);
      return null;
    },
  });
  // Errors are taken from the write and end callbacks below; this keeps an 'error' event from being unhandled.
  parser.on('error', () => undefined);
  const write = (bytes: Buffer) =>
    new Promise<void>((resolve, reject) => parser.write(bytes, (error?: Error | null) => (error ? reject(error) : resolve())));
  const end = () =>
    new Promise<void>((resolve, reject) => {
      parser.once('error', reject);
      parser.end(() => resolve());
    });

  let position = 0;
  function* taken(): Generator<BulkRecord> {
    for (const record of made.splice(0)) {
      position += 1;
      try {
        yield { position, input: csvRecordToEvent(record) };
      } catch (error) {
        if (!(error instanceof CsvShapeError)) throw error;
        yield { position, failure: { code: 'MALFORMED_CSV', message: `row ${position}: ${error.message}` } };
      }
    }
  }
  const where = () => (headerRead ? `row ${position + 1}` : 'the header row');
  const unreadable = (error: unknown) =>
    new UploadError(
      'MALFORMED_CSV',
      `${where()}: the CSV cannot be read from here (${(error as Error).message}); the rows before it were read, nothing from it on`,
    );
  const notUtf8 = (offset: number) =>
    new UploadError(
      'MALFORMED_CSV',
      `${where()}: the CSV is not valid UTF-8 (byte ${offset}); the rows before it were read, nothing from it on`,
    );

  const utf8 = new Utf8Splitter();
  let line: Buffer = Buffer.alloc(0);
  /** Gives the parser every complete line; a line still open stays held until its end arrives. */
  async function feed(bytes: Buffer, final: boolean): Promise<void> {
    const data = line.length === 0 ? bytes : Buffer.concat([line, bytes]);
    const cut = final || data.length > MAX_HELD_LINE_BYTES ? data.length : data.lastIndexOf(0x0a) + 1;
    line = Buffer.from(data.subarray(cut));
    if (cut > 0) await write(data.subarray(0, cut));
  }
  /** The rows of the complete lines before a failure, then the failure. */
  async function* stopAt(failure: () => UploadError): AsyncGenerator<BulkRecord, never> {
    // Whatever the parser still makes of the complete lines it has is a row before the failure.
    await end().catch(() => undefined);
    yield* taken();
    throw failure();
  }

  for await (const chunk of input) {
    const { valid, invalidAt } = utf8.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer));
    try {
      await feed(valid, false);
    } catch (error) {
      yield* taken();
      throw unreadable(error);
    }
    yield* taken();
    if (invalidAt !== null) yield* stopAt(() => notUtf8(invalidAt));
  }
  const incomplete = utf8.end();
  if (incomplete !== null) yield* stopAt(() => notUtf8(incomplete));
  try {
    await feed(Buffer.alloc(0), true);
    await end();
  } catch (error) {
    yield* taken();
    throw unreadable(error);
  }
  yield* taken();
}
