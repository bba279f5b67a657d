import { CodedError } from '@linewatch/platform';
import { z } from 'zod';

// Requests are validated by @Contract's ContractPipe (libs/platform); what is left here is the api's own.

/** The header in which a caller says why they are looking (recorded in the s.62 log). */
export { JUSTIFICATION } from '@linewatch/platform';

/** Keyset cursors are opaque to callers: base64url of JSON. */
export function encodeCursor(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(schema: z.ZodType<T>, cursor: string): T {
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new CodedError('INVALID_QUERY', 'after: not a cursor this API gave out', [
      { path: 'after', message: 'not a cursor this API gave out' },
    ]);
  }
}
