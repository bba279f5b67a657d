import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { readForView } from '../paged-list';
import { areaName, useSession } from '../context';
import { formatDateTime } from '../format';
import { hrefOf } from '../route';
import type { ReplacementSuggestionV1 as Suggestion } from '@linewatch/contracts';

type Status = Suggestion['status'];
const STATUS_LABEL: Record<Status, string> = { open: 'Open', accepted: 'Accepted', rejected: 'Rejected' };
const ENDING_LABEL: Record<Suggestion['reasons']['ending']['kind'], string> = {
  disrupted: 'Disrupted',
  deactivated: 'Deactivated',
  dormant: 'Went dormant',
  closed: 'Closed',
};
/** The API's rationale rule (3 to 2,000 characters), checked before anything is sent. */
const RATIONALE_MIN = 3;

/**
 * "Possible replacements" (analysts): a new line that shares a brand with a line that ended shortly
 * before, in the same or a neighbouring area — with the reasons. Accepting merges the new line into
 * the one it replaces; rejecting keeps the pair from being proposed again. Either needs a rationale
 * (it is recorded with the decision). The list is read again after each decision; a suggestion
 * raised meanwhile arrives on the live stream and joins the open list without a reload.
 */
export function SuggestionsView() {
  const { api, announce, live } = useSession();
  const [status, setStatus] = useState<Status>('open');
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const current = useRef(status);
  current.current = status;
  const listed = useRef(suggestions);
  listed.current = suggestions;

  const load = (signal?: AbortSignal) =>
    readForView({ setLoading, setError }, signal, async () => setSuggestions(await api.suggestions(current.current, signal)));

  useEffect(() => {
    const abort = new AbortController();
    void load(abort.signal);
    return () => abort.abort();
  }, [status]);

  // A suggestion the tracker raises while the page is open arrives on the live stream (analysts
  // only): it joins the open list at the top, once (a reload or a catch-up may bring it again).
  useEffect(
    () =>
      live.on('replacement-suggestion', (suggestion) => {
        if (current.current !== suggestion.status || listed.current.some((s) => s.id === suggestion.id)) return;
        setSuggestions((list) => (list.some((s) => s.id === suggestion.id) ? list : [suggestion, ...list]));
        announce(`New suggestion: line ${suggestion.lineId} may replace line ${suggestion.replaces}.`);
      }),
    [live, announce],
  );
  // After a drop that could not be resumed, what was raised meanwhile is read again.
  useEffect(() => live.onResync(() => void load()), [live]);

  const decided = (suggestion: Suggestion, merged: boolean) => {
    // Off the list at once (it no longer has the status listed), then the list as the API has it now.
    setSuggestions((list) =>
      suggestion.status === current.current
        ? list.map((s) => (s.id === suggestion.id ? suggestion : s))
        : list.filter((s) => s.id !== suggestion.id),
    );
    announce(
      merged
        ? `Accepted: line ${suggestion.lineId} is being merged into line ${suggestion.replaces}.`
        : `Rejected: line ${suggestion.lineId} will not be proposed again as a replacement of line ${suggestion.replaces}.`,
    );
    void load();
  };

  const stale = () => {
    announce('Someone has already decided that suggestion: the list is read again.');
    void load();
  };

  return (
    <section aria-labelledby="suggestions-heading">
      <h1 id="suggestions-heading" tabIndex={-1}>
        Possible replacements
      </h1>
      <p class="help">
        New lines that share a brand with a line disrupted, deactivated, gone dormant or closed shortly before, in the same or a
        neighbouring area. Accepting merges the new line into the old one (undo it with an unmerge); rejecting means the pair is never
        proposed again.
      </p>
      <form class="filters" onSubmit={(event) => event.preventDefault()} aria-label="Filter suggestions">
        <div class="field">
          <label for="filter-suggestion-status">Status</label>
          <select
            id="filter-suggestion-status"
            value={status}
            onChange={(event) => setStatus((event.currentTarget as HTMLSelectElement).value as Status)}
          >
            {(Object.keys(STATUS_LABEL) as Status[]).map((value) => (
              <option key={value} value={value}>
                {STATUS_LABEL[value]}
              </option>
            ))}
          </select>
        </div>
        <button type="button" disabled={loading} onClick={() => void load()}>
          Refresh
        </button>
      </form>
      {error && (
        <p class="notice notice-error" role="alert">
          The suggestions could not be loaded: {error}{' '}
          <button type="button" onClick={() => void load()}>
            Try again
          </button>
        </p>
      )}
      <p class="count">
        {loading && suggestions.length === 0
          ? 'Loading suggestions…'
          : `${suggestions.length} ${status} suggestion${suggestions.length === 1 ? '' : 's'}`}
      </p>
      <ul class="alerts suggestions" aria-busy={loading ? 'true' : 'false'}>
        {suggestions.map((suggestion) => (
          <SuggestionCard key={suggestion.id} suggestion={suggestion} onDecided={decided} onStale={stale} />
        ))}
      </ul>
      {!loading && suggestions.length === 0 && !error && <p class="empty">No {STATUS_LABEL[status].toLowerCase()} suggestions.</p>}
    </section>
  );
}

