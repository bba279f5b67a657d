/**
 * From a submission (lines named by number or handset) to the resolved event intake publishes: the
 * shape work only. WHICH line an identifier goes to is decided by the caller's `resolve` (intake
 * asks the domain's `attributeIdentifier` with the intervals it knows); this puts the answer in the
 * event: `lineId` (or `lineIds`) and a `resolution` beside each identifier.
 */
import type { IntelEventSubmission, IntelEventV1 } from './intel-event.v1';
import { identifierOf, type LineIdentifier, type LineResolution } from './line-identifier.v1';

/** One identifier to attribute: at the event's `occurredAt`, with the line the sender named beside it (or null). */
export interface IdentifierToResolve {
  readonly identifier: LineIdentifier;
  /** The event's `occurredAt` (ISO-8601 as validated). */
  readonly at: string;
  /** The sender's `lineId` when it named both (the answer is then `given`, maybe with a conflict). */
  readonly given: string | null;
}

export class ResolutionError extends Error {
  override readonly name = 'ResolutionError';
  readonly code = 'RESOLUTION_MISMATCH';
}

/** The identifiers a submission names, in order: `line`, or each of a raid's `lines`. Empty when all lines are named by id. */
export function identifiersToResolve(event: IntelEventSubmission): IdentifierToResolve[] {
  switch (event.type) {
    case 'safeguarding.referral':
      return [];
    case 'enforcement.raid':
      return (event.lines ?? []).map((ref) => ({ identifier: identifierOf(ref), at: event.occurredAt, given: null }));
    default:
      return event.line === undefined ? [] : [{ identifier: identifierOf(event.line), at: event.occurredAt, given: event.lineId ?? null }];
  }
}

function checked(resolution: LineResolution, given: string | null): LineResolution {
  if (given !== null && (resolution.how !== 'given' || resolution.lineId !== given))
    throw new ResolutionError(`a line named by the sender (${given}) must resolve as given to it`);
  if (given === null && resolution.how === 'given') throw new ResolutionError('an identifier named alone cannot resolve as given');
  return resolution;
}

/**
 * The resolved event: `resolve` is called once per `identifiersToResolve` entry, in that order
 * (a synchronous lookup: fetch what it needs first). A raid's `lineIds` becomes its given lines
 * as sent, then the resolved ones not among them, each once. An event naming every line by id
 * comes back unchanged.
 */
export function resolveIntelEvent(event: IntelEventSubmission, resolve: (request: IdentifierToResolve) => LineResolution): IntelEventV1 {
  switch (event.type) {
    case 'safeguarding.referral':
      return event;
    case 'enforcement.raid': {
      const { lines: refs = [], lineIds: given = [], ...rest } = event;
      const lines = refs.map((ref) => ({
        ...ref,
        resolution: checked(resolve({ identifier: identifierOf(ref), at: event.occurredAt, given: null }), null),
      }));
      // The given ids exactly as sent (a v1 raid comes back unchanged, even one naming a line twice),
      // then each resolved line not among them, once.
      const resolved = [...new Set(lines.map((ref) => ref.resolution.lineId))].filter((lineId) => !given.includes(lineId));
      return lines.length === 0 ? { ...rest, lineIds: given } : { ...rest, lineIds: [...given, ...resolved], lines };
    }
    case 'line.sighting':
    case 'line.number_changed':
    case 'enforcement.arrest':
    case 'enforcement.seizure':
    case 'line.deactivated':
    case 'line.assessed': {
      const { line: ref, lineId: given, ...rest } = event;
      if (ref === undefined) {
        if (given === undefined)
          throw new ResolutionError('the event names no line (the contract refuses it; unreachable after validation)');
        return { ...rest, lineId: given } as IntelEventV1;
      }
      const resolution = checked(resolve({ identifier: identifierOf(ref), at: event.occurredAt, given: given ?? null }), given ?? null);
      return { ...rest, lineId: resolution.lineId, line: { ...ref, resolution } } as IntelEventV1;
    }
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** How an event reached its line: the resolution intake wrote, or `given` for a line named by id alone. */
export function resolutionOf(event: IntelEventV1): readonly LineResolution[] {
  switch (event.type) {
    case 'safeguarding.referral':
      return event.lineIds.map((lineId) => ({ lineId, how: 'given' as const }));
    case 'enforcement.raid': {
      const resolved = (event.lines ?? []).map((ref) => ref.resolution);
      const byIdentifier = new Set(resolved.map((r) => r.lineId));
      return [
        ...resolved,
        ...event.lineIds.filter((lineId) => !byIdentifier.has(lineId)).map((lineId) => ({ lineId, how: 'given' as const })),
      ];
    }
    default:
      return [event.line?.resolution ?? { lineId: event.lineId, how: 'given' }];
  }
}
