/**
 * Intelligence event contract, version 1 (topic `intel.events.v1`).
 *
 * One schema per type, sharing an envelope; `type` discriminates. Objects are
 * strict: an unknown field is an error, not silently dropped (a field we do
 * not know may carry personal data we must not hold). Phone numbers are
 * normalised to E.164 (UK national format accepted). Grading is 3x5x2; the
 * older 5x5x5 is accepted and mapped, keeping the original.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';

export const INTEL_EVENT_SCHEMA = 'intel.event.v1';

export const INTEL_EVENT_TYPES = [
  'line.sighting',
  'line.number_changed',
  'enforcement.raid',
  'enforcement.arrest',
  'enforcement.seizure',
  'line.deactivated',
  'line.assessed',
  'safeguarding.referral',
] as const;
export type IntelEventType = (typeof INTEL_EVENT_TYPES)[number];

/** Area codes are configured, not hard-coded: the schema checks the shape; intake checks the list. */
export const areaCode = z
  .string()
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'expected an area code such as "bath" or "midsomer-norton"')
  .max(64);

export const lineId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'expected a line id: letters, digits, . _ : - (at most 64)');

/** ISO-8601 with an explicit offset (Z or ±hh:mm); impossible dates such as 2026-02-30 are refused. */
export const instant = z.iso
  .datetime({ offset: true, message: 'expected an ISO-8601 date-time with offset, e.g. 2026-11-30T21:15:00Z' })
  .refine((value) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})T/.exec(value);
    if (!match) return false;
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  }, 'impossible calendar date');

/**
 * A phone number, normalised to E.164; UK national numbers (07…, 01…) are read
 * as +44. "Possible" (right length for its country), not "valid": Ofcom's
 * ranges reserved for drama (07700 900xxx), which demo data uses, count as
 * unallocated, and a real line may use a range newer than the metadata.
 */
export const phoneNumber = z.string().transform((value, ctx) => {
  const parsed = /^\+?[\d\s().-]{6,24}$/.test(value) ? parsePhoneNumberFromString(value, 'GB') : undefined;
  // "Possible" is judged on UK-wide lengths; UK mobiles (07…) are exactly ten national digits.
  const ukMobileLengthWrong =
    parsed?.countryCallingCode === '44' && parsed.nationalNumber.startsWith('7') && parsed.nationalNumber.length !== 10;
  if (!parsed || !parsed.isPossible() || ukMobileLengthWrong) {
    ctx.addIssue({ code: 'custom', message: 'expected a valid phone number (E.164 or UK national format)' });
    return z.NEVER;
  }
  return parsed.number;
});

export const imei = z.string().regex(/^\d{15}$/, 'expected a 15-digit IMEI');

const grading5x5x5 = z
  .object({
    system: z.literal('5x5x5'),
    source: z.enum(['A', 'B', 'C', 'D', 'E'], { message: '5x5x5 source evaluation: A to E' }),
    intelligence: z.enum(['1', '2', '3', '4', '5'], { message: '5x5x5 intelligence evaluation: 1 to 5' }),
    handling: z.enum(['1', '2', '3', '4', '5'], { message: '5x5x5 handling code: 1 to 5' }),
  })
  .strict();

const grading3x5x2 = z
  .object({
    system: z.literal('3x5x2'),
    source: z.enum(['1', '2', '3'], { message: 'source evaluation: 1 reliable, 2 untested, 3 not reliable' }),
    intelligence: z.enum(['A', 'B', 'C', 'D', 'E'], { message: 'intelligence assessment: A to E' }),
    handling: z.enum(['P', 'C'], { message: 'handling code: P lawful sharing permitted, C with conditions' }),
    /**
     * The 5x5x5 grading a 3x5x2 one was mapped from. Intake publishes events as validated, mapped
     * gradings included, and the tracker validates them again: without this the second check
     * refused every 5x5x5-graded event. It must map to the grading it comes with.
     */
    original: grading5x5x5.optional(),
  })
  .strict()
  .refine(
    (g) => {
      if (!g.original) return true;
      const mapped = map5x5x5(g.original);
      return mapped.source === g.source && mapped.intelligence === g.intelligence && mapped.handling === g.handling;
    },
    { message: 'original (5x5x5) does not map to this grading', path: ['original'] },
  );

export type Grading = {
  readonly system: '3x5x2';
  readonly source: '1' | '2' | '3';
  readonly intelligence: 'A' | 'B' | 'C' | 'D' | 'E';
  readonly handling: 'P' | 'C';
  /** The 5x5x5 grading as given, when it was mapped. */
  readonly original?: z.infer<typeof grading5x5x5>;
};

const SOURCE_5X5X5: Record<string, Grading['source']> = { A: '1', B: '1', C: '2', D: '3', E: '2' };
const INTELLIGENCE_5X5X5: Record<string, Grading['intelligence']> = { '1': 'A', '2': 'A', '3': 'B', '4': 'C', '5': 'E' };

/** 5x5x5 → 3x5x2, as documented in docs/events.md. Handling 1 alone permits sharing without conditions. */
export function map5x5x5(grading: z.infer<typeof grading5x5x5>): Grading {
  return {
    system: '3x5x2',
    source: SOURCE_5X5X5[grading.source],
    intelligence: INTELLIGENCE_5X5X5[grading.intelligence],
    handling: grading.handling === '1' ? 'P' : 'C',
    original: grading,
  };
}

