import { useEffect, useRef, useState } from 'preact/hooks';
import { readForView } from '../paged-list';
import { StateBadge } from '../components/StateBadge';
import { areaName, useSession } from '../context';
import { LINE_STATES, STATE_LABEL, formatDateTime, type LineState } from '../format';
import { applyStateChange, type LineFilter, type LineRow } from '../lines-model';
import { hrefOf, type RouteParams } from '../route';
import type { StateChangeV1 as StateChange } from '@linewatch/contracts';

const CHANGED_MS = 6000;
/** A row a live change added: its brands and number come with the next load of the list. */
const NOT_LOADED = <span class="muted">not loaded yet</span>;

const isState = (value: string | undefined): value is LineState => (LINE_STATES as readonly string[]).includes(value ?? '');

/**
 * Every line in the caller's scope, filtered, kept up to date from the live stream. `params`: the
 * filter the address gives (a figure of the home view): state, area, changedSince.
 */
export function LinesView({ params }: { params?: RouteParams }) {
  const { api, live, areas, announce, me } = useSession();
  const [filter, setFilter] = useState<LineFilter>({
    state: isState(params?.state) ? params.state : '',
    area: params?.area ?? '',
    brand: '',
  });
  // Lines changed since an instant (the home view's "changed in the last 24 hours"); a live change is always recent.
  const changedSince = params?.changedSince && !Number.isNaN(Date.parse(params.changedSince)) ? params.changedSince : undefined;
  const [brandInput, setBrandInput] = useState('');
  const [lines, setLines] = useState<LineRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [changed, setChanged] = useState<ReadonlySet<string>>(new Set());
  /** Changes that arrive while a page loads are applied once it is in. */
  const pending = useRef<StateChange[] | null>([]);
  const current = useRef({ filter, next });
  current.current = { filter, next };

  const load = (after: string | null, signal?: AbortSignal) => {
    if (after === null) pending.current = [];
    return readForView(
      { setLoading, setError },
      signal,
      async () => {
        const page = await api.lines({ state: filter.state, area: filter.area, brand: filter.brand, changedSince, after }, signal);
        const held = pending.current ?? [];
        pending.current = null;
        setLines((previous) => {
          let list =
            after === null ? page.items : [...previous, ...page.items.filter((line) => !previous.some((p) => p.lineId === line.lineId))];
          for (const change of held) list = applyStateChange(list, change, filter, page.next !== null);
          return list;
        });
        setNext(page.next);
      },
      () => (pending.current = null),
    );
  };

  useEffect(() => {
    const abort = new AbortController();
    void load(null, abort.signal);
    return () => abort.abort();
    // Reloads when the filter changes (load reads it).
  }, [filter]);

  // Back after a drop that could not be replayed: load the list again.
  const reload = useRef(load);
  reload.current = load;
  useEffect(() => live.onResync(() => void reload.current(null)), [live]);

  useEffect(() => {
    const timer = window.setTimeout(() => setFilter((f) => (f.brand === brandInput.trim() ? f : { ...f, brand: brandInput.trim() })), 350);
    return () => window.clearTimeout(timer);
  }, [brandInput]);

  useEffect(
    () =>
      live.on('state-change', (change) => {
        if (pending.current) {
          pending.current.push(change);
          return;
        }
        setLines((list) => applyStateChange(list, change, current.current.filter, current.current.next !== null));
        setChanged((ids) => new Set([...ids, change.lineId]));
        window.setTimeout(
          () =>
            setChanged((ids) => {
              const left = new Set(ids);
              left.delete(change.lineId);
              return left;
            }),
          CHANGED_MS,
        );
        announce(
          `Line ${change.lineId} is now ${STATE_LABEL[change.to].toLowerCase()}${change.from ? ` (was ${change.from})` : ' (new line)'}.`,
        );
      }),
    [live, announce],
  );

  // Officers filter within their own areas (the API shows them nothing else).
  const seesAll = me.roles.includes('analyst') || me.roles.includes('admin');
  const known = areas.length > 0 ? areas : me.areas.map((code) => ({ code, name: code, team: null }));
  const areaChoices = seesAll ? known : known.filter((area) => me.areas.includes(area.code));
  return (
    <section aria-labelledby="lines-heading">
      <h1 id="lines-heading" tabIndex={-1}>
        Lines
      </h1>
      <form class="filters" onSubmit={(event) => event.preventDefault()} aria-label="Filter lines">
        <div class="field">
          <label for="filter-state">State</label>
          <select
            id="filter-state"
            value={filter.state}
            onChange={(event) => setFilter({ ...filter, state: (event.currentTarget as HTMLSelectElement).value as LineState | '' })}
          >
            <option value="">Any state</option>
            {LINE_STATES.map((state) => (
              <option key={state} value={state}>
                {STATE_LABEL[state]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-area">Area</label>
          <select
            id="filter-area"
            value={filter.area}
            onChange={(event) => setFilter({ ...filter, area: (event.currentTarget as HTMLSelectElement).value })}
          >
            <option value="">Any area</option>
            {areaChoices.map((area) => (
              <option key={area.code} value={area.code}>
                {area.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-brand">Brand</label>
          <input
            id="filter-brand"
            type="search"
            autoComplete="off"
            placeholder="e.g. Jay"
            value={brandInput}
            onInput={(event) => setBrandInput((event.currentTarget as HTMLInputElement).value)}
          />
        </div>
      </form>
      {changedSince && (
        <p class="notice" data-testid="changed-since">
          Only lines changed since <time dateTime={changedSince}>{formatDateTime(changedSince)}</time>.{' '}
          <a href={hrefOf('lines')}>Show every line</a>
        </p>
      )}
      {error && (
        <p class="notice notice-error" role="alert">
          The lines could not be loaded: {error}{' '}
          <button type="button" onClick={() => void load(null)}>
            Try again
          </button>
        </p>
      )}
      <p class="count" aria-live="off">
        {loading && lines.length === 0
          ? 'Loading lines…'
          : `${lines.length} line${lines.length === 1 ? '' : 's'}${next ? ' shown (more to load)' : ''}`}
      </p>
      <div class="table-scroll" role="region" aria-labelledby="lines-caption" tabIndex={0}>
        <table class="data lines-table" aria-busy={loading ? 'true' : 'false'}>
          <caption id="lines-caption">
            Lines in your scope{filter.state || filter.area || filter.brand || changedSince ? ' (filtered)' : ''}, by line id
          </caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Brand</th>
              <th scope="col">Number</th>
              <th scope="col">State</th>
              <th scope="col">Since</th>
              <th scope="col">Area</th>
              <th scope="col">Areas</th>
              <th scope="col">Last sighting</th>
              <th scope="col" class="number">
                Referrals
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr
                key={line.lineId}
                data-line-id={line.lineId}
                data-state={line.state ?? ''}
                class={changed.has(line.lineId) ? 'row-changed' : undefined}
              >
                <th scope="row">
                  <a href={hrefOf('lines', line.lineId)}>{line.lineId}</a>
                </th>
                <td data-testid="line-brands">{line.brands === undefined ? NOT_LOADED : line.brands.join(', ') || '–'}</td>
                <td data-testid="line-number">{line.currentNumber === undefined ? NOT_LOADED : (line.currentNumber ?? '–')}</td>
                <td>
                  <StateBadge state={line.state} />
                </td>
                <td>
                  <time dateTime={line.stateSince ?? undefined}>{formatDateTime(line.stateSince)}</time>
                </td>
                <td>{areaName(areas, line.area)}</td>
                <td>{line.areas.map((code) => areaName(areas, code)).join(', ') || '–'}</td>
                <td>
                  <time dateTime={line.lastSightingAt ?? undefined}>{formatDateTime(line.lastSightingAt)}</time>
                </td>
                <td class="number">{line.referrals}</td>
              </tr>
            ))}
            {!loading && lines.length === 0 && !error && (
              <tr>
                <td colSpan={9} class="empty">
                  No lines match.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {next && (
        <button type="button" class="more" disabled={loading} onClick={() => void load(next)}>
          {loading ? 'Loading…' : 'Load more lines'}
        </button>
      )}
    </section>
  );
}
