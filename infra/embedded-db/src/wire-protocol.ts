/**
 * Just enough of the PostgreSQL v3 wire protocol to frame messages and read
 * transaction status. It never interprets queries: framing exists so that
 * PGlite only ever sees whole messages (a TCP chunk may split one, and
 * feeding PGlite half a message has crashed it), and the status byte of
 * ReadyForQuery tells us when a session may hand the database to another.
 */

export const SSL_REQUEST_CODE = 80877103;
export const GSSENC_REQUEST_CODE = 80877104;
export const CANCEL_REQUEST_CODE = 80877102;

/** 'I' idle, 'T' in a transaction block, 'E' in a failed transaction block. */
export type TransactionStatus = 'I' | 'T' | 'E';

export interface FramedMessages {
  /** Whole messages, concatenated, in arrival order. */
  complete: Buffer;
  /** Bytes of a message not yet fully received. */
  rest: Buffer;
  /** Type bytes of the complete messages, in order. */
  types: string[];
}

/** Splits typed messages (1 type byte + int32 length that counts itself). */
export function frameTypedMessages(buffer: Buffer): FramedMessages {
  const types: string[] = [];
  let offset = 0;
  while (buffer.length - offset >= 5) {
    const length = buffer.readInt32BE(offset + 1);
    if (length < 4) throw new Error(`invalid message length ${length}`);
    if (buffer.length - offset < 1 + length) break;
    types.push(String.fromCharCode(buffer[offset]));
    offset += 1 + length;
  }
  return { complete: buffer.subarray(0, offset), rest: buffer.subarray(offset), types };
}

/**
 * PGlite reads a call's input in blocks of this many bytes, and when the messages it has read end
 * exactly at the end of a block it takes the input to be over: everything after is silently
 * dropped (no error, no ReadyForQuery — the session then waits for an answer that never comes).
 */
export const PGLITE_READ_BLOCK = 8192;

/**
 * Splits whole messages into the inputs of successive PGlite calls so that no call has a message
 * boundary at a multiple of PGLITE_READ_BLOCK before its end: a call is closed right after a
 * message that ends on a block boundary. Messages keep their order; most batches stay one call.
 */
export function pgliteCalls(complete: Buffer): Buffer[] {
  const calls: Buffer[] = [];
  let start = 0;
  let offset = 0;
  while (complete.length - offset >= 5) {
    offset += 1 + complete.readInt32BE(offset + 1);
    if ((offset - start) % PGLITE_READ_BLOCK === 0 && offset < complete.length) {
      calls.push(complete.subarray(start, offset));
      start = offset;
    }
  }
  if (start < complete.length) calls.push(complete.subarray(start));
  return calls;
}

/** The untyped first message of a session: int32 length then int32 code. */
export function readStartupFrame(buffer: Buffer): { message: Buffer; code: number; rest: Buffer } | null {
  if (buffer.length < 8) return null;
  const length = buffer.readInt32BE(0);
  if (length < 8 || length > 10_000) throw new Error(`invalid startup length ${length}`);
  if (buffer.length < length) return null;
  return { message: buffer.subarray(0, length), code: buffer.readInt32BE(4), rest: buffer.subarray(length) };
}

/**
 * Status of the ReadyForQuery that ends a backend response; null when the response does not end
 * with one (the backend is mid extended-query, or was given no Sync yet).
 */
export function lastTransactionStatus(response: Uint8Array): TransactionStatus | null {
  let status: TransactionStatus | null = null;
  let offset = 0;
  const view = Buffer.from(response.buffer, response.byteOffset, response.byteLength);
  while (view.length - offset >= 5) {
    const type = view[offset];
    const length = view.readInt32BE(offset + 1);
    if (length < 4 || view.length - offset < 1 + length) break;
    status = type === 0x5a /* Z */ && length === 5 ? (String.fromCharCode(view[offset + 5]) as TransactionStatus) : null;
    offset += 1 + length;
  }
  return status;
}

/** A simple-protocol Query message. */
export function queryMessage(sql: string): Buffer {
  const body = Buffer.from(`${sql}\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('Q', 0, 'ascii');
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}
