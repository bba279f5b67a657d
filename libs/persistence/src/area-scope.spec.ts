import {
  AreaScope,
  type LineInScope,
  type LineQueriesRepository,
  type LineSummary,
  type Queryable,
  type ScopedCaller,
} from '@linewatch/persistence';

const caller = (roles: ScopedCaller['roles'], areas: string[] = []): ScopedCaller => ({ roles, areas });

describe('AreaScope', () => {
  it.each<[string, ScopedCaller, 'all' | 'areas', readonly string[]]>([
    ['an analyst sees every area', caller(['analyst']), 'all', []],
    ['an admin sees every area', caller(['admin'], ['bath']), 'all', []],
    ['an officer sees the areas in their token', caller(['officer'], ['bath', 'keynsham']), 'areas', ['bath', 'keynsham']],
    ['an officer with no areas sees nothing', caller(['officer']), 'areas', []],
    ['a partner is not widened by other roles it lacks', caller(['partner'], ['bath']), 'areas', ['bath']],
  ])('%s', (_, who, kind, areas) => {
    const scope = AreaScope.of(who);
    expect(scope.kind).toBe(kind);
    expect(scope.areas).toEqual(areas);
  });

  it('covers what shares an area with it, and everything when it is every area', () => {
    const officer = AreaScope.of(caller(['officer'], ['bath']));
    expect(officer.covers(['bath', 'paulton'])).toBe(true);
    expect(officer.covers(['paulton'])).toBe(false);
    expect(officer.covers([])).toBe(false);
    expect(AreaScope.of(caller(['analyst'])).covers([])).toBe(true);
    expect(AreaScope.ofAlertLink({ alertId: 'a', recipientId: 'r' }).kind).toBe('all');
  });

  it('keeps its own copy of the areas (a later change to the token object does not widen it)', () => {
    const areas = ['bath'];
    const scope = AreaScope.of(caller(['officer'], areas));
    areas.push('paulton');
    expect(scope.areas).toEqual(['bath']);
  });

  it('cannot be forged: only AreaScope.of or ofAlertLink make one (compiled by `npm run lint`)', () => {
    // @ts-expect-error -- a literal is not a scope, whatever its shape
    const literal: AreaScope = { kind: 'all', areas: [] };
    // @ts-expect-error -- the constructor is private
    const made = new AreaScope(null);
    const lookalike = { kind: 'all' as const, areas: [] as string[], covers: () => true, describe: () => 'all areas' };
    // @ts-expect-error -- structurally alike is not enough: the private member makes the type nominal
    const structural: AreaScope = lookalike;
    expect([literal, made, structural]).toHaveLength(3);
  });
});

describe('a line found in scope', () => {
  it('is the only way to its details: a summary or an id will not do (compiled by `npm run lint`)', () => {
    // Never run: the calls below are checked by the type checker only.
    const typeOnly = (queries: LineQueriesRepository, q: Queryable, summary: LineSummary, found: LineInScope) => [
      queries.details(q, found, { events: 10 }),
      // @ts-expect-error -- a summary read without a scope is not a line found in scope
      queries.details(q, summary, { events: 10 }),
      // @ts-expect-error -- nor is a bare line id
      queries.details(q, 'JAY-01', { events: 10 }),
    ];
    expect(typeof typeOnly).toBe('function');
  });
});
