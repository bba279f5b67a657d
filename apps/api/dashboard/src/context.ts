import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api';
import type { LiveConnection } from './live';
import type { AreaV1 as Area, Role, SessionV1 as Me } from '@linewatch/contracts';

export interface Session {
  readonly api: Api;
  readonly live: LiveConnection;
  readonly me: Me;
  readonly areas: readonly Area[];
  /** Said once by the polite live region (screen readers), e.g. "JAY-01 is now disrupted". */
  readonly announce: (message: string) => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in session');
  return session;
}

export type View =
  'home' | 'reviews' | 'check-backs' | 'lines' | 'alerts' | 'trends' | 'suggestions' | 'search' | 'digests' | 'dead-letters';

/** Who may use which view: the API's own role rules, so nobody is shown a page that answers 403. */
export const VIEW_ROLES: Record<View, readonly Role[]> = {
  // GET /v1/overview: the figures of the landing page.
  home: ['analyst', 'officer', 'admin'],
  // GET /v1/reviews/due (reached from the home view's figure, not the navigation).
  reviews: ['analyst', 'admin'],
  // GET /v1/check-backs/due (recording one, POST /v1/lines/{id}/check-backs, is the analysts').
  'check-backs': ['analyst', 'admin'],
  lines: ['analyst', 'officer', 'admin'],
  alerts: ['analyst', 'officer', 'admin'],
  trends: ['analyst', 'admin', 'partner'],
  // GET /v1/replacement-suggestions and its decisions: analysts only.
  suggestions: ['analyst'],
  // GET /v1/identifiers (the search box).
  search: ['analyst', 'officer', 'admin'],
  // GET /v1/teams/{teamId}/digest-preview: admins only.
  digests: ['admin'],
  // GET /v1/dead-letters: admins only (reached from the home view's figure, not the navigation).
  'dead-letters': ['admin'],
};

export const mayUse = (me: Me, view: View) => VIEW_ROLES[view].some((role) => me.roles.includes(role));
export const mayAcknowledge = (me: Me) => me.roles.includes('officer') || me.roles.includes('admin');
export const mayStream = (me: Me) => me.roles.some((role) => role === 'analyst' || role === 'officer' || role === 'admin');

export function areaName(areas: readonly Area[], code: string | null | undefined): string {
  if (!code) return '–';
  return areas.find((area) => area.code === code)?.name ?? code;
}
