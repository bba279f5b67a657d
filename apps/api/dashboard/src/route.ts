import { useEffect, useState } from 'preact/hooks';
import type { View } from './context';

export type Route = { readonly view: View; readonly lineId?: string } | { readonly view: null };

/** Hash routes: #/lines, #/lines/<lineId>, #/alerts, #/trends (anything else: the first view allowed). */
export function parseRoute(hash: string): Route {
  const [, first, second] = hash.replace(/^#/, '').split('/');
  if (first === 'lines' && second) return { view: 'lines', lineId: decodeURIComponent(second) };
  if (first === 'lines' || first === 'alerts' || first === 'trends') return { view: first };
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
