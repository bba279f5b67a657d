/**
 * What the batch, the link decisions and the rebuild share for line identity: store the identity
 * facts of new events, and recompute a root line's intervals and brands with the domain's
 * `lineIdentityOf` from the stored facts of its whole family (itself and its aliases: a merged
 * line's facts are its survivor's). Runs inside the caller's transaction, the roots locked by it.
 */
import type { IntelEventV1, LineLinkV1 } from '@linewatch/contracts';
import {
  identifierKey,
  identityFactsOf,
  identityFactsOfLink,
  lineIdentityOf,
  normaliseBrand,
  type IdentifierKind,
  type LineIdentity,
} from '@linewatch/domain';
import {
  disclosableKeysOf,
  type LineIdentityRepository,
  type LineLinksRepository,
  type StoredBrand,
  type StoredIdentityFact,
  type StoredInterval,
  type Tx,
} from '@linewatch/persistence';

/** The identity facts of (resolved) events, each with its event's handling code. */
export function storedFactsOf(events: readonly (IntelEventV1 | LineLinkV1)[]): StoredIdentityFact[] {
  return events.flatMap((event) => {
    const facts = isLink(event) ? identityFactsOfLink(event) : identityFactsOf(event);
    return facts.map((fact) => ({ ...fact, handling: event.grading.handling }));
  });
}

const LINK_TYPES = new Set(['line.merged', 'line.unmerged', 'line.identifier_attached']);

function isLink(event: IntelEventV1 | LineLinkV1): event is LineLinkV1 {
  return LINK_TYPES.has(event.type);
}

/** Items by key, in first-seen order (one list a key, appended to: no copy an item). */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = out.get(key);
    if (list === undefined) out.set(key, [item]);
    else list.push(item);
  }
  return out;
}

/**
 * A family's facts read as the root's. One event may have said something about two lines of one
 * family (a raid naming both): its facts are joined into one, since the domain keeps one fact
 * per event.
 */
export function familyFacts(root: string, facts: readonly StoredIdentityFact[]): StoredIdentityFact[] {
  const byEvent = new Map<string, StoredIdentityFact>();
  for (const fact of facts) {
    const kept = byEvent.get(fact.eventId);
    if (kept === undefined) {
      byEvent.set(fact.eventId, { ...fact, lineId: root });
      continue;
    }
    byEvent.set(fact.eventId, {
      ...kept,
      attaches: [...kept.attaches, ...fact.attaches],
      ends: [...kept.ends, ...fact.ends],
      endsOpen: [...new Set([...kept.endsOpen, ...fact.endsOpen])],
      brands: [...kept.brands, ...fact.brands],
      handling: kept.handling === 'P' || fact.handling === 'P' ? 'P' : 'C',
    });
  }
  return [...byEvent.values()];
}

/** What the fast path writes instead of a recomputation. */
export interface IdentityTouch {
  readonly brands: StoredBrand[];
  readonly disclosed: { lineId: string; kind: IdentifierKind; value: string }[];
}

/**
 * When new facts cannot move any interval, what they change without recomputing the line from
 * all its facts (a busy line's sightings keep naming its current number and brand): null unless
 * every fact only attaches identifiers the root holds in an interval open since strictly before
 * the fact, and names only brands the root already has. Then the intervals stay as they are (the
 * domain's fold ignores an identifier attached while its interval is open); only brands' first and
 * last seen, written forms and disclosability, and identifiers' disclosability, move.
 */
export function identityTouchOf(
  root: string,
  facts: readonly StoredIdentityFact[],
  current: { readonly open: readonly StoredInterval[]; readonly brands: readonly StoredBrand[] },
): IdentityTouch | null {
  const open = new Map(current.open.filter((i) => i.lineId === root).map((i) => [identifierKey(i), i]));
  const brands = new Map(current.brands.filter((b) => b.lineId === root).map((b) => [b.brand, b]));
  const changed = new Map<string, StoredBrand>();
  const disclosed = new Map<string, { lineId: string; kind: IdentifierKind; value: string }>();
  for (const fact of facts) {
    if (fact.ends.length > 0 || fact.endsOpen.length > 0) return null;
    for (const identifier of fact.attaches) {
      const key = identifierKey(identifier);
      const held = open.get(key);
      if (held === undefined || held.from.getTime() >= fact.occurredAt.getTime()) return null;
      if (fact.handling !== 'C' && !held.disclosable) disclosed.set(key, { lineId: root, kind: identifier.kind, value: identifier.value });
    }
    for (const written of fact.brands) {
      const key = normaliseBrand(written);
      if (key === null) continue;
      const known = changed.get(key) ?? brands.get(key);
      if (known === undefined) return null;
      const at = fact.occurredAt.getTime();
      const trimmed = written.trim();
      changed.set(key, {
        ...known,
        writtenAs: known.writtenAs.includes(trimmed) ? known.writtenAs : [...known.writtenAs, trimmed].sort(),
        firstSeenAt: at < known.firstSeenAt.getTime() ? fact.occurredAt : known.firstSeenAt,
        lastSeenAt: at > known.lastSeenAt.getTime() ? fact.occurredAt : known.lastSeenAt,
        disclosable: known.disclosable || fact.handling !== 'C',
      });
    }
  }
  return { brands: [...changed.values()], disclosed: [...disclosed.values()] };
}

