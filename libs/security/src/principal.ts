import type { Role } from '@linewatch/contracts';

/** Who is calling, from a verified access token. */
export interface Principal {
  readonly subject: string;
  readonly roles: readonly Role[];
  /** Areas an officer is scoped to (empty for roles that are not area-scoped). */
  readonly areas: readonly string[];
  readonly tokenId?: string;
}

export class AuthenticationError extends Error {
  readonly code = 'UNAUTHENTICATED';
}
