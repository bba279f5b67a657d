import { CodedError, type ErrorCode } from '@linewatch/platform';
import { z } from 'zod';

/** An instant with an explicit offset, as events carry them. */
export const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

/** The header in which a caller says why they are looking (recorded in the s.62 log). */
export const JUSTIFICATION = 'x-justification';

/** Parses a query or body with its schema; a 400 naming every problem otherwise. */
export function parsed<T>(schema: z.ZodType<T>, input: unknown, code: ErrorCode = 'INVALID_REQUEST'): T {
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    const errors = result.error.issues.map((i) => ({ path: i.path.join('.') || '(request)', message: i.message }));
    throw new CodedError(code, errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
  }
  return result.data;
}

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
