/**
 * The api's line-identity routes, version 1 (HTTP API contract; PRODUCT.md "Line identity"):
 * lookup by number, handset or brand (`GET /v1/identifiers`), analysts' link decisions
 * (`POST /v1/lines/:lineId/merges`, `…/unmerges`, `…/identifiers`) and replacement suggestions
 * (`GET /v1/replacement-suggestions`, `POST …/:suggestionId/accept|reject`). The request schemas
 * are the ones the api validates with; the answers are what a caller reads as JSON.
 *
 * Numbers and IMEIs arrive as text and are normalised by the api (E.164; 15 digits with a valid
 * check digit): one that is not a number or an IMEI is refused with `INVALID_MSISDN` /
 * `INVALID_IMEI`, the codes intake refuses them with.
 */
import { z } from 'zod';
import { IDENTIFIER_KINDS, LINE_ID_PATTERN, lineId } from './line-identifier.v1';
import { LINE_LINK_TYPES } from './line-link.v1';
import { requestInstant, writtenInstant } from './line-api.v1';
import { LINE_STATE_NAMES } from './state-change.v1';

const identifierText = z.string().trim().min(1).max(40);
const rationale = z.string().trim().min(3).max(2000);
const pageLimit = (max: number) => z.coerce.number().int().min(1).max(max).default(100);

/** `?msisdn=` | `?imei=` | `?brand=`: exactly one. */
export const identifierLookupQueryV1 = z
  .object({
    msisdn: identifierText.optional(),
    imei: identifierText.optional(),
    // A whole brand, compared as line identity compares brands (not a pattern).
    brand: z.string().trim().min(1).max(64).optional(),
  })
  .strict()
  .refine((q) => [q.msisdn, q.imei, q.brand].filter((v) => v !== undefined).length === 1, {
    message: 'look up exactly one of msisdn, imei or brand',
  });

export const IDENTITY_LOOKUP_KINDS = [...IDENTIFIER_KINDS, 'brand'] as const;

/** An interval `[from, to)` over which a line held a number or handset (`to` null: still held). */
export const identifierIntervalV1 = z
  .object({
    kind: z.enum(IDENTIFIER_KINDS),
    value: z.string(),
    from: writtenInstant,
    to: writtenInstant.nullable(),
    /**
     * The events that started and ended the interval — for readers shown handling-C evidence only
     * (an event id ties a report to the number: from a C report, that is C content).
     */
    startedBy: z.string().optional(),
    endedBy: z.string().nullable().optional(),
  })
  .strict();

/** A brand a line used: compared form, first and last seen (`writtenAs` only for readers shown handling-C evidence). */
export const lineBrandV1 = z
  .object({
    brand: z.string(),
    writtenAs: z.array(z.string()).optional(),
    firstSeenAt: writtenInstant,
    lastSeenAt: writtenInstant,
  })
  .strict();

export const identifierMatchV1 = z
  .object({
    lineId: z.string(),
    state: z.enum(LINE_STATE_NAMES).nullable(),
    area: z.string().nullable(),
    /** The matching intervals (a number or handset lookup); empty for a brand. */
    intervals: z.array(identifierIntervalV1),
    /** The matching brand (a brand lookup); null for a number or handset. */
    brand: lineBrandV1.nullable(),
  })
  .strict();

export const identifierLookupV1 = z
  .object({
    /** What was looked up, normalised (E.164, 15-digit IMEI, the brand's compared form). */
    lookedUp: z.object({ kind: z.enum(IDENTITY_LOOKUP_KINDS), value: z.string() }).strict(),
    lines: z.array(identifierMatchV1),
  })
  .strict();

/** Merge the line of the path (B) into `into` (A): A survives, B's id becomes an alias of A. */
export const mergeRequestV1 = z
  .object({
    into: lineId,
    rationale,
    /** The decision's instant in event time (default now); it orders decisions, the merge joins ALL of B's events. */
    occurredAt: requestInstant.optional(),
  })
  .strict();

/** Undo the merge of the line of the path: `mergeEventId` (default: the line's merge in force). */
export const unmergeRequestV1 = z
  .object({
    mergeEventId: z.uuid().optional(),
    rationale,
    occurredAt: requestInstant.optional(),
  })
  .strict();

/** Attach a number or handset (exactly one) to the line of the path from `from` (default now). */
export const attachIdentifierRequestV1 = z
  .object({
    msisdn: identifierText.optional(),
    imei: identifierText.optional(),
    from: requestInstant.optional(),
    rationale,
  })
  .strict()
  .refine((b) => (b.msisdn === undefined) !== (b.imei === undefined), { message: 'attach exactly one identifier: msisdn or imei' });

