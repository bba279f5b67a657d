import { createParamDecorator, HttpException, HttpStatus, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
/** The header that says why a person reads (s.62: every consultation records it). */
export const JUSTIFICATION = 'x-justification';

/**
 * RFC 8187 ext-value (`UTF-8''`, or `UTF-8'<language>'`, then attr-chars and %XX): how a client
 * that cannot send raw UTF-8 bytes in a header (a browser's fetch sends Latin-1) sends any text.
 * The charset is matched without regard to case, as the RFC says; ' ( ) * are taken as themselves
 * too, since encodeURIComponent, the obvious encoder in JavaScript, leaves them unencoded.
 */
const EXT_VALUE = /^UTF-8'[A-Za-z0-9-]*'((?:[A-Za-z0-9!#$&+\-.^_`|~'()*]|%[0-9A-Fa-f]{2})*)$/i;
const EXT_VALUE_START = /^UTF-8'[A-Za-z0-9-]*'/i;
/** Control characters other than tab: nothing a person writes, and NUL cannot be stored. */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

export class JustificationError extends Error {
  readonly code = 'INVALID_JUSTIFICATION';
}

/**
 * The justification exactly as the person wrote it, from the header's value as Node gives it (each
 * byte as one Latin-1 character). Raw bytes are read as UTF-8; an RFC 8187 ext-value is
 * percent-decoded as UTF-8. Bytes that are not UTF-8 are refused rather than stored as mojibake.
 * Null when no header was sent.
 */
export function decodeJustification(header: string | readonly string[] | undefined): string | null {
  if (header === undefined) return null;
  const latin1 = typeof header === 'string' ? header : header.join(', ');
  const encoded = EXT_VALUE.exec(latin1);
  let text: string;
  if (encoded) {
    try {
      // decodeURIComponent reads the %XX bytes as UTF-8 and throws on any that are not.
      text = decodeURIComponent(encoded[1]);
    } catch {
      throw new JustificationError(`X-Justification: the percent-encoded bytes after UTF-8'' are not UTF-8`);
    }
  } else if (EXT_VALUE_START.test(latin1)) {
    throw new JustificationError(`X-Justification: after UTF-8'' only letters, digits, !#$&'()*+-.^_\`|~ and %XX may follow (RFC 8187)`);
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(latin1, 'latin1'));
    } catch {
      throw new JustificationError(`X-Justification is not UTF-8: send UTF-8 bytes, or UTF-8'' and the text percent-encoded (RFC 8187)`);
    }
  }
  if (CONTROL.test(text)) throw new JustificationError('X-Justification: control characters are not accepted');
  return text;
}

/** The request's justification (see decodeJustification); a 400 INVALID_JUSTIFICATION when it cannot be read. */
export const Justification = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined => {
  try {
    return decodeJustification(context.switchToHttp().getRequest<Request>().headers[JUSTIFICATION]) ?? undefined;
  } catch (error) {
    if (!(error instanceof JustificationError)) throw error;
    throw new HttpException(
      { code: error.code, message: error.message, errors: [{ path: 'X-Justification', message: error.message }] },
      HttpStatus.BAD_REQUEST,
    );
  }
});
