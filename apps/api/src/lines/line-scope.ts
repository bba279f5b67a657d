import type { Principal } from '@linewatch/security';

// The area scope of a reader is libs/persistence's AreaScope.of(principal): a type no caller can forge.

/** Handling code C details (source, body) are withheld from whoever is not an analyst or admin. */
export function seesHandlingC(principal: Principal): boolean {
  return principal.roles.includes('analyst') || principal.roles.includes('admin');
}
