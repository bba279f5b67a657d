import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { KIND_NOUN, type SearchQuery } from '../components/SearchBox';
import { StateBadge } from '../components/StateBadge';
import { areaName, useSession } from '../context';
import { formatDateTime } from '../format';
import { hrefOf } from '../route';
import type { IdentifierLookupV1 as Lookup } from '@linewatch/contracts';

/** What the API's refusals of a search mean, in words (the API's own message follows). */
const REFUSED: Record<string, string> = {
  INVALID_MSISDN: 'That is not a phone number we can read (UK national or international form, e.g. 07700 900123 or +447700900123).',
  INVALID_IMEI: 'That is not a handset number: an IMEI has 15 digits, the last one a check digit.',
  INVALID_QUERY: 'That search could not be made.',
};

/** The lines that held a number or handset (with the intervals), or used a brand: the search box's answer. */
export function SearchView({ query }: { query: SearchQuery | null }) {
  const { api, me, areas } = useSession();
  const [found, setFound] = useState<Lookup | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (!query) return undefined;
    const abort = new AbortController();
    setLoading(true);
    setError(null);
    setFound(null);
    api
      .identifiers(query.kind, query.value, abort.signal)
      .then((answer) => setFound(answer))
      .catch((failure: unknown) => {
        if (failure instanceof DOMException && failure.name === 'AbortError') return;
        setError(failure instanceof ApiError ? { code: failure.code, message: failure.message } : { code: '', message: String(failure) });
      })
      .finally(() => {
        if (!abort.signal.aborted) setLoading(false);
      });
    return () => abort.abort();
  }, [api, query]);

  const seesAll = me.roles.includes('analyst') || me.roles.includes('admin');
  const what = found ? found.lookedUp.value : (query?.value ?? '');
  const kindName = query ? KIND_NOUN[query.kind] : '';
  return (
    <section aria-labelledby="search-heading">
      <h1 id="search-heading" tabIndex={-1}>
        {query ? `Lines for ${kindName} ${what}` : 'Find a line'}
      </h1>
      {!query && <p class="empty">Type a number, a handset (IMEI) or a brand in “Find a line” above, then choose Search.</p>}
      {!seesAll && query && (
        <p class="help">Lines in your areas only ({me.areas.map((code) => areaName(areas, code)).join(', ') || 'none'}).</p>
      )}
      {error && (
        <p class="notice notice-error" role="alert" data-code={error.code}>
          {REFUSED[error.code] ?? 'The search failed.'} {error.message && <span class="muted">({error.message})</span>}
        </p>
      )}
      {loading && <p class="count">Searching…</p>}
      {found && found.lines.length === 0 && (
        <p class="empty" role="status">
          No line {seesAll ? '' : 'in your scope '}
          {query?.kind === 'brand' ? `used the brand “${what}”` : `held ${what}`}.
        </p>
      )}
      {found && found.lines.length > 0 && (
        <>
          <p class="count" role="status">
            {found.lines.length} line{found.lines.length === 1 ? '' : 's'} found
          </p>
          <div class="table-scroll" role="region" aria-labelledby="search-caption" tabIndex={0}>
            <table class="data search-table">
              <caption id="search-caption">
                Lines that {found.lookedUp.kind === 'brand' ? `used the brand ${what}` : `held ${what}`}, with when
              </caption>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">State</th>
                  <th scope="col">Area</th>
                  <th scope="col">{found.lookedUp.kind === 'brand' ? 'Seen' : 'Held'}</th>
                </tr>
              </thead>
              <tbody>
                {found.lines.map((line) => (
                  <tr key={line.lineId} data-line-id={line.lineId}>
                    <th scope="row">
                      <a href={hrefOf('lines', line.lineId)}>{line.lineId}</a>
                    </th>
                    <td>
                      <StateBadge state={line.state} />
                    </td>
                    <td>{areaName(areas, line.area)}</td>
                    <td class="wrap">
                      {line.brand ? (
                        <>
                          first {formatDateTime(line.brand.firstSeenAt)}, last {formatDateTime(line.brand.lastSeenAt)}
                        </>
                      ) : (
                        <ul class="plain">
                          {line.intervals.map((interval) => (
                            <li key={`${interval.value}-${interval.from}`}>
                              {formatDateTime(interval.from)} to {interval.to ? formatDateTime(interval.to) : 'now'}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
