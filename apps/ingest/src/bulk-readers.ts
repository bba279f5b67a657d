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

/**
 * Fails the stream at the first byte that is not UTF-8 (csv-parse would read it as U+FFFD and the
 * damaged text would be accepted as data).
 */
export function strictUtf8(input: Readable, onInvalid: (offset: number) => Error): Readable {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let seen = 0;
  const checker = new Transform({
    transform(chunk: Buffer | string, _encoding, callback) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      try {
        decoder.decode(bytes, { stream: true });
      } catch {
        return callback(onInvalid(seen));
      }
      seen += bytes.length;
      callback(null, bytes);
    },
    flush(callback) {
      try {
        decoder.decode();
        callback();
      } catch {
        callback(onInvalid(seen));
      }
    },
  });
  input.on('error', (error) => checker.destroy(error));
  return input.pipe(checker);
}

/** CSV with a header row (columns: see CSV_COLUMNS); a row whose cells cannot form an event is rejected alone. */
export async function* csvRecords(input: Readable): AsyncGenerator<BulkRecord> {
  const stream = strictUtf8(
    input,
    (offset) =>
      new UploadError('MALFORMED_CSV', `the CSV is not valid UTF-8 (in the chunk after byte ${offset}); nothing after it was read`),
  );
  const parser = stream.pipe(parse({ columns: true, bom: true, skip_empty_lines: true, trim: false, max_record_size: 1_000_000 }));
  stream.on('error', (error) => parser.destroy(error));
  let position = 0;
  try {
    for await (const record of parser as AsyncIterable<CsvRecord>) {
      position += 1;
      try {
        yield { position, input: csvRecordToEvent(record) };
      } catch (error) {
        if (!(error instanceof CsvShapeError)) throw error;
        yield { position, failure: { code: 'MALFORMED_CSV', message: `row ${position}: ${error.message}` } };
      }
    }
  } catch (error) {
    if (error instanceof UploadError) throw error;
    throw new UploadError('MALFORMED_CSV', `the CSV cannot be read after row ${position}: ${(error as Error).message}`);
  }
}
