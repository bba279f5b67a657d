import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { useSession } from '../context';
import { formatDateTime } from '../format';
import type { DeadLetterV1 as DeadLetter, DeadLettersV1 } from '@linewatch/contracts';

type Status = 'waiting' | 'redriven' | 'all';
const STATUS_LABEL: Record<Status, string> = { waiting: 'Waiting', redriven: 'Re-driven', all: 'All' };

/** "3 h", "2 d": how long a dead letter has waited. */
function ageOf(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

const sourceOf = (letter: DeadLetter) =>
  letter.source ? `${letter.source.topic} [${letter.source.partition ?? '?'}] @ ${letter.source.offset ?? '?'}` : '–';

/**
 * Dead letters (admins): messages of the input topic refused by the tracker, as it mirrors the
 * dead-letter topic — why, where from, the eventId when known, how long each has waited. What the
 * home view's figure counts. No content is shown: fix the cause, then re-drive with
 * `linewatch dlq retry <id>` (recorded, so it stops waiting).
 */
export function DeadLettersView() {
  const { api } = useSession();
  const [status, setStatus] = useState<Status>('waiting');
  const [answer, setAnswer] = useState<DeadLettersV1 | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    setLoading(true);
    setError(null);
    api
      .deadLetters(status, abort.signal)
      .then(setAnswer, (failure: unknown) => {
        if (failure instanceof DOMException && failure.name === 'AbortError') return;
        setError(failure instanceof ApiError ? failure.message : String(failure));
      })
      .finally(() => {
        if (!abort.signal.aborted) setLoading(false);
      });
    return () => abort.abort();
  }, [api, status, attempt]);

  const letters = answer?.deadLetters ?? [];
  return (
    <section aria-labelledby="dead-letters-heading">
      <h1 id="dead-letters-heading" tabIndex={-1}>
        Dead letters
      </h1>
      <p class="help">
        Messages of the input topic the tracker refused, newest first. Fix the cause (an area added, a producer corrected), then re-drive
        one with <code>linewatch dlq retry &lt;id&gt;</code> (or <code>--all --code &lt;code&gt;</code>); a re-driven letter stops waiting.
        See <code>linewatch dlq show &lt;id&gt;</code> for its content.
      </p>
      <form class="filters" onSubmit={(event) => event.preventDefault()} aria-label="Filter dead letters">
        <div class="field">
          <label for="filter-dead-letter-status">Status</label>
          <select
            id="filter-dead-letter-status"
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
        <button type="button" disabled={loading} onClick={() => setAttempt((n) => n + 1)}>
          Refresh
        </button>
      </form>
      {error && (
        <p class="notice notice-error" role="alert">
          The dead letters could not be loaded: {error}{' '}
          <button type="button" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </p>
      )}
      <p class="count" data-testid="dead-letters-count">
        {loading && !answer
          ? 'Loading…'
          : `${letters.length} ${STATUS_LABEL[status].toLowerCase()} dead letter${letters.length === 1 ? '' : 's'} shown; ${answer?.waiting ?? 0} waiting in all`}
      </p>
      <div class="table-scroll" role="region" aria-labelledby="dead-letters-caption" tabIndex={0}>
        <table class="data dead-letters-table" aria-busy={loading ? 'true' : 'false'}>
          <caption id="dead-letters-caption">Dead letters, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Reason</th>
              <th scope="col">Event</th>
              <th scope="col">From</th>
              <th scope="col">Failed</th>
              <th scope="col" class="number">
                Age
              </th>
              <th scope="col">Re-driven</th>
            </tr>
          </thead>
          <tbody>
            {letters.map((letter) => (
              <tr key={letter.id} data-dead-letter-id={letter.id} data-code={letter.code}>
                <th scope="row">
                  <code>{letter.id}</code>
                </th>
                <td>
                  <strong>{letter.code}</strong>
                  <br />
                  <span class="help">{letter.reason.slice(0, 300)}</span>
                </td>
                <td>{letter.eventId ? <code>{letter.eventId}</code> : 'unknown'}</td>
                <td>{sourceOf(letter)}</td>
                <td>{letter.failedAt ? <time dateTime={letter.failedAt}>{formatDateTime(letter.failedAt)}</time> : '–'}</td>
                <td class="number">{ageOf(letter.ageSeconds)}</td>
                <td>
                  {letter.redriven ? (
                    <>
                      by {letter.redriven.by}, <time dateTime={letter.redriven.at}>{formatDateTime(letter.redriven.at)}</time>
                    </>
                  ) : (
                    'no'
                  )}
                </td>
              </tr>
            ))}
            {!loading && letters.length === 0 && !error && (
              <tr>
                <td colSpan={7} class="empty">
                  No {STATUS_LABEL[status].toLowerCase()} dead letters.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
