/**
 * What one event says about a line's identifiers (numbers, handsets, brands), for ONE line: the
 * input of `lineIdentityOf`. A contract event becomes one fact per line it names that it says
 * something about; an analyst's attachment (`line.identifier_attached`) becomes one too.
 */
import type { IntelEventV1, LineLinkV1 } from '@linewatch/contracts';
import { normaliseImei, normaliseMsisdn, type IdentifierKind, type LineIdentifier } from './identifier.normalise';

export interface IdentityFact {
  readonly eventId: string;
  readonly lineId: string;
  readonly occurredAt: Date;
  /** Order among facts at one instant (the timeline's type precedence; an analyst's attachment last). */
  readonly rank: number;
  /** Identifiers the line holds from `occurredAt` (a new interval unless one is open). */
  readonly attaches: readonly LineIdentifier[];
  /** Identifiers whose interval ends at `occurredAt` (recorded as `[t, t)` when the line did not hold them). */
  readonly ends: readonly LineIdentifier[];
  /** Kinds whose every open interval ends at `occurredAt`, except the identifiers this fact attaches. */
  readonly endsOpen: readonly IdentifierKind[];
  /** Brand names as written (normalised when compared). */
  readonly brands: readonly string[];
}

/** Order at one instant, as `precedenceOf` orders line events: evidence, enforcement, decisions. */
const RANK: Record<IntelEventV1['type'] | 'line.identifier_attached', number> = {
  'safeguarding.referral': 0,
  'line.sighting': 1,
  'line.number_changed': 2,
  'enforcement.raid': 3,
  'enforcement.arrest': 4,
  'enforcement.seizure': 5,
  'line.deactivated': 6,
  'line.assessed': 8,
  'line.identifier_attached': 10,
};

/** Where an analyst's attachment sorts among facts at one instant: after all evidence. */
export const ATTACHMENT_RANK = RANK['line.identifier_attached'];

const msisdn = (value: string | undefined): LineIdentifier[] => {
  const normalised = value === undefined ? null : normaliseMsisdn(value);
  return normalised === null ? [] : [{ kind: 'msisdn', value: normalised }];
};
/** Body IMEIs are 15 digits in v1 without a check: only those with a valid check digit identify a handset. */
const imei = (value: string | undefined): LineIdentifier[] => {
  const normalised = value === undefined ? null : normaliseImei(value);
  return normalised === null ? [] : [{ kind: 'imei', value: normalised }];
};
const refIdentifiers = (ref: { readonly msisdn?: string; readonly imei?: string } | undefined): LineIdentifier[] =>
  ref === undefined ? [] : [...msisdn(ref.msisdn), ...imei(ref.imei)];

const EMPTY = { attaches: [], ends: [], endsOpen: [], brands: [] } as const;

/**
 * The identity facts of a (resolved) contract event, one per line it says something about. Events
 * graded E (suspected false) say nothing: a report suspected false must not link a number to a
 * line. See libs/domain/README.md, "Line identity", for what each type attaches and ends.
 */
export function identityFactsOf(event: IntelEventV1): IdentityFact[] {
  if (event.grading.intelligence === 'E') return [];
  const fact = (lineId: string, says: Omit<IdentityFact, 'eventId' | 'lineId' | 'occurredAt' | 'rank'>): IdentityFact => ({
    eventId: event.eventId,
    lineId,
    occurredAt: new Date(event.occurredAt),
    rank: RANK[event.type],
    ...says,
  });
  const worthSaying = (f: IdentityFact) => f.attaches.length + f.ends.length + f.endsOpen.length + f.brands.length > 0;
  switch (event.type) {
    case 'safeguarding.referral':
      return [];
    case 'enforcement.raid':
      // Each identifier the raid named goes to the line it resolved to; lines named by id learn nothing.
      return [...new Set(event.lineIds)]
        .map((lineId) =>
          fact(lineId, {
            ...EMPTY,
            attaches: (event.lines ?? []).filter((ref) => ref.resolution.lineId === lineId).flatMap(refIdentifiers),
          }),
        )
        .filter(worthSaying);
    case 'line.sighting':
      return [
        fact(event.lineId, {
          ...EMPTY,
          attaches: dedupe([...refIdentifiers(event.line), ...msisdn(event.body.msisdn)]),
          brands: event.body.brand === undefined ? [] : [event.body.brand],
        }),
      ].filter(worthSaying);
    case 'line.number_changed': {
      // The sender names the line as it knew it: a line number is the previous number, a line handset the previous handset.
      const newNumber = msisdn(event.body.newMsisdn);
      const previous = msisdn(event.body.previousMsisdn ?? event.line?.msisdn).filter((p) => p.value !== newNumber[0]?.value);
      const newHandset = imei(event.body.imei);
      const refHandset = imei(event.line?.imei);
      return [
        fact(event.lineId, {
          attaches: dedupe([...newNumber, ...newHandset, ...(newHandset.length === 0 ? refHandset : [])]),
          ends: dedupe([...previous, ...(newHandset.length > 0 ? refHandset.filter((h) => h.value !== newHandset[0].value) : [])]),
          endsOpen: [...(previous.length === 0 ? (['msisdn'] as const) : []), ...(newHandset.length > 0 ? (['imei'] as const) : [])],
          brands: event.body.brand === undefined ? [] : [event.body.brand],
        }),
      ];
    }
    case 'enforcement.seizure':
      return [
        fact(event.lineId, {
          ...EMPTY,
          attaches: dedupe([...refIdentifiers(event.line), ...msisdn(event.body.msisdn), ...imei(event.body.imei)]),
        }),
      ].filter(worthSaying);
    case 'line.deactivated': {
      // Cut off: the number (or handset) it names; naming none, the line's number(s) then in use.
      const named = dedupe([...msisdn(event.body.msisdn), ...refIdentifiers(event.line)]);
      return [fact(event.lineId, { ...EMPTY, ends: named, endsOpen: named.length === 0 ? ['msisdn'] : [] })];
    }
    case 'enforcement.arrest':
    case 'line.assessed':
      return [fact(event.lineId, { ...EMPTY, attaches: refIdentifiers(event.line) })].filter(worthSaying);
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** An analyst's attachment of a number or handset to a line from `occurredAt`; other link decisions say nothing of identifiers. */
export function identityFactsOfLink(event: LineLinkV1): IdentityFact[] {
  switch (event.type) {
    case 'line.identifier_attached':
      return [
        {
          eventId: event.eventId,
          lineId: event.lineId,
          occurredAt: new Date(event.occurredAt),
          rank: RANK[event.type],
          ...EMPTY,
          attaches: [...msisdn(event.body.msisdn), ...imei(event.body.imei)],
        },
      ];
    case 'line.merged':
    case 'line.unmerged':
      return [];
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

function dedupe(identifiers: readonly LineIdentifier[]): LineIdentifier[] {
  const seen = new Set<string>();
  return identifiers.filter((identifier) => {
    const key = `${identifier.kind}:${identifier.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
