import { createInterface } from 'node:readline';
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

/** Newline-delimited JSON, one event a line; blank lines are skipped, a broken line is rejected alone. */
export async function* ndjsonRecords(stream: Readable): AsyncGenerator<BulkRecord> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let position = 0;
  for await (const line of lines) {
    position += 1;
    if (line.trim() === '') continue;
    try {
      yield { position, input: JSON.parse(line) };
    } catch (error) {
      yield { position, failure: { code: 'MALFORMED_JSON', message: `line ${position} is not valid JSON: ${(error as Error).message}` } };
    }
  }
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