/** A link decision accepted: the event published on intel.events.v1 (the tracker applies it). */
export const linkDecisionAnswerV1 = z
  .object({
    eventId: z.string(),
    status: z.literal('accepted'),
    event: z.looseObject({ type: z.enum(LINE_LINK_TYPES), lineId: z.string() }),
  })
  .strict();

export const SUGGESTION_STATUSES = ['open', 'accepted', 'rejected'] as const;
export const ENDING_KINDS = ['disrupted', 'deactivated', 'dormant', 'closed'] as const;

/** A suggestion's id: `<new line>~<line it may replace>` (`~` is never part of a line id). */
export const SUGGESTION_ID_PATTERN = new RegExp(`^(${LINE_ID_PATTERN.source.slice(1, -1)})~(${LINE_ID_PATTERN.source.slice(1, -1)})$`);

export const suggestionListQueryV1 = z
  .object({
    status: z.enum(SUGGESTION_STATUSES).default('open'),
    lineId: z.string().min(1).max(64).optional(),
    limit: pageLimit(500),
  })
  .strict();

export const suggestionParamsV1 = z.object({
  suggestionId: z.string().max(129).regex(SUGGESTION_ID_PATTERN, 'expected <lineId>~<replaces>'),
});

export const replacementSuggestionV1 = z
  .object({
    id: z.string(),
    /** The new line… */
    lineId: z.string(),
    /** …possibly the replacement of this one (accepting merges lineId into it). */
    replaces: z.string(),
    status: z.enum(SUGGESTION_STATUSES),
    reasons: z
      .object({
        brands: z.array(z.string()),
        area: z.string(),
        sameArea: z.boolean(),
        matchingAreas: z.array(z.string()),
        ending: z.object({ kind: z.enum(ENDING_KINDS), at: z.string() }).strict(),
        daysBetween: z.number(),
      })
      .strict(),
    suggestedAt: writtenInstant,
    decidedAt: writtenInstant.nullable(),
    decidedBy: z.string().nullable(),
    decisionReason: z.string().nullable(),
  })
  .strict();

export const suggestionListV1 = z.object({ suggestions: z.array(replacementSuggestionV1) }).strict();

export const suggestionDecisionRequestV1 = z
  .object({
    rationale,
    /** Accept only: the merge's instant in event time (default now). */
    occurredAt: requestInstant.optional(),
  })
  .strict();

export const suggestionDecisionAnswerV1 = z
  .object({
    suggestion: replacementSuggestionV1,
    /** Accepted: the merge published (the tracker applies it). */
    merge: linkDecisionAnswerV1.nullable(),
  })
  .strict();

export type IdentifierLookupV1 = z.infer<typeof identifierLookupV1>;
export type ReplacementSuggestionV1 = z.infer<typeof replacementSuggestionV1>;
export type LinkDecisionAnswerV1 = z.infer<typeof linkDecisionAnswerV1>;

/** A suggestion's id: `<new line>~<line it may replace>` (SUGGESTION_ID_PATTERN). */
export function suggestionIdOf(pair: { readonly lineId: string; readonly replaces: string }): string {
  return `${pair.lineId}~${pair.replaces}`;
}

/** A suggestion as stored (libs/persistence's StoredSuggestion has this shape). */
export interface SuggestionRecord {
  readonly lineId: string;
  readonly replaces: string;
  readonly status: (typeof SUGGESTION_STATUSES)[number];
  readonly reasons: {
    readonly brands: readonly string[];
    readonly area: string;
    readonly sameArea: boolean;
    readonly matchingAreas: readonly string[];
    readonly ending: { readonly kind: (typeof ENDING_KINDS)[number]; readonly at: Date | string };
    readonly daysBetween: number;
  };
  readonly suggestedAt: Date;
  readonly decidedAt: Date | null;
  readonly decidedBy: string | null;
  readonly decisionReason: string | null;
}

/** A suggestion as the api lists it and the live stream announces it. */
export function replacementSuggestionViewOf(s: SuggestionRecord): ReplacementSuggestionV1 {
  return {
    id: suggestionIdOf(s),
    lineId: s.lineId,
    replaces: s.replaces,
    status: s.status,
    reasons: {
      brands: [...s.reasons.brands],
      area: s.reasons.area,
      sameArea: s.reasons.sameArea,
      matchingAreas: [...s.reasons.matchingAreas],
      // Stored as JSON: the instant comes back as its ISO text.
      ending: { kind: s.reasons.ending.kind, at: new Date(s.reasons.ending.at).toISOString() },
      daysBetween: s.reasons.daysBetween,
    },
    suggestedAt: s.suggestedAt.toISOString(),
    decidedAt: s.decidedAt?.toISOString() ?? null,
    decidedBy: s.decidedBy,
    decisionReason: s.decisionReason,
  };
}
