import { StateBadge } from '../components/StateBadge';
import { areaName, useSession } from '../context';
import { formatDateTime } from '../format';
import { usePagedList } from '../paged-list';
import { hrefOf } from '../route';
import type { dueReviewsV1 } from '@linewatch/contracts';
import type { z } from 'zod';

type Due = z.output<typeof dueReviewsV1>['lines'][number];

/** The lines whose MoPI review is due now (analysts, admins), earliest first: what the home view's figure counts. */
export function ReviewsView() {
  const { api, areas } = useSession();
  const { items: lines, next, loading, error, load } = usePagedList<Due>((after, signal) => api.dueReviews(after, signal));

  return (
    <section aria-labelledby="reviews-heading">
      <h1 id="reviews-heading" tabIndex={-1}>
        Reviews due
      </h1>
      <p class="help">Lines whose review (MoPI) is due now, earliest first. Record a review through the API (POST /v1/lines/…/reviews).</p>
      {error && (
        <p class="notice notice-error" role="alert">
          The reviews due could not be loaded: {error}{' '}
          <button type="button" onClick={() => void load(null)}>
            Try again
          </button>
        </p>
      )}
      <p class="count">
        {loading && lines.length === 0
          ? 'Loading…'
          : `${lines.length} line${lines.length === 1 ? '' : 's'}${next ? ' shown (more to load)' : ''}`}
      </p>
      <div class="table-scroll" role="region" aria-labelledby="reviews-caption" tabIndex={0}>
        <table class="data reviews-table" aria-busy={loading ? 'true' : 'false'}>
          <caption id="reviews-caption">Lines due for review, earliest first</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Review due</th>
              <th scope="col">State</th>
              <th scope="col">Area</th>
              <th scope="col">Last reviewed</th>
              <th scope="col">Last sighting</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={line.lineId} data-line-id={line.lineId}>
                <th scope="row">
                  <a href={hrefOf('lines', line.lineId)}>{line.lineId}</a>
                </th>
                <td>
                  <time dateTime={line.reviewDueAt}>{formatDateTime(line.reviewDueAt)}</time>
                  {line.disposal && (
                    <span class="disposal-note">
                      {' '}
                      — held for disposal, erased after{' '}
                      <time dateTime={line.disposal.eraseAfter}>{formatDateTime(line.disposal.eraseAfter)}</time>
                    </span>
                  )}
                </td>
                <td>
                  <StateBadge state={line.state} />
                </td>
                <td>{areaName(areas, line.area)}</td>
                <td>{line.lastReviewedAt ? <time dateTime={line.lastReviewedAt}>{formatDateTime(line.lastReviewedAt)}</time> : 'never'}</td>
                <td>
                  <time dateTime={line.lastSightingAt ?? undefined}>{formatDateTime(line.lastSightingAt)}</time>
                </td>
              </tr>
            ))}
            {!loading && lines.length === 0 && !error && (
              <tr>
                <td colSpan={6} class="empty">
                  No line is due for review.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {next && (
        <button type="button" class="more" disabled={loading} onClick={() => void load(next)}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
