import { AreaScope } from '@linewatch/persistence';
import type { Principal } from '@linewatch/security';

/** Analysts and admins see every line; an officer only the areas in their token (none: nothing). */
export function scopeOf(principal: Principal): AreaScope {
  return AreaScope.of(principal);
}

/** Handling code C details (source, body) are withheld from whoever is not an analyst or admin. */
export function seesHandlingC(principal: Principal): boolean {
  return principal.roles.includes('analyst') || principal.roles.includes('admin');
}