/** `system` may be left out for 3x5x2; errors then name the field of the grading that is wrong. */
export const grading = z
  .preprocess(
    (value) =>
      typeof value === 'object' && value !== null && !Array.isArray(value) && !('system' in value) ? { ...value, system: '3x5x2' } : value,
    z.discriminatedUnion('system', [grading3x5x2, grading5x5x5], { message: 'expected a 3x5x2 (or 5x5x5) grading' }),
  )
  .transform((g): Grading => (g.system === '5x5x5' ? map5x5x5(g) : g));

const source = z
  .object({
    system: z.string().min(1).max(64),
    reference: z.string().min(1).max(128),
  })
  .strict();

const freeText = z.string().max(2000);

const envelope = {
  eventId: z.uuid({ message: 'expected a UUID' }),
  occurredAt: instant,
  reportedAt: instant.optional(),
  area: areaCode,
  grading,
  source,
};

const lineEnvelope = { ...envelope, lineId };

export const lineSighting = z
  .object({
    ...lineEnvelope,
    type: z.literal('line.sighting'),
    body: z
      .object({
        kind: z.enum(['bulk_text', 'test_purchase', 'call_data', 'intelligence_report', 'other']),
        brand: z.string().min(1).max(64).optional(),
        msisdn: phoneNumber.optional(),
        note: freeText.optional(),
      })
      .strict(),
  })
  .strict();

export const lineNumberChanged = z
  .object({
    ...lineEnvelope,
    type: z.literal('line.number_changed'),
    body: z
      .object({
        newMsisdn: phoneNumber,
        previousMsisdn: phoneNumber.optional(),
        imei: imei.optional(),
        brand: z.string().min(1).max(64).optional(),
      })
      .strict(),
  })
  .strict();

export const enforcementRaid = z
  .object({
    ...envelope,
    type: z.literal('enforcement.raid'),
    lineIds: z.array(lineId).min(1).max(50),
    body: z
      .object({
        place: z.object({ description: z.string().min(1).max(200), postcodeDistrict: z.string().max(8).optional() }).strict(),
        warrant: z.string().max(64).optional(),
        cuckooing: z.boolean().default(false),
        note: freeText.optional(),
      })
      .strict(),
  })
  .strict();

export const enforcementArrest = z
  .object({
    ...lineEnvelope,
    type: z.literal('enforcement.arrest'),
    body: z
      .object({
        role: z.enum(['holder', 'runner', 'other']),
        charged: z.boolean().default(false),
        ageBand: z.enum(['under_18', '18_24', '25_plus', 'unknown']).default('unknown'),
      })
      .strict(),
  })
  .strict();

export const enforcementSeizure = z
  .object({
    ...lineEnvelope,
    type: z.literal('enforcement.seizure'),
    body: z
      .object({
        items: z
          .array(
            z
              .object({
                kind: z.enum(['handset', 'drugs', 'cash', 'weapon', 'other']),
                quantity: z.number().nonnegative().optional(),
                description: z.string().max(200).optional(),
              })
              .strict(),
          )
          .min(1)
          .max(100),
        msisdn: phoneNumber.optional(),
        imei: imei.optional(),
      })
      .strict(),
  })
  .strict();

export const lineDeactivated = z
  .object({
    ...lineEnvelope,
    type: z.literal('line.deactivated'),
    body: z
      .object({
        method: z.enum(['court_order', 'network_operator', 'other']),
        msisdn: phoneNumber.optional(),
      })
      .strict(),
  })
  .strict();

export const lineAssessed = z
  .object({
    ...lineEnvelope,
    type: z.literal('line.assessed'),
    body: z
      .object({
        decision: z.enum(['closure_type_1', 'closure_type_2', 'reopen', 'dormancy_override']),
        /** With dormancy_override: the line's own dormancy window. */
        dormancyWindowDays: z.number().int().min(1).max(365).optional(),
        rationale: z.string().min(1).max(2000),
      })
      .strict()
      .refine((b) => b.decision !== 'dormancy_override' || b.dormancyWindowDays !== undefined, {
        message: 'dormancyWindowDays is required with decision dormancy_override',
        path: ['dormancyWindowDays'],
      }),
  })
  .strict();

export const safeguardingReferral = z
  .object({
    ...envelope,
    type: z.literal('safeguarding.referral'),
    /** The lines the referral is linked to, if any. No names: the event carries none. */
    lineIds: z.array(lineId).max(50).default([]),
    body: z
      .object({
        subject: z.enum(['child', 'adult']),
        exploitation: z.array(z.enum(['criminal', 'sexual', 'cuckooing'])).min(1),
        agency: z.string().max(64).optional(),
      })
      .strict(),
  })
  .strict();

export const intelEventV1 = z.discriminatedUnion('type', [
  lineSighting,
  lineNumberChanged,
  enforcementRaid,
  enforcementArrest,
  enforcementSeizure,
  lineDeactivated,
  lineAssessed,
  safeguardingReferral,
]);

export type IntelEventV1 = z.infer<typeof intelEventV1>;
export type IntelEventInput = z.input<typeof intelEventV1>;

/** The lines an event concerns: its Kafka keys (one message per line keeps each line's order). */
export function linesOf(event: IntelEventV1): readonly string[] {
  switch (event.type) {
    case 'enforcement.raid':
    case 'safeguarding.referral':
      return [...new Set(event.lineIds)];
    case 'line.sighting':
    case 'line.number_changed':
    case 'enforcement.arrest':
    case 'enforcement.seizure':
    case 'line.deactivated':
    case 'line.assessed':
      return [event.lineId];
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** Kafka keys: each concerned line; an event naming no line is keyed by its area. */
export function partitionKeysOf(event: IntelEventV1): readonly string[] {
  const lines = linesOf(event);
  return lines.length > 0 ? lines : [`area:${event.area}`];
}
