import { useEffect, useState } from 'preact/hooks';
import type { View } from './context';

export type Route = { readonly view: View; readonly lineId?: string } | { readonly view: null };

const VIEWS: readonly string[] = ['lines', 'alerts', 'trends', 'suggestions', 'search', 'digests'] satisfies readonly View[];

/**
 * Hash routes: #/lines, #/lines/<lineId>, #/alerts, #/trends, #/suggestions, #/search, #/digests (anything
 * else: the first view allowed). What was searched for is never in the address: numbers would stay
 * in the browser's history; the search box's state holds it.
 */
export function parseRoute(hash: string): Route {
  const [, first, second] = hash.replace(/^#/, '').split('/');
  if (first === 'lines' && second) return { view: 'lines', lineId: decodeURIComponent(second) };
  if (VIEWS.includes(first)) return { view: first as View };
  return { view: null };
}

export const hrefOf = (view: View, lineId?: string) => `#/${view}${lineId ? `/${encodeURIComponent(lineId)}` : ''}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}
