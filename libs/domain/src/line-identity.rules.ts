/**
 * A line's identifiers in event time (PRODUCT.md, "Line identity"): the intervals over which it
 * held each number and handset, its current number and handset, and the brands it used — a pure
 * function of the SET of its identity facts (any arrival order, any redelivery: the same answer).
 */
import { identifierKey, normaliseBrand, type IdentifierKind } from './identifier.normalise';
import type { IdentityFact } from './line-identity.facts';

/** One stretch over which a line held an identifier: `[from, to)`, `to` null while it still does. `from` = `to` records a number known only as it went out of use. */
export interface IdentifierInterval {
  readonly kind: IdentifierKind;
  readonly value: string;
  readonly from: Date;
  readonly to: Date | null;
  /** The event that attached it (or, for `[t, t)`, the one that ended it). */
  readonly startedBy: string;
  readonly endedBy: string | null;
}

/** A brand the line used, in its compared form, with how it was written and when it was first and last seen. */
export interface BrandRecord {
  readonly brand: string;
  readonly writtenAs: readonly string[];
  readonly firstSeenAt: Date;
  readonly lastSeenAt: Date;
}

export interface LineIdentity {
  readonly lineId: string;
  /** Every number interval, by `from` then number. */
  readonly numbers: readonly IdentifierInterval[];
  readonly handsets: readonly IdentifierInterval[];
  /** The number with an open interval (the one attached last when several are open), or null. */
  readonly currentNumber: string | null;
  readonly currentHandset: string | null;
  readonly brands: readonly BrandRecord[];
}

/** Event-time order of facts: instant, then rank (type precedence), then eventId. */
export function compareIdentityFacts(a: IdentityFact, b: IdentityFact): number {
  return a.occurredAt.getTime() - b.occurredAt.getTime() || a.rank - b.rank || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
}

interface Open {
  readonly interval: IdentifierInterval;
  /** Position in the fold when opened: the latest opened is the current one. */
  readonly order: number;
}

/**
 * The identity of `lineId` from its facts (others' are ignored; one fact per `eventId` counts).
 * Each fact at instant t, in `compareIdentityFacts` order: (1) ends the identifiers it ends (one
 * the line did not hold is recorded as `[t, t)`); (2) ends every open interval of the kinds in
 * `endsOpen`, except what it attaches; (3) attaches what it attaches: a new interval from t unless
 * one is open (naming the current number again changes nothing; a number named after its interval
 * ended starts a new one).
 */
export function lineIdentityOf(lineId: string, facts: readonly IdentityFact[]): LineIdentity {
  const ordered = onePerEvent(facts.filter((fact) => fact.lineId === lineId)).sort(compareIdentityFacts);
  const closed: IdentifierInterval[] = [];
  const open = new Map<string, Open>();
  const brands = new Map<string, { writtenAs: Set<string>; firstSeenAt: Date; lastSeenAt: Date }>();
  let order = 0;
  for (const fact of ordered) {
    const at = fact.occurredAt;
    const attached = new Set(fact.attaches.map(identifierKey));
    const close = (key: string) => {
      const held = open.get(key);
      if (held === undefined) return;
      open.delete(key);
      closed.push({ ...held.interval, to: at, endedBy: fact.eventId });
    };
    for (const identifier of fact.ends) {
      const key = identifierKey(identifier);
      if (open.has(key)) close(key);
      else closed.push({ ...identifier, from: at, to: at, startedBy: fact.eventId, endedBy: fact.eventId });
    }
    for (const [key, held] of [...open]) {
      if (fact.endsOpen.includes(held.interval.kind) && !attached.has(key)) close(key);
    }
    for (const identifier of fact.attaches) {
      const key = identifierKey(identifier);
      if (!open.has(key))
        open.set(key, { interval: { ...identifier, from: at, to: null, startedBy: fact.eventId, endedBy: null }, order: order++ });
    }
    for (const written of fact.brands) {
      const brand = normaliseBrand(written);
      if (brand === null) continue;
      const seen = brands.get(brand);
      if (seen === undefined) brands.set(brand, { writtenAs: new Set([written.trim()]), firstSeenAt: at, lastSeenAt: at });
      else {
        seen.writtenAs.add(written.trim());
        seen.lastSeenAt = at;
      }
    }
  }
  const all = [...closed, ...[...open.values()].map((held) => held.interval)].sort(compareIntervals);
  const current = (kind: IdentifierKind) =>
    [...open.values()].filter((held) => held.interval.kind === kind).sort((a, b) => b.order - a.order)[0]?.interval.value ?? null;
  return {
    lineId,
    numbers: all.filter((interval) => interval.kind === 'msisdn'),
    handsets: all.filter((interval) => interval.kind === 'imei'),
    currentNumber: current('msisdn'),
    currentHandset: current('imei'),
    brands: [...brands.entries()]
      .map(([brand, seen]) => ({
        brand,
        writtenAs: [...seen.writtenAs].sort(),
        firstSeenAt: seen.firstSeenAt,
        lastSeenAt: seen.lastSeenAt,
      }))
      .sort((a, b) => (a.brand < b.brand ? -1 : a.brand > b.brand ? 1 : 0)),
  };
}

function compareIntervals(a: IdentifierInterval, b: IdentifierInterval): number {
  return (
    a.from.getTime() - b.from.getTime() ||
    (a.value < b.value ? -1 : a.value > b.value ? 1 : 0) ||
    (a.to?.getTime() ?? Infinity) - (b.to?.getTime() ?? Infinity)
  );
}

/** One fact per eventId; should two differ (intake makes that impossible), the one first in the order, then by its JSON, wins. */
function onePerEvent(facts: readonly IdentityFact[]): IdentityFact[] {
  const byId = new Map<string, IdentityFact>();
  for (const fact of facts) {
    const kept = byId.get(fact.eventId);
    if (kept === undefined) byId.set(fact.eventId, fact);
    else {
      const order = compareIdentityFacts(fact, kept);
      if (order < 0 || (order === 0 && JSON.stringify(fact) < JSON.stringify(kept))) byId.set(fact.eventId, fact);
    }
  }
  return [...byId.values()];
}

/** One interval as attribution reads it: which line held which identifier when. */
export interface HeldInterval {
  readonly lineId: string;
  readonly kind: IdentifierKind;
  readonly value: string;
  readonly from: Date;
  readonly to: Date | null;
}

/** Every interval of a line, flattened for attribution (and for the identifier index a later step stores). */
export function heldIntervalsOf(identity: LineIdentity): HeldInterval[] {
  return [...identity.numbers, ...identity.handsets].map(({ kind, value, from, to }) => ({
    lineId: identity.lineId,
    kind,
    value,
    from,
    to,
  }));
}