function SuggestionCard({
  suggestion,
  onDecided,
  onStale,
}: {
  suggestion: Suggestion;
  onDecided: (decided: Suggestion, merged: boolean) => void;
  /** Someone else decided it meanwhile: the list is read again. */
  onStale: () => void;
}) {
  const { api, areas } = useSession();
  const [rationale, setRationale] = useState('');
  const [busy, setBusy] = useState<'accept' | 'reject' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { reasons } = suggestion;
  const key = suggestion.id.replace(/[^A-Za-z0-9_-]/g, '_');
  const headingId = `suggestion-${key}`;
  const rationaleId = `rationale-${key}`;

  const decide = async (decision: 'accept' | 'reject') => {
    if (rationale.trim().length < RATIONALE_MIN) {
      setProblem(`Give a rationale (at least ${RATIONALE_MIN} characters): it is recorded with the decision.`);
      document.getElementById(rationaleId)?.focus();
      return;
    }
    setBusy(decision);
    setProblem(null);
    try {
      const answer = await api.decideSuggestion(suggestion.id, decision, rationale.trim());
      onDecided(answer.suggestion, answer.merge !== null);
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'SUGGESTION_NOT_OPEN') {
        setProblem('Someone has already decided this suggestion.');
        onStale();
      } else setProblem(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(null);
    }
  };

  return (
    <li
      class={`alert-card suggestion-card status-${suggestion.status}`}
      data-suggestion-id={suggestion.id}
      data-line-id={suggestion.lineId}
      data-status={suggestion.status}
    >
      <article aria-labelledby={headingId}>
        <h2 id={headingId}>
          Line {suggestion.lineId} may replace line {suggestion.replaces}
        </h2>
        <dl class="facts">
          <div>
            <dt>New line</dt>
            <dd>
              <a href={hrefOf('lines', suggestion.lineId)}>{suggestion.lineId}</a>
            </dd>
          </div>
          <div>
            <dt>Replaces</dt>
            <dd>
              <a href={hrefOf('lines', suggestion.replaces)}>{suggestion.replaces}</a>
            </dd>
          </div>
          <div>
            <dt>Brand</dt>
            <dd data-testid="suggestion-brands">{reasons.brands.join(', ')}</dd>
          </div>
          <div>
            <dt>Area</dt>
            <dd data-testid="suggestion-areas">
              {areaName(areas, reasons.area)}
              {reasons.sameArea
                ? ' (same area)'
                : ` (neighbour of ${reasons.matchingAreas.map((code) => areaName(areas, code)).join(', ')})`}
            </dd>
          </div>
          <div>
            <dt>Old line ended</dt>
            <dd data-testid="suggestion-ending">
              {ENDING_LABEL[reasons.ending.kind]}, <time dateTime={reasons.ending.at}>{formatDateTime(reasons.ending.at)}</time>
            </dd>
          </div>
          <div>
            <dt>Days between</dt>
            <dd data-testid="suggestion-days">{reasons.daysBetween.toFixed(1)}</dd>
          </div>
          <div>
            <dt>Suggested</dt>
            <dd>
              <time dateTime={suggestion.suggestedAt}>{formatDateTime(suggestion.suggestedAt)}</time>
            </dd>
          </div>
          {suggestion.decidedAt && (
            <div>
              <dt>{STATUS_LABEL[suggestion.status]}</dt>
              <dd data-testid="suggestion-decided">
                by {suggestion.decidedBy ?? 'someone'}, <time dateTime={suggestion.decidedAt}>{formatDateTime(suggestion.decidedAt)}</time>
                {suggestion.decisionReason ? `: ${suggestion.decisionReason}` : ''}
              </dd>
            </div>
          )}
        </dl>
        {suggestion.status === 'open' && (
          <div class="acknowledge decide">
            <label for={rationaleId}>Rationale (required, recorded with the decision)</label>
            <input
              id={rationaleId}
              type="text"
              maxLength={2000}
              value={rationale}
              aria-invalid={problem ? 'true' : undefined}
              onInput={(event) => setRationale((event.currentTarget as HTMLInputElement).value)}
            />
            <button
              type="button"
              class="primary"
              disabled={busy !== null}
              onClick={() => void decide('accept')}
              aria-describedby={headingId}
            >
              {busy === 'accept' ? 'Merging…' : 'Accept (merge)'}
            </button>
            <button type="button" disabled={busy !== null} onClick={() => void decide('reject')} aria-describedby={headingId}>
              {busy === 'reject' ? 'Rejecting…' : 'Reject'}
            </button>
          </div>
        )}
        {problem && (
          <p class="notice notice-error" role="alert">
            {problem}
          </p>
        )}
      </article>
    </li>
  );
}
