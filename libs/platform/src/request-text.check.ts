import { isUtf8 } from 'node:buffer';
import type { ErrorItemV1 } from '@linewatch/contracts';

/**
 * Text a service will not take in any part of a request: a NUL character (PostgreSQL cannot store
 * it in text, and it truncates strings in C libraries downstream) or anything that is not Unicode
 * — an unpaired surrogate (`\ud800` in JSON) or bytes that are not UTF-8 (`%ED%A0%80`, a surrogate
 * percent-encoded; `%FF`). Pure functions over the raw request, so that what Express later decodes
 * (path parameters, the query) has been looked at byte for byte first.
 */
export type TextFinding = ErrorItemV1;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const HEX = /^[0-9A-Fa-f]{2}$/;
const MAX_FINDINGS = 5;

/** Percent-decodes a URL component to its bytes; `broken` when a `%` is not followed by two hex digits. */
function percentDecoded(component: string, plusIsSpace: boolean): { bytes: Buffer; broken: boolean } {
  const raw = Buffer.from(component, 'latin1');
  const out = Buffer.alloc(raw.length);
  let length = 0;
  let broken = false;
  for (let i = 0; i < raw.length; i += 1) {
    const byte = raw[i];
    if (byte === 0x25 /* % */) {
      const hex = component.slice(i + 1, i + 3);
      if (HEX.test(hex)) {
        out[length++] = Number.parseInt(hex, 16);
        i += 2;
        continue;
      }
      broken = true;
    }
    out[length++] = plusIsSpace && byte === 0x2b /* + */ ? 0x20 : byte;
  }
  return { bytes: out.subarray(0, length), broken };
}

function problemOfBytes(bytes: Buffer): string | null {
  if (bytes.includes(0)) return 'contains a NUL character (U+0000)';
  if (!isUtf8(bytes)) return 'is not valid UTF-8 (an unpaired surrogate or a broken byte sequence)';
  return null;
}

export function problemOfString(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'is not valid Unicode (an unpaired surrogate)';
  return null;
}

/** A name fit to echo back: printable ASCII only, at most 40 characters. */
function printable(name: string): string {
  return name.replace(/[^\x21-\x7e]/g, '?').slice(0, 40) || '?';
}

/** The request target as sent (`req.originalUrl`): its path and every query parameter's name and value. */
export function findInUrl(rawUrl: string): TextFinding[] {
  const findings: TextFinding[] = [];
  const queryAt = rawUrl.indexOf('?');
  const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  const decodedPath = percentDecoded(path, false);
  const pathProblem = decodedPath.broken ? 'has a % that is not followed by two hex digits' : problemOfBytes(decodedPath.bytes);
  if (pathProblem) findings.push({ path: '(path)', message: `the path ${pathProblem}` });
  if (queryAt !== -1) {
    for (const pair of rawUrl.slice(queryAt + 1).split('&')) {
      if (findings.length >= MAX_FINDINGS) break;
      const equals = pair.indexOf('=');
      const name = percentDecoded(equals === -1 ? pair : pair.slice(0, equals), true).bytes;
      const value = percentDecoded(equals === -1 ? '' : pair.slice(equals + 1), true).bytes;
      const shownName = printable(name.toString('latin1'));
      const problem = problemOfBytes(name) ?? problemOfBytes(value);
      if (problem) findings.push({ path: `(query).${shownName}`, message: `query parameter ${shownName} ${problem}` });
    }
  }
  return findings;
}

/**
 * Header values as Node hands them over (each byte one latin1 character): they must be UTF-8 and
 * hold no NUL. (Node's parser refuses a NUL or a control character in a header before any of this.)
 */
export function findInHeaders(rawHeaders: readonly string[]): TextFinding[] {
  const findings: TextFinding[] = [];
  for (let i = 0; i + 1 < rawHeaders.length && findings.length < MAX_FINDINGS; i += 2) {
    const problem = problemOfBytes(Buffer.from(rawHeaders[i + 1], 'latin1'));
    const name = printable(rawHeaders[i].toLowerCase());
    if (problem) findings.push({ path: `(header).${name}`, message: `header ${name} ${problem}` });
  }
  return findings;
}

/** Every string of a parsed JSON body, names included (iteratively: a deep body cannot exhaust the stack). */
export function findInBody(body: unknown): TextFinding[] {
  const findings: TextFinding[] = [];
  const stack: { value: unknown; path: string }[] = [{ value: body, path: '' }];
  while (stack.length > 0 && findings.length < MAX_FINDINGS) {
    const { value, path } = stack.pop()!;
    const where = path || '(body)';
    if (typeof value === 'string') {
      const problem = problemOfString(value);
      if (problem) findings.push({ path: where, message: `${where} ${problem}` });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({ value: item, path: `${path}[${index}]` }));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const problem = problemOfString(key);
        const shown = problem ? printable(key) : key.slice(0, 40);
        const itemPath = path ? `${path}.${shown}` : shown;
        if (problem) findings.push({ path: itemPath, message: `a field name ${problem}` });
        else stack.push({ value: item, path: itemPath });
      }
    }
  }
  return findings;
}

/** The request target made safe to store and show: printable ASCII, anything else percent-encoded, at most 500 characters. */
export function sanitisedTarget(rawUrl: string): string {
  const safe = [...Buffer.from(rawUrl, 'latin1')]
    .map((byte) => (byte >= 0x21 && byte <= 0x7e ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
  return safe.length > 500 ? `${safe.slice(0, 500)}…` : safe;
}

/** A header value as the person wrote it when it is clean UTF-8, else its bytes escaped (`\xNN`). */
export function sanitisedHeaderValue(value: string | undefined): string | null {
  if (value === undefined) return null;
  const bytes = Buffer.from(value, 'latin1');
  if (problemOfBytes(bytes) === null) return bytes.toString('utf8');
  return [...bytes].map((b) => (b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
}
