/**
 * Intelligence event contract, version 1 (topic `intel.events.v1`).
 *
 * One schema per type, sharing an envelope; `type` discriminates. Objects are
 * strict: an unknown field is an error, not silently dropped (a field we do
 * not know may carry personal data we must not hold). Phone numbers are
 * normalised to E.164 (UK national format accepted). Grading is 3x5x2; the
 * older 5x5x5 is accepted and mapped, keeping the original.
 *
 * Two forms of each type (PRODUCT.md, "Line identity"):
 * - the SUBMISSION (`intelEventSubmissionV1`): what a client sends. A line event names its line by
 *   `lineId`, or by `line: { msisdn } | { imei }` instead (or both); a raid by `lineIds` and/or
 *   `lines`. The JSON Schemas describe this form.
 * - the RESOLVED event (`intelEventV1`, `IntelEventV1`): what intake publishes and everything
 *   downstream reads. Every line is named by id; each identifier carries the `resolution` intake
 *   wrote (`resolveIntelEvent`). Every v1 event accepted before identifiers existed is both.
 */
import { z } from 'zod';
import { imei, lineId, lineRef, phoneNumber, resolvedLineRef } from './line-identifier.v1';

export { imei, lineId, phoneNumber } from './line-identifier.v1';

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

/** The types that concern exactly one line: they may name it by `line` (an identifier) instead of `lineId`. */
export const SINGLE_LINE_TYPES = [
  'line.sighting',
  'line.number_changed',
  'enforcement.arrest',
  'enforcement.seizure',
  'line.deactivated',
  'line.assessed',
] as const satisfies readonly IntelEventType[];
export type SingleLineType = (typeof SINGLE_LINE_TYPES)[number];

/** Area codes are configured, not hard-coded: the schema checks the shape; intake checks the list. */
export const areaCode = z
  .string()
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'expected an area code such as "bath" or "midsomer-norton"')
  .max(64);

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

export const freeText = z.string().max(2000);

/** The fields every event on `intel.events.v1` carries (link decisions included). */
export const envelopeShape = {
  eventId: z.uuid({ message: 'expected a UUID' }),
  occurredAt: instant,
  reportedAt: instant.optional(),
  area: areaCode,
  grading,
  source,
};

const brand = z.string().min(1).max(64);

const sightingBody = z
  .object({
    kind: z.enum(['bulk_text', 'test_purchase', 'call_data', 'intelligence_report', 'other']),
    brand: brand.optional(),
    msisdn: phoneNumber.optional(),
    note: freeText.optional(),
  })
  .strict();

const numberChangedBody = z
  .object({
    newMsisdn: phoneNumber,
    previousMsisdn: phoneNumber.optional(),
    imei: imei.optional(),
    brand: brand.optional(),
  })
  .strict();

const raidBody = z
  .object({
    place: z.object({ description: z.string().min(1).max(200), postcodeDistrict: z.string().max(8).optional() }).strict(),
    warrant: z.string().max(64).optional(),
    cuckooing: z.boolean().default(false),
    note: freeText.optional(),
  })
  .strict();

const arrestBody = z
  .object({
    role: z.enum(['holder', 'runner', 'other']),
    charged: z.boolean().default(false),
    ageBand: z.enum(['under_18', '18_24', '25_plus', 'unknown']).default('unknown'),
  })
  .strict();

const seizureBody = z
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
  .strict();

const deactivatedBody = z
  .object({
    method: z.enum(['court_order', 'network_operator', 'other']),
    msisdn: phoneNumber.optional(),
  })
  .strict();

const assessedBody = z
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
  });

const referralBody = z
  .object({
    subject: z.enum(['child', 'adult']),
    exploitation: z.array(z.enum(['criminal', 'sexual', 'cuckooing'])).min(1),
    agency: z.string().max(64).optional(),
  })
  .strict();

export const NAME_THE_LINE_MESSAGE = 'name the line: lineId, or line (a number or handset) instead';
export const NAME_THE_LINES_MESSAGE = 'name 1 to 50 lines: lineIds and/or lines (numbers or handsets)';

/** A single-line type in both forms: resolved (on the topic) and as a client submits it. */
function singleLineType<T extends SingleLineType, B extends z.ZodType>(type: T, body: B) {
  // That the resolution names the event's own line is checked after parsing (`resolutionErrorOf`):
  // a refinement here made parsing every sighting about 15% slower (measured in one process, interleaved).
  const resolved = z.object({ ...envelopeShape, lineId, line: resolvedLineRef.optional(), type: z.literal(type), body }).strict();
  const submitted = z
    .object({ ...envelopeShape, lineId: lineId.optional(), line: lineRef.optional(), type: z.literal(type), body })
    .strict()
    .refine((event) => event.lineId !== undefined || event.line !== undefined, { message: NAME_THE_LINE_MESSAGE, path: ['lineId'] });
  return { resolved, submitted };
}

