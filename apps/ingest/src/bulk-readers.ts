import { StringDecoder } from 'node:string_decoder';
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
const MAX_LINE_CHARS = 1_000_000;

/**
 * Newline-delimited JSON, one event a line; blank lines are skipped, a broken
 * line is rejected alone. The stream is pulled chunk by chunk (not through
 * readline's line events, which do not wait for a slow consumer), so a fast
 * client is held back by TCP instead of filling memory.
 */
export async function* ndjsonRecords(stream: Readable): AsyncGenerator<BulkRecord> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let position = 0;
  let skippingLongLine = false;
  function* lines(text: string, final: boolean): Generator<BulkRecord> {
    const parts = text.split('\n');
    rest = final ? '' : (parts.pop() ?? '');
    for (const raw of parts) {
      position += 1;
      if (skippingLongLine) {
        skippingLongLine = false;
        yield { position, failure: { code: 'MALFORMED_JSON', message: `line ${position} is longer than ${MAX_LINE_CHARS} characters` } };
        continue;
      }
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.trim() === '') continue;
      if (line.length > MAX_LINE_CHARS) {
        yield { position, failure: { code: 'MALFORMED_JSON', message: `line ${position} is longer than ${MAX_LINE_CHARS} characters` } };
        continue;
      }
      try {
        yield { position, input: JSON.parse(line) };
      } catch (error) {
        yield { position, failure: { code: 'MALFORMED_JSON', message: `line ${position} is not valid JSON: ${(error as Error).message}` } };
      }
    }
    if (rest.length > MAX_LINE_CHARS) {
      skippingLongLine = true;
      rest = '';
    }
  }
  for await (const chunk of stream) yield* lines(rest + decoder.write(chunk as Buffer), false);
  yield* lines(rest + decoder.end(), true);
}

/** CSV with a header row (columns: see CSV_COLUMNS); a row whose cells cannot form an event is rejected alone. */
export async function* csvRecords(stream: Readable): AsyncGenerator<BulkRecord> {
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
