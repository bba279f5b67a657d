import { normaliseImei, normalisePhoneNumber, type LineIdentifier } from '@linewatch/contracts';
import { CodedError } from '@linewatch/platform';

export class IdentifierError extends CodedError<'INVALID_MSISDN' | 'INVALID_IMEI'> {}

/**
 * A number or IMEI as a caller typed it, normalised the way intake normalises identifiers (E.164;
 * 15 digits with a valid check digit), or refused with the code intake refuses it with.
 */
export function identifierFromText(kind: LineIdentifier['kind'], text: string): LineIdentifier {
  const value = kind === 'msisdn' ? normalisePhoneNumber(text) : normaliseImei(text);
  if (value !== null) return { kind, value };
  const [code, message] =
    kind === 'msisdn'
      ? (['INVALID_MSISDN', 'not a valid phone number (E.164 or UK national format)'] as const)
      : (['INVALID_IMEI', 'not an IMEI: 15 digits with a valid (Luhn) check digit'] as const);
  throw new IdentifierError(code, `${kind}: ${message}`, [{ path: kind, message }]);
}
