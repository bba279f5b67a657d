import type { Role } from '@linewatch/contracts';

/** The verified caller a scope is made from: libs/security's Principal (as the guard verified it). */
export interface ScopedCaller {
  readonly roles: readonly Role[];
  readonly areas: readonly string[];
}

/**
 * Which areas' lines, alerts and silences a reader may see. Every read a request can reach takes
 * one, and the scope is part of the query (what is outside it is simply not found).
 *
 * It cannot be forged: the constructor is private and the class has a private member, so neither
 * `new AreaScope(…)` nor an object literal (`{ kind: 'all' }`) type-checks as one — a scope is made
 * only from the caller (`AreaScope.of`) or from a verified acknowledgement link
 * (`AreaScope.ofAlertLink`). `area-scope.spec.ts` holds it (`@ts-expect-error`, checked by tsc).
 */
export class AreaScope {
  private constructor(private readonly seen: readonly string[] | null) {}

  /** Analysts and admins see every area; anyone else the areas in their token (none: nothing). */
  static of(caller: ScopedCaller): AreaScope {
    if (caller.roles.includes('analyst') || caller.roles.includes('admin')) return new AreaScope(null);
    return new AreaScope(Object.freeze([...caller.areas]));
  }

  /**
   * The holder of an acknowledgement link the api verified (signed for this alert and recipient):
   * the alert it names, wherever it is — the link is the authority, not an area.
   */
  static ofAlertLink(link: { readonly alertId: string; readonly recipientId: string }): AreaScope {
    void link;
    return new AreaScope(null);
  }

  /** `all`: every area; `areas`: only `areas`. */
  get kind(): 'all' | 'areas' {
    return this.seen === null ? 'all' : 'areas';
  }

  /** The areas in scope; empty for `all` (every area) — read `kind` first. */
  get areas(): readonly string[] {
    return this.seen ?? [];
  }

  /** True when something of these areas may be shown (any one of them in scope). */
  covers(areas: readonly string[]): boolean {
    return this.seen === null || areas.some((area) => this.seen!.includes(area));
  }

  /** For logs and the s.62 record: "all areas" or the areas, comma-separated. */
  describe(): string {
    return this.seen === null ? 'all areas' : this.seen.join(',');
  }
}

/** $1 = every area (boolean), $2 = the scope's areas: the parameters of the scoped queries' `IN_SCOPE` clauses. */
export function scopeParams(scope: AreaScope): [boolean, string[]] {
  return scope.kind === 'all' ? [true, []] : [false, [...scope.areas]];
}
