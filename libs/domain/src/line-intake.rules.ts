/**
 * Intake of a submission (PRODUCT.md, "Intake by identifier"): from what a client or a direct
 * Kafka producer sent to the resolved event that is stored, the Kafka keys it is published under,
 * and the lines it went to as answered. Pure: what is known of the identifiers and of the aliases
 * is data, fetched beforehand for a whole request (`intakeLookupsOf` says what to fetch).
 */
import {
  identifiersToResolve,
  linesOf,
  resolutionOf,
  resolveIntelEvent,
  type IntelEventSubmission,
  type IntelEventV1,
  type LineResolution,
} from '@linewatch/contracts';
import { identifierKey, type LineIdentifier } from './identifier.normalise';
import { attributeIdentifier, deriveLineId } from './line-attribution.rules';
import type { HeldInterval } from './line-identity.rules';

/** What intake knows when it resolves: every interval of the identifiers named, and where each line id resolves (merges). */
export interface KnownLines {
  /** The intervals of this identifier (all of them: attribution picks held / before / after at each instant). */
  readonly intervalsOf: (identifier: LineIdentifier) => readonly HeldInterval[];
  /** A merged line's id → its survivor (itself when it is no alias). */
  readonly rootOf: (lineId: string) => string;
}

/** What to fetch before resolving a batch: each identifier once, and the line ids whose aliases matter. */
export interface IntakeLookups {
  readonly identifiers: readonly LineIdentifier[];
  /** Lines named by id, and the new lines the identifiers would create (a derived line may have been merged since). */
  readonly lineIds: readonly string[];
}

export function intakeLookupsOf(submissions: readonly IntelEventSubmission[]): IntakeLookups {
  const identifiers = new Map<string, LineIdentifier>();
  const lineIds = new Set<string>();
  for (const submission of submissions) {
    for (const { identifier } of identifiersToResolve(submission)) {
      const key = identifierKey(identifier);
      if (identifiers.has(key)) continue;
      identifiers.set(key, identifier);
      lineIds.add(deriveLineId(identifier));
    }
    for (const lineId of namedLineIds(submission)) lineIds.add(lineId);
  }
  return { identifiers: [...identifiers.values()], lineIds: [...lineIds] };
}

/** The lines a submission names by id (`lineId`, a raid's or referral's `lineIds`). */
function namedLineIds(submission: IntelEventSubmission): readonly string[] {
  switch (submission.type) {
    case 'enforcement.raid':
      return submission.lineIds ?? [];
    case 'safeguarding.referral':
      return submission.lineIds;
    default:
      return submission.lineId === undefined ? [] : [submission.lineId];
  }
}

export interface IntakeResolution {
  /** The resolved event, as published and stored. */
  readonly event: IntelEventV1;
  /** Its Kafka keys: each line it went to (a merged line's survivor), or `area:<area>` when it names none. */
  readonly keys: readonly string[];
  /** Where it went and how, each line once (survivors, as read now): the intake answer. */
  readonly lines: readonly LineResolution[];
}

/**
 * Resolves one submission. An identifier goes to the line `attributeIdentifier` picks (through
 * aliases); a line the sender NAMED stays in the stored event as named — a merged line's id too,
 * so an unmerge gives its reports back (events keep their own lineId; reads follow aliases) —
 * while the keys and the answer name where it goes now, the survivor. With a line named beside an
 * identifier held by another line at that instant, the event stays on the named line and the
 * resolution says `conflictWith` (never silently re-attributed).
 */
export function resolveSubmission(submission: IntelEventSubmission, known: KnownLines): IntakeResolution {
  const event = resolveIntelEvent(submission, (request) => {
    const resolution = attributeIdentifier(request.identifier, new Date(request.at), known.intervalsOf(request.identifier), {
      given: request.given,
      rootOf: known.rootOf,
    });
    return request.given === null ? resolution : { ...resolution, lineId: request.given };
  });
  const lines = answeredLines(resolutionOf(event), known.rootOf);
  const keys = [...new Set(linesOf(event).map(known.rootOf))];
  return { event, keys: keys.length > 0 ? keys : [`area:${event.area}`], lines };
}

/** Stored resolutions as answered now: each line as its survivor, once (a raid naming a line and its alias went to one line). */
export function answeredLines(resolutions: readonly LineResolution[], rootOf: (lineId: string) => string): LineResolution[] {
  const out = new Map<string, LineResolution>();
  for (const resolution of resolutions) {
    const lineId = rootOf(resolution.lineId);
    if (out.has(lineId)) continue;
    const conflictWith = resolution.conflictWith === undefined ? undefined : rootOf(resolution.conflictWith);
    out.set(lineId, {
      lineId,
      how: resolution.how,
      ...(conflictWith !== undefined && conflictWith !== lineId ? { conflictWith } : {}),
    });
  }
  return [...out.values()];
}
