import { useEffect, useState } from 'preact/hooks';
import type { View } from './context';

/** A list's filter in the address (`#/lines?state=active&area=bath`): what the home view's figures link to. */
export type RouteParams = Readonly<Record<string, string>>;

export type Route = { readonly view: View; readonly lineId?: string; readonly params?: RouteParams } | { readonly view: null };

const VIEWS: readonly string[] = [
  'home',
  'reviews',
  'check-backs',
  'lines',
  'alerts',
  'trends',
  'suggestions',
  'search',
  'digests',
  'dead-letters',
] satisfies readonly View[];

/**
 * Hash routes: #/home, #/reviews, #/check-backs, #/lines, #/lines/<lineId>, #/alerts, #/trends, #/suggestions,
 * #/search, #/digests, #/dead-letters (anything else: the first view allowed); a list's filter may follow
 * (`#/lines?state=active&area=bath`). What was searched for is never in the address: numbers would
 * stay in the browser's history; the search box's state holds it.
 */
export function parseRoute(hash: string): Route {
  const [path, search = ''] = hash.replace(/^#/, '').split('?');
  const [, first, second] = path.split('/');
  if (first === 'lines' && second) return { view: 'lines', lineId: decodeURIComponent(second) };
  const params = Object.fromEntries(new URLSearchParams(search));
  if (VIEWS.includes(first)) return { view: first as View, ...(Object.keys(params).length > 0 ? { params } : {}) };
  return { view: null };
}

export const hrefOf = (view: View, lineId?: string) => `#/${view}${lineId ? `/${encodeURIComponent(lineId)}` : ''}`;

/** A list view filtered: `#/lines?state=active&area=bath` (empty values left out). */
export function filteredHref(view: View, params: Record<string, string | undefined>): string {
  const search = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => Boolean(entry[1])));
  const text = search.toString();
  return `${hrefOf(view)}${text ? `?${text}` : ''}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', changed);
    // The address may have moved between the first render and this effect (a link followed at once):
    // its hashchange came before this listener, so read the address again now.
    changed();
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}
