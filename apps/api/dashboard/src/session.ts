/**
 * The bearer token of this tab: pasted on the sign-in screen or handed over in the address as
 * `#token=<jwt>` (then removed from the address at once, so it is neither bookmarked nor kept in
 * the history). Kept in sessionStorage: it goes when the tab closes, and "Sign out" clears it.
 */
const TOKEN_KEY = 'linewatch.token';
const JUSTIFICATION_KEY = 'linewatch.justification';
export const DEFAULT_JUSTIFICATION = 'dashboard: live monitoring';

export function tokenFromFragment(): string | null {
  const match = /^#token=([^&]+)/.exec(window.location.hash);
  if (!match) return null;
  history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
  return decodeURIComponent(match[1]).trim() || null;
}

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** A token is three base64url parts; anything else is refused before it is sent anywhere. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

/** When the token expires (its `exp`), to tell the user; null when unreadable. */
export function expiryOf(token: string): Date | null {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof payload.exp === 'number' ? new Date(payload.exp * 1000) : null;
  } catch {
    return null;
  }
}

export function storedJustification(): string {
  return sessionStorage.getItem(JUSTIFICATION_KEY) ?? DEFAULT_JUSTIFICATION;
}

export function storeJustification(text: string): void {
  sessionStorage.setItem(JUSTIFICATION_KEY, text);
}
