/**
 * Attribution of an event named by number or handset (PRODUCT.md, "Intake by identifier"): the
 * line that held the identifier at the instant, else the one that held it most recently before,
 * else the one that held it first after, else a new line whose id is derived from the identifier
 * (so a resend, or two events racing, name the same new line). Pure: the known intervals are data.
 */
import { createHash } from 'node:crypto';
import { LINE_ID_PATTERN, type LineResolution } from '@linewatch/contracts';
import { identifierKey, type LineIdentifier } from './identifier.normalise';
import type { HeldInterval } from './line-identity.rules';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return bits > 0 ? out + BASE32[(value << (5 - bits)) & 31] : out;
}

/**
 * The id of the new line an identifier creates: `N-` and 26 base32 characters (128 bits) of the
 * SHA-256 of `kind:value` (normalised), e.g. `N-…` for `msisdn:+447700900123`. A hash, so the id
 * does not show the number in alerts, logs and exports (handling code C); it is pseudonymous, not
 * anonymous: anyone holding a candidate number can recompute it.
 */
export function deriveLineId(identifier: LineIdentifier): string {
  const digest = createHash('sha256').update(identifierKey(identifier), 'utf8').digest();
  const id = `N-${base32(digest.subarray(0, 16))}`;
  if (!LINE_ID_PATTERN.test(id)) throw new TypeError(`derived line id ${id} breaks the line-id rule`);
  return id;
}

export interface AttributionOptions {
  /** The line the sender named beside the identifier: the answer is `given`, with a conflict if another line held it then. */
  readonly given?: string | null;
  /** Alias resolution (`rootOf` of the link state): a merged line answers as the line it was merged into. */
  readonly rootOf?: (lineId: string) => string;
}

const byLineId = (a: HeldInterval, b: HeldInterval) => (a.lineId < b.lineId ? -1 : a.lineId > b.lineId ? 1 : 0);

/**
 * The line an event naming `identifier` at `at` goes to, and how. For attribution an interval
 * includes its end: a report dated at the very instant a number was cut off still belongs to the
 * line it was cut off from (and an event that ends a number at t, sent again, finds the same line).
 * - `held`: `from ≤ at ≤ to` (open: `from ≤ at`); several lines → the one that attached it latest
 *   (the most recent holder: a number reassigned at t belongs to its new line at t), then the
 *   smaller line id;
 * - `held_before`: the interval that ended latest before `at` (then the later start, then line id);
 * - `held_after`: the interval that starts first after `at` (then line id);
 * - `new`: `deriveLineId(identifier)`.
 * Intervals of other identifiers are ignored. With `given`, the answer is always the given line;
 * `conflictWith` names the line that held the identifier at `at` when it is another one.
 */
export function attributeIdentifier(
  identifier: LineIdentifier,
  at: Date,
  intervals: readonly HeldInterval[],
  options: AttributionOptions = {},
): LineResolution {
  const root = options.rootOf ?? ((lineId: string) => lineId);
  const t = at.getTime();
  const mine = intervals.filter((interval) => interval.kind === identifier.kind && interval.value === identifier.value);
  const held = mine
    .filter((interval) => interval.from.getTime() <= t && (interval.to === null || t <= interval.to.getTime()))
    .sort((a, b) => b.from.getTime() - a.from.getTime() || byLineId(a, b))[0];
  if (options.given !== undefined && options.given !== null) {
    const given = root(options.given);
    const holder = held === undefined ? null : root(held.lineId);
    return holder === null || holder === given ? { lineId: given, how: 'given' } : { lineId: given, how: 'given', conflictWith: holder };
  }
  if (held !== undefined) return { lineId: root(held.lineId), how: 'held' };
  const before = mine
    .filter((interval): interval is HeldInterval & { to: Date } => interval.to !== null && interval.to.getTime() < t)
    .sort((a, b) => b.to.getTime() - a.to.getTime() || b.from.getTime() - a.from.getTime() || byLineId(a, b))[0];
  if (before !== undefined) return { lineId: root(before.lineId), how: 'held_before' };
  const after = mine
    .filter((interval) => interval.from.getTime() > t)
    .sort((a, b) => a.from.getTime() - b.from.getTime() || byLineId(a, b))[0];
  if (after !== undefined) return { lineId: root(after.lineId), how: 'held_after' };
  return { lineId: root(deriveLineId(identifier)), how: 'new' };
}