const sighting = singleLineType('line.sighting', sightingBody);
const numberChanged = singleLineType('line.number_changed', numberChangedBody);
const arrest = singleLineType('enforcement.arrest', arrestBody);
const seizure = singleLineType('enforcement.seizure', seizureBody);
const deactivated = singleLineType('line.deactivated', deactivatedBody);
const assessed = singleLineType('line.assessed', assessedBody);

export const lineSighting = sighting.resolved;
export const lineNumberChanged = numberChanged.resolved;
export const enforcementArrest = arrest.resolved;
export const enforcementSeizure = seizure.resolved;
export const lineDeactivated = deactivated.resolved;
export const lineAssessed = assessed.resolved;

/** A raid on the topic: `lineIds` holds every line, those resolved from `lines` included. */
export const enforcementRaid = z
  .object({
    ...envelopeShape,
    type: z.literal('enforcement.raid'),
    lineIds: z.array(lineId).min(1).max(50),
    /** The numbers or handsets the sender named, each with the line it resolved to (one of `lineIds`). */
    lines: z.array(resolvedLineRef).min(1).max(50).optional(),
    body: raidBody,
  })
  .strict();

/** A raid as submitted: lines by id (`lineIds`), by number or handset (`lines`), or both; 1 to 50 in all. */
export const enforcementRaidSubmission = z
  .object({
    ...envelopeShape,
    type: z.literal('enforcement.raid'),
    lineIds: z.array(lineId).max(50).optional(),
    lines: z.array(lineRef).max(50).optional(),
    body: raidBody,
  })
  .strict()
  .refine(
    (raid) => {
      const named = (raid.lineIds?.length ?? 0) + (raid.lines?.length ?? 0);
      return named >= 1 && named <= 50;
    },
    { message: NAME_THE_LINES_MESSAGE, path: ['lineIds'] },
  );

export const safeguardingReferral = z
  .object({
    ...envelopeShape,
    type: z.literal('safeguarding.referral'),
    /** The lines the referral is linked to, if any (by id only). No names: the event carries none. */
    lineIds: z.array(lineId).max(50).default([]),
    body: referralBody,
  })
  .strict();

/** The resolved form: what is on `intel.events.v1` after intake, and what every consumer reads. */
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

/** What a client sends (POST /v1/events, a direct Kafka producer): lines by id or by identifier. */
export const intelEventSubmissionV1 = z.discriminatedUnion('type', [
  sighting.submitted,
  numberChanged.submitted,
  enforcementRaidSubmission,
  arrest.submitted,
  seizure.submitted,
  deactivated.submitted,
  assessed.submitted,
  safeguardingReferral,
]);

/** The submission schema of one single-line type (JSON Schema generation states its "lineId or line" rule). */
export const SINGLE_LINE_SUBMISSIONS: readonly z.ZodType[] = [
  sighting.submitted,
  numberChanged.submitted,
  arrest.submitted,
  seizure.submitted,
  deactivated.submitted,
  assessed.submitted,
];

export type IntelEventV1 = z.infer<typeof intelEventV1>;
export type IntelEventInput = z.input<typeof intelEventV1>;
export type IntelEventSubmission = z.infer<typeof intelEventSubmissionV1>;
export type IntelEventSubmissionInput = z.input<typeof intelEventSubmissionV1>;

/**
 * What the resolved schema does not check itself: each resolution names a line of the event (its
 * `lineId`, or one of a raid's `lineIds`). Null when it holds.
 */
export function resolutionErrorOf(event: IntelEventV1): { readonly path: string; readonly message: string } | null {
  switch (event.type) {
    case 'safeguarding.referral':
      return null;
    case 'enforcement.raid': {
      const stray = (event.lines ?? []).findIndex((ref) => !event.lineIds.includes(ref.resolution.lineId));
      return stray < 0 ? null : { path: `lines[${stray}].resolution.lineId`, message: 'every resolved line must be one of lineIds' };
    }
    default:
      return event.line === undefined || event.line.resolution.lineId === event.lineId
        ? null
        : { path: 'line.resolution.lineId', message: "the resolution's line must be the event's lineId" };
  }
}

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