export class LineIdentities {
  constructor(
    private readonly identity: LineIdentityRepository,
    private readonly links: LineLinksRepository,
  ) {}

  /** Stores the facts of these events; returns the lines (as the events named them) that got new facts. */
  async record(tx: Tx, events: readonly (IntelEventV1 | LineLinkV1)[]): Promise<Set<string>> {
    const facts = storedFactsOf(events);
    await this.identity.storeFacts(tx, facts);
    return new Set(facts.map((fact) => fact.lineId));
  }

  /**
   * Stores the facts of new events and brings their roots' identity up to date: the fast path
   * (`identityTouchOf`) where the facts move no interval, else a recomputation. `rootOf` maps the
   * line an event named to its root. Answers the roots that gained a brand (replacement
   * suggestions check them again).
   */
  async update(
    tx: Tx,
    events: readonly IntelEventV1[],
    rootOf: (lineId: string) => string,
  ): Promise<{ fast: number; recomputed: number; brandsGained: Set<string> }> {
    const facts = storedFactsOf(events);
    if (facts.length === 0) return { fast: 0, recomputed: 0, brandsGained: new Set() };
    await this.identity.storeFacts(tx, facts);
    const byRoot = groupBy(facts, (fact) => rootOf(fact.lineId));
    const current = await this.identity.currentOf(tx, [...byRoot.keys()]);
    // Each root's own rows, grouped once (a slice touches thousands of lines: filtering the whole
    // slice's rows for each root was quadratic).
    const openOf = groupBy(current.open, (i) => i.lineId);
    const brandsOf = groupBy(current.brands, (b) => b.lineId);
    const again: string[] = [];
    const touches: IdentityTouch[] = [];
    for (const [root, mine] of byRoot) {
      const touch = identityTouchOf(root, mine, { open: openOf.get(root) ?? [], brands: brandsOf.get(root) ?? [] });
      if (touch === null) again.push(root);
      else touches.push(touch);
    }
    await this.identity.touch(
      tx,
      touches.flatMap((t) => t.brands),
      touches.flatMap((t) => t.disclosed),
    );
    const identities = await this.recompute(tx, again.sort());
    // The fast path never adds a brand (a new one takes the recomputation): compare only those.
    const brandsGained = new Set<string>();
    for (const [root, identity] of identities) {
      const before = new Set((brandsOf.get(root) ?? []).map((b) => b.brand));
      if (identity.brands.some((b) => !before.has(b.brand))) brandsGained.add(root);
    }
    return { fast: touches.length, recomputed: again.length, brandsGained };
  }

  /**
   * Re-derives the facts of these lines and their aliases from their stored events and attachments
   * (a rebuild: a change of the identity rule reaches old events), then recomputes the roots.
   */
  async rebuild(tx: Tx, roots: readonly string[], readEvents: (lineIds: readonly string[]) => Promise<IntelEventV1[]>): Promise<void> {
    const members = [...(await this.links.membersOf(tx, roots)).values()].flat();
    const sources = [...(await readEvents(members)), ...(await this.links.attachmentsOf(tx, members))];
    await this.identity.replaceFacts(tx, members, storedFactsOf(sources));
    await this.recompute(tx, roots);
  }

  /** Recomputes and writes the identity of these root lines from their families' stored facts. */
  async recompute(tx: Tx, roots: readonly string[]): Promise<Map<string, LineIdentity>> {
    const out = new Map<string, LineIdentity>();
    if (roots.length === 0) return out;
    const members = await this.links.membersOf(tx, roots);
    const all = await this.identity.factsOf(tx, [...members.values()].flat());
    const byLine = groupBy(all, (fact) => fact.lineId);
    const writes = [...members].map(([root, family]) => {
      const facts = familyFacts(
        root,
        family.flatMap((lineId) => byLine.get(lineId) ?? []),
      );
      const identity = lineIdentityOf(root, facts);
      out.set(root, identity);
      return { identity, disclosable: disclosableKeysOf(facts) };
    });
    await this.identity.replace(tx, writes);
    return out;
  }

  /** Removes the intervals and brands of lines that became aliases (their survivor's hold them now). */
  async clear(tx: Tx, lineIds: readonly string[]): Promise<void> {
    await this.identity.clear(tx, lineIds);
  }
}
