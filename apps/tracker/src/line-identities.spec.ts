import { identifierKey, lineIdentityOf, type IdentifierKind } from '@linewatch/domain';
import { disclosableKeysOf, type StoredBrand, type StoredIdentityFact, type StoredInterval } from '@linewatch/persistence';
import { familyFacts, identityTouchOf } from './line-identities';

const LINE = 'JAY-01';
const DAY = 24 * 60 * 60 * 1000;
const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * DAY);
const N1 = { kind: 'msisdn' as const, value: '+447700900101' };
const N2 = { kind: 'msisdn' as const, value: '+447700900102' };
let seq = 0;
const fact = (at: number, says: Partial<StoredIdentityFact> = {}): StoredIdentityFact => ({
  eventId: `e-${String(++seq).padStart(4, '0')}`,
  lineId: LINE,
  occurredAt: day(at),
  rank: 1,
  attaches: [],
  ends: [],
  endsOpen: [],
  brands: [],
  handling: 'P',
  ...says,
});

/** The rows the repository would hold for these facts (what `replace` writes). */
function rowsOf(facts: readonly StoredIdentityFact[]): { intervals: StoredInterval[]; brands: StoredBrand[] } {
  const identity = lineIdentityOf(LINE, facts);
  const keys = disclosableKeysOf(facts);
  return {
    intervals: [...identity.numbers, ...identity.handsets].map((i) => ({
      lineId: LINE,
      kind: i.kind as IdentifierKind,
      value: i.value,
      from: i.from,
      to: i.to,
      startedBy: i.startedBy,
      endedBy: i.endedBy,
      disclosable: keys.identifiers.has(identifierKey(i)),
    })),
    brands: identity.brands.map((b) => ({ lineId: LINE, ...b, disclosable: keys.brands.has(b.brand) })),
  };
}

/** The rows after applying a touch to the rows of `before`. */
function touched(before: ReturnType<typeof rowsOf>, touch: NonNullable<ReturnType<typeof identityTouchOf>>) {
  const brands = new Map(before.brands.map((b) => [b.brand, b]));
  for (const b of touch.brands) brands.set(b.brand, b);
  const disclosed = new Set(touch.disclosed.map((d) => identifierKey(d)));
  return {
    intervals: before.intervals.map((i) => (disclosed.has(identifierKey(i)) ? { ...i, disclosable: true } : i)),
    brands: [...brands.values()].sort((a, b) => (a.brand < b.brand ? -1 : 1)),
  };
}

describe('identityTouchOf (the tracker’s fast path)', () => {
  const earlier = [fact(1, { attaches: [N1], brands: ['Jay'], handling: 'C' }), fact(3, { attaches: [N2], brands: ['JAY '] })];

  it.each<[string, StoredIdentityFact[]]>([
    ['a later sighting naming an open number and a known brand', [fact(10, { attaches: [N2], brands: ['Jäy'] })]],
    ['a late sighting inside the open interval, first P evidence of the C-only number', [fact(2, { attaches: [N1], brands: ['jay'] })]],
    ['a report naming only a known brand, dated before its first sighting', [fact(0, { brands: ['Jay'] })]],
    [
      'several facts at once',
      [fact(4, { attaches: [N1, N2] }), fact(12, { brands: ['Jay'] }), fact(11, { attaches: [N1], handling: 'C' })],
    ],
  ])('given %s, then it writes exactly what a recomputation from all facts would', (_name, fresh) => {
    const before = rowsOf(earlier);
    const open = before.intervals.filter((i) => i.to === null);
    const touch = identityTouchOf(LINE, fresh, { open, brands: before.brands });
    expect(touch).not.toBeNull();
    expect(touched(before, touch!)).toEqual(rowsOf([...earlier, ...fresh]));
  });

  it.each<[string, StoredIdentityFact[]]>([
    ['a number change', [fact(10, { attaches: [N2], endsOpen: ['msisdn'] })]],
    ['a deactivation naming a number', [fact(10, { ends: [N1] })]],
    ['a number not held', [fact(10, { attaches: [{ kind: 'msisdn', value: '+447700900199' }] })]],
    ['a number named before its interval began', [fact(2, { attaches: [N2] })]],
    ['a number named at the very instant its interval began', [fact(3, { attaches: [N2] })]],
    ['a new brand', [fact(10, { brands: ['Kay'] })]],
  ])('given %s, then it asks for a recomputation', (_name, fresh) => {
    const before = rowsOf(earlier);
    expect(identityTouchOf(LINE, fresh, { open: before.intervals.filter((i) => i.to === null), brands: before.brands })).toBeNull();
  });
});

describe('familyFacts', () => {
  it('given one raid naming two lines of one family, then its facts are one fact of the root', () => {
    const raid = fact(5, { attaches: [N1], handling: 'C' });
    const other = { ...raid, lineId: 'MERGED-B', attaches: [N2], handling: 'P' as const };
    const facts = familyFacts(LINE, [raid, other]);
    expect(facts).toEqual([{ ...raid, attaches: [N1, N2], handling: 'P' }]);
    expect(lineIdentityOf(LINE, facts).numbers.map((n) => n.value)).toEqual([N1.value, N2.value]);
  });
});
