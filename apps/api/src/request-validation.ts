import { HttpException, HttpStatus } from '@nestjs/common';
import { z } from 'zod';

/** An instant with an explicit offset, as events carry them. */
export const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

/** The header in which a caller says why they are looking (recorded in the s.62 log). */
export const JUSTIFICATION = 'x-justification';

/** Parses a query or body with its schema; a 400 naming every problem otherwise. */
export function parsed<T>(schema: z.ZodType<T>, input: unknown, code = 'INVALID_REQUEST'): T {
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    throw new HttpException(
      { code, message: result.error.issues.map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`).join('; ') },
      HttpStatus.BAD_REQUEST,
    );
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
    throw new HttpException({ code: 'INVALID_REQUEST', message: 'after: not a cursor this API gave out' }, HttpStatus.BAD_REQUEST);
  }
}
