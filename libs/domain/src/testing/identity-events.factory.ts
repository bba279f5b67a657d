/**
 * Test data for the line-identity specs: resolved contract events (as intake publishes them) on the
 * day scale of `line-events.factory.ts`. Not exported from the library's index.
 */
import type { IntelEventV1, LineResolution } from '@linewatch/contracts';
import { day } from './line-events.factory';

export const NUMBERS = ['+447700900101', '+447700900102', '+447700900103', '+447700900104'] as const;
export const HANDSETS = ['490154203237518', '353918057812345', '350000001234562'] as const;

export interface IdentityEventOptions {
  readonly id?: string;
  readonly line?: string;
  readonly grade?: 'A' | 'B' | 'C' | 'D' | 'E';
  readonly area?: string;
}

let sequence = 0;
const envelope = (days: number, options: IdentityEventOptions) => ({
  eventId: options.id ?? `id-${String(++sequence).padStart(5, '0')}`,
  occurredAt: day(days).toISOString(),
  area: options.area ?? 'bath',
  grading: { system: '3x5x2' as const, source: '2' as const, intelligence: options.grade ?? 'B', handling: 'P' as const },
  source: { system: 'test', reference: 'identity' },
  lineId: options.line ?? 'jay-1',
});

/** A resolved line reference: `{ msisdn | imei, resolution }` on the event's line. */
export const ref = (identifier: { msisdn: string } | { imei: string }, lineId: string, how: LineResolution['how'] = 'held') => ({
  ...identifier,
  resolution: { lineId, how },
});

export const sightingOf = (
  days: number,
  body: { msisdn?: string; brand?: string } = {},
  options: IdentityEventOptions = {},
): IntelEventV1 => ({
  ...envelope(days, options),
  type: 'line.sighting',
  body: { kind: 'bulk_text', ...body },
});

export const sightingByRef = (
  days: number,
  identifier: { msisdn: string } | { imei: string },
  options: IdentityEventOptions = {},
): IntelEventV1 => {
  const base = envelope(days, options);
  return { ...base, type: 'line.sighting', line: ref(identifier, base.lineId), body: { kind: 'test_purchase' } };
};

export const numberChangedTo = (
  days: number,
  newMsisdn: string,
  extra: { previousMsisdn?: string; imei?: string; brand?: string } = {},
  options: IdentityEventOptions = {},
): IntelEventV1 => ({ ...envelope(days, options), type: 'line.number_changed', body: { newMsisdn, ...extra } });

export const deactivatedOf = (days: number, msisdn?: string, options: IdentityEventOptions = {}): IntelEventV1 => ({
  ...envelope(days, options),
  type: 'line.deactivated',
  body: { method: 'court_order', ...(msisdn === undefined ? {} : { msisdn }) },
});

export const seizureOf = (days: number, body: { msisdn?: string; imei?: string }, options: IdentityEventOptions = {}): IntelEventV1 => ({
  ...envelope(days, options),
  type: 'enforcement.seizure',
  body: { items: [{ kind: 'handset' }], ...body },
});
