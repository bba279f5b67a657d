/**
 * Identifiers compared as PRODUCT.md says ("Line identity"): a number in E.164, a handset as 15
 * digits with a valid Luhn check digit, a brand trimmed, case- and accent-insensitive, inner spaces
 * collapsed. The number and IMEI parsers are the contract's (one rule for intake and the domain).
 */
import { normaliseImei, normalisePhoneNumber, type IdentifierKind, type LineIdentifier } from '@linewatch/contracts';

export type { IdentifierKind, LineIdentifier } from '@linewatch/contracts';

/** A number in E.164 (UK national forms read as +44), or null when it is not a possible number. */
export function normaliseMsisdn(text: string): string | null {
  return normalisePhoneNumber(text.trim());
}

/** 15 digits with a valid Luhn check digit (spaces and hyphens between digits dropped), or null. */
export { normaliseImei };

/** An identifier from text of a known kind, or null when the text is not one. */
export function parseIdentifier(kind: IdentifierKind, text: string): LineIdentifier | null {
  const value = kind === 'msisdn' ? normaliseMsisdn(text) : normaliseImei(text.trim());
  return value === null ? null : { kind, value };
}

/** One string per identifier, for maps and sets: `msisdn:+447700900123`, `imei:490154203237518`. */
export function identifierKey(identifier: LineIdentifier): string {
  return `${identifier.kind}:${identifier.value}`;
}

// Combining marks (accents) left by NFKD; \p{M} also covers marks of non-Latin scripts.
const COMBINING_MARKS = /\p{M}+/gu;

/**
 * The form brands are compared in: NFKD (compatibility: full-width and ligature forms fold too),
 * combining marks stripped, lower-cased, trimmed, inner whitespace collapsed to one space.
 * `"  JÄY  Kay "` → `"jay kay"`. Null when nothing is left.
 */
export function normaliseBrand(text: string): string | null {
  const folded = text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().replace(/\s+/gu, ' ').trim();
  return folded === '' ? null : folded;
}
