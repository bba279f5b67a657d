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

/** The untyped first message of a session: int32 length then int32 code. */
export function readStartupFrame(buffer: Buffer): { message: Buffer; code: number; rest: Buffer } | null {
  if (buffer.length < 8) return null;
  const length = buffer.readInt32BE(0);
  if (length < 8 || length > 10_000) throw new Error(`invalid startup length ${length}`);
  if (buffer.length < length) return null;
  return { message: buffer.subarray(0, length), code: buffer.readInt32BE(4), rest: buffer.subarray(length) };
}

/** Status of the last ReadyForQuery in a backend response, if it has one. */
export function lastTransactionStatus(response: Uint8Array): TransactionStatus | null {
  let status: TransactionStatus | null = null;
  let offset = 0;
  const view = Buffer.from(response.buffer, response.byteOffset, response.byteLength);
  while (view.length - offset >= 5) {
    const type = view[offset];
    const length = view.readInt32BE(offset + 1);
    if (length < 4 || view.length - offset < 1 + length) break;
    if (type === 0x5a /* Z */ && length === 5) {
      status = String.fromCharCode(view[offset + 5]) as TransactionStatus;
    }
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
