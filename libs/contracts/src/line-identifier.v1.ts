/**
 * What identifies a line besides its `lineId` (PRODUCT.md, "Line identity"): a number (MSISDN,
 * E.164) or a handset (IMEI), as named by an event instead of (or beside) `lineId`, and the record
 * of how intake attributed such an event to a line. Pure parsing only: which line holds an
 * identifier is the domain's rule (`libs/domain`, `line-attribution.rules.ts`).
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';

/** The line-id rule: letters, digits, `. _ : -`, at most 64, starting with a letter or digit. */
export const LINE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export const lineId = z.string().regex(LINE_ID_PATTERN, 'expected a line id: letters, digits, . _ : - (at most 64)');

const REFUSED = '';
/**
 * Numbers as written → their E.164 form ('' when refused). Parsing is a pure function of the text
 * and the most expensive part of validating an event (libphonenumber-js matched each number
 * against the metadata: 17 % of the tracker's CPU in a backlog); a line's events name the same few
 * numbers again and again, so the parse is remembered. Bounded: a flood of distinct numbers evicts
 * the least recently used.
 */
const normalisedNumbers = new LRUCache<string, string>({ max: 50_000 });

/**
 * A phone number in E.164, or null when it is not one; UK national numbers (07…, 01…) are read as
 * +44. "Possible" (right length for its country), not "valid": Ofcom's ranges reserved for drama
 * (07700 900xxx), which demo data uses, count as unallocated, and a real line may use a range
 * newer than the metadata.
 */
export function normalisePhoneNumber(value: string): string | null {
  if (value.length > 25) return null; // longer than parsePhoneNumber's pattern allows: never kept
  const known = normalisedNumbers.get(value);
  if (known !== undefined) return known === REFUSED ? null : known;
  const normalised = parsePhoneNumber(value);
  normalisedNumbers.set(value, normalised ?? REFUSED);
  return normalised;
}

function parsePhoneNumber(value: string): string | null {
  const parsed = /^\+?[\d\s().-]{6,24}$/.test(value) ? parsePhoneNumberFromString(value, 'GB') : undefined;
  // "Possible" is judged on UK-wide lengths; UK mobiles (07…) are exactly ten national digits.
  const ukMobileLengthWrong =
    parsed?.countryCallingCode === '44' && parsed.nationalNumber.startsWith('7') && parsed.nationalNumber.length !== 10;
  if (!parsed || !parsed.isPossible() || ukMobileLengthWrong) return null;
  return parsed.number;
}

export const PHONE_NUMBER_MESSAGE = 'expected a valid phone number (E.164 or UK national format)';

/** A phone number, normalised to E.164 (see `normalisePhoneNumber`). */
export const phoneNumber = z.string().transform((value, ctx) => {
  const normalised = normalisePhoneNumber(value);
  if (normalised === null) {
    ctx.addIssue({ code: 'custom', message: PHONE_NUMBER_MESSAGE });
    return z.NEVER;
  }
  return normalised;
});

/** The Luhn check (ISO/IEC 7812) over a string of digits: the IMEI's 15th digit checks the first 14. */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * An IMEI as 15 digits with a valid Luhn check digit, or null. Spaces and hyphens between digits
 * are dropped (handsets and forms print `35-209900-176148-1`); anything else is refused.
 */
export function normaliseImei(value: string): string | null {
  if (!/^\d[\d -]{13,20}\d$/.test(value)) return null;
  const digits = value.replace(/[ -]/g, '');
  return digits.length === 15 && isLuhnValid(digits) ? digits : null;
}

export const IMEI_MESSAGE = 'expected an IMEI: 15 digits with a valid (Luhn) check digit';

/**
 * The handset a body field names (`enforcement.seizure`, `line.number_changed`): 15 digits, as v1
 * always accepted. The check digit is not enforced here, so every v1 event accepted before stays
 * accepted; the domain attaches only IMEIs whose check digit is valid (libs/domain/README.md).
 */
export const imei = z.string().regex(/^\d{15}$/, 'expected a 15-digit IMEI');

/** The handset that IDENTIFIES a line (`line.imei`, `lines[].imei`, an attachment): check digit enforced, normalised to 15 digits. */
export const checkedImei = z
  .string()
  .regex(/^\d[\d -]{13,20}\d$/, IMEI_MESSAGE)
  .transform((value, ctx) => {
    const normalised = normaliseImei(value);
    if (normalised === null) {
      ctx.addIssue({ code: 'custom', message: IMEI_MESSAGE });
      return z.NEVER;
    }
    return normalised;
  });

export const IDENTIFIER_KINDS = ['msisdn', 'imei'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/** One normalised identifier of a line: a number in E.164 or an IMEI of 15 digits. */
export interface LineIdentifier {
  readonly kind: IdentifierKind;
  readonly value: string;
}

const exactlyOneIdentifier = (ref: { msisdn?: unknown; imei?: unknown }) => (ref.msisdn === undefined) !== (ref.imei === undefined);
const EXACTLY_ONE_MESSAGE = 'name the line by exactly one identifier: msisdn or imei';

/** `{ "msisdn": … }` or `{ "imei": … }`: what a client writes to name a line by its number or handset. */
export const lineRef = z
  .object({ msisdn: phoneNumber.optional(), imei: checkedImei.optional() })
  .strict()
  .refine(exactlyOneIdentifier, { message: EXACTLY_ONE_MESSAGE });

/** How intake attributed an event to a line (PRODUCT.md, "Intake by identifier"). */
export const RESOLUTION_HOWS = ['given', 'held', 'held_before', 'held_after', 'new'] as const;
export type ResolutionHow = (typeof RESOLUTION_HOWS)[number];

export const lineResolution = z
  .object({
    /** The line the event went to. */
    lineId,
    how: z.enum(RESOLUTION_HOWS),
    /**
     * Only with `given`: another line held the identifier at `occurredAt`. The event stays on the
     * line the sender named (never silently re-attributed); analysts see the conflict.
     */
    conflictWith: lineId.optional(),
  })
  .strict()
  .refine((r) => r.conflictWith === undefined || (r.how === 'given' && r.conflictWith !== r.lineId), {
    message: 'conflictWith is only for a given line, and names another line',
    path: ['conflictWith'],
  });

export type LineResolution = z.infer<typeof lineResolution>;

/** A line reference after intake: the identifier and how it was attributed. Written by LineWatch, never by a client. */
export const resolvedLineRef = z
  .object({ msisdn: phoneNumber.optional(), imei: checkedImei.optional(), resolution: lineResolution })
  .strict()
  .refine(exactlyOneIdentifier, { message: EXACTLY_ONE_MESSAGE });

export type LineRefInput = z.input<typeof lineRef>;
export type LineRef = z.infer<typeof lineRef>;
export type ResolvedLineRef = z.infer<typeof resolvedLineRef>;

/** The identifier a (validated) line reference names. */
export function identifierOf(ref: { readonly msisdn?: string; readonly imei?: string }): LineIdentifier {
  if (ref.msisdn !== undefined) return { kind: 'msisdn', value: ref.msisdn };
  if (ref.imei !== undefined) return { kind: 'imei', value: ref.imei };
  throw new TypeError('a line reference names no identifier (the contract refuses it; unreachable after validation)');
}

/** The reference form of an identifier: `{ msisdn }` or `{ imei }`. */
export function refOf(identifier: LineIdentifier): { msisdn: string } | { imei: string } {
  return identifier.kind === 'msisdn' ? { msisdn: identifier.value } : { imei: identifier.value };
}
