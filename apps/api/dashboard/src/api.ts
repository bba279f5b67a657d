import type {
  DeadLettersV1,
  AlertListV1,
  CheckBackDueV1,
  DueCheckBacksV1,
  checkBackAnswerV1,
  AlertViewV1,
  AreaV1,
  DisposalCancelledV1,
  dueReviewsV1,
  IdentifierLookupV1,
  LineDetailV1,
  LineListV1,
  LineSummaryV1,
  LinkDecisionAnswerV1,
  OverviewV1,
  ReplacementSuggestionV1,
  SessionV1,
  TeamDigestV1,
  TeamV1,
  WeeklyExportJsonV1,
  WeeklyExportRowV1,
  suggestionDecisionAnswerV1,
  suggestionListV1,
} from '@linewatch/contracts';
import type { z } from 'zod';

/** What the search box looks up: exactly one of a number, a handset (IMEI) or a brand. */
export type IdentifierKind = 'msisdn' | 'imei' | 'brand';
export type SuggestionDecision = z.output<typeof suggestionDecisionAnswerV1>;

/** An error answer of the API (`{ code, message }`), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The justification as the X-Justification header carries any text (docs/api.md): header values are
 * byte strings (fetch would send "ü" as one Latin-1 byte, or throw beyond Latin-1), so the text goes
 * as an RFC 8187 ext-value, `UTF-8''` and its UTF-8 bytes percent-encoded; the api decodes it and
 * records exactly what was typed. Capped like a reason should be; empty when nothing was typed.
 */
export function justificationHeader(text: string): string {
  const reason = [
    ...text
      // What the api refuses (control characters) or encodeURIComponent cannot encode (a lone surrogate).
      .replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, ' ')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
      .trim(),
  ]
    .slice(0, 200)
    .join('');
  if (!reason) return '';
  // encodeURIComponent leaves ' ( ) * as they are; RFC 8187's attr-char does not allow them.
  const encoded = encodeURIComponent(reason).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `UTF-8''${encoded}`;
}

export interface ApiOptions {
  readonly token: string;
  /** Why the user is looking: sent as X-Justification, recorded by the API with every read. */
  readonly justification: () => string;
  /** The token was refused (expired, revoked, signed with another key). */
  readonly onUnauthorized: (reason: string) => void;
}

export interface Page<T> {
  readonly items: T[];
  readonly next: string | null;
}

const query = (params: Record<string, string | number | undefined | null>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};

/** Every data request goes to the API with the bearer token; the page itself holds no data. */
export class Api {
  constructor(private readonly options: ApiOptions) {}

  get token(): string {
    return this.options.token;
  }

  authHeaders(): Record<string, string> {
    const justification = justificationHeader(this.options.justification());
    return { authorization: `Bearer ${this.options.token}`, ...(justification ? { 'x-justification': justification } : {}) };
  }

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: {
          accept: 'application/json',
          ...this.authHeaders(),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError(0, 'NETWORK', 'The API could not be reached. Check your connection and try again.');
    }
    const answer = (await response.json().catch(() => null)) as { code?: unknown; message?: unknown } | null;
    if (!response.ok) {
      const code = typeof answer?.code === 'string' ? answer.code : `HTTP_${response.status}`;
      const message = typeof answer?.message === 'string' ? answer.message : response.statusText || `HTTP ${response.status}`;
      if (response.status === 401) this.options.onUnauthorized(message);
      throw new ApiError(response.status, code, message);
    }
    return answer as T;
  }

  me(): Promise<SessionV1> {
    return this.request('GET', '/v1/me');
  }

  async areas(): Promise<AreaV1[]> {
    return (await this.request<{ areas: AreaV1[] }>('GET', '/v1/areas')).areas;
  }

  /** The home view's figures in the caller's scope (GET /v1/overview; logged as a consultation). */
  overview(signal?: AbortSignal): Promise<OverviewV1> {
    return this.request('GET', '/v1/overview', undefined, signal);
  }

  async lines(
    filter: { state?: string; area?: string; brand?: string; changedSince?: string; after?: string | null },
    signal?: AbortSignal,
  ): Promise<Page<LineSummaryV1>> {
    const answer = await this.request<LineListV1>('GET', `/v1/lines${query({ ...filter, limit: 100 })}`, undefined, signal);
    return { items: answer.lines, next: answer.next ?? null };
  }

  line(lineId: string, signal?: AbortSignal): Promise<LineDetailV1> {
    return this.request('GET', `/v1/lines/${encodeURIComponent(lineId)}`, undefined, signal);
  }

  /** Which lines held a number or handset, or used a brand (GET /v1/identifiers; logged as a consultation). */
  identifiers(kind: IdentifierKind, value: string, signal?: AbortSignal): Promise<IdentifierLookupV1> {
    return this.request('GET', `/v1/identifiers${query({ [kind]: value })}`, undefined, signal);
  }

  async suggestions(status: ReplacementSuggestionV1['status'], signal?: AbortSignal): Promise<ReplacementSuggestionV1[]> {
    const answer = await this.request<z.output<typeof suggestionListV1>>(
      'GET',
      `/v1/replacement-suggestions${query({ status, limit: 200 })}`,
      undefined,
      signal,
    );
    return answer.suggestions;
  }

  /** Accept (the new line is merged into the one it replaces) or reject a replacement suggestion, with the analyst's rationale. */
  decideSuggestion(suggestionId: string, decision: 'accept' | 'reject', rationale: string): Promise<SuggestionDecision> {
    return this.request('POST', `/v1/replacement-suggestions/${encodeURIComponent(suggestionId)}/${decision}`, { rationale });
  }

  /** Closure check-backs due now, earliest first, with days overdue (GET /v1/check-backs/due; analysts and admins; logged). */
  async dueCheckBacks(after: string | null, signal?: AbortSignal): Promise<Page<CheckBackDueV1>> {
    const answer = await this.request<DueCheckBacksV1>('GET', `/v1/check-backs/due${query({ after, limit: 100 })}`, undefined, signal);
    return { items: answer.checkBacks, next: answer.next };
  }

  /** Records a closure check-back (analysts): out_of_use, or in_use (published as a sighting: the line resurfaces). */
  recordCheckBack(
    lineId: string,
    body: { outcome: 'out_of_use' | 'in_use'; rationale: string; checkBackId: string; checkedAt?: string },
  ): Promise<z.output<typeof checkBackAnswerV1>> {
    return this.request('POST', `/v1/lines/${encodeURIComponent(lineId)}/check-backs`, body);
  }

  /** Dead letters by status, newest first (GET /v1/dead-letters; admins; logged as a consultation). */
  deadLetters(status: 'waiting' | 'redriven' | 'all', signal?: AbortSignal): Promise<DeadLettersV1> {
    return this.request('GET', `/v1/dead-letters${query({ status, limit: 200 })}`, undefined, signal);
  }

  /** Lines whose MoPI review is due now, earliest first (GET /v1/reviews/due; analysts and admins; logged). */
  async dueReviews(after: string | null, signal?: AbortSignal): Promise<Page<z.output<typeof dueReviewsV1>['lines'][number]>> {
    const answer = await this.request<z.output<typeof dueReviewsV1>>(
      'GET',
      `/v1/reviews/due${query({ after, limit: 100 })}`,
      undefined,
      signal,
    );
    return { items: answer.lines, next: answer.next };
  }

  /** An admin cancels a line's disposal hold, with a reason (an s.62 alteration). */
  cancelDisposal(lineId: string, reason: string): Promise<DisposalCancelledV1> {
    return this.request('POST', `/v1/lines/${encodeURIComponent(lineId)}/disposal/cancel`, { reason });
  }

  /** Analysts' link decisions (202: on Kafka; the tracker applies them shortly after). Instants are ISO strings. */
  merge(lineId: string, body: { into: string; rationale: string; occurredAt?: string }): Promise<LinkDecisionAnswerV1> {
    return this.request('POST', `/v1/lines/${encodeURIComponent(lineId)}/merges`, body);
  }

  unmerge(lineId: string, body: { mergeEventId?: string; rationale: string; occurredAt?: string }): Promise<LinkDecisionAnswerV1> {
    return this.request('POST', `/v1/lines/${encodeURIComponent(lineId)}/unmerges`, body);
  }

  attachIdentifier(
    lineId: string,
    body: { msisdn?: string; imei?: string; from?: string; rationale: string },
  ): Promise<LinkDecisionAnswerV1> {
    return this.request('POST', `/v1/lines/${encodeURIComponent(lineId)}/identifiers`, body);
  }

  async teams(signal?: AbortSignal): Promise<TeamV1[]> {
    return (await this.request<{ teams: TeamV1[] }>('GET', '/v1/teams', undefined, signal)).teams;
  }

  digestPreview(teamId: string, signal?: AbortSignal): Promise<TeamDigestV1> {
    return this.request('GET', `/v1/teams/${encodeURIComponent(teamId)}/digest-preview`, undefined, signal);
  }

  async alerts(filter: { status?: string; severity?: string; after?: string | null }, signal?: AbortSignal): Promise<Page<AlertViewV1>> {
    const answer = await this.request<AlertListV1>('GET', `/v1/alerts${query({ ...filter, limit: 100 })}`, undefined, signal);
    return { items: answer.alerts, next: answer.next ?? null };
  }

  acknowledge(alertId: string, note: string): Promise<AlertViewV1> {
    return this.request('POST', `/v1/alerts/${encodeURIComponent(alertId)}/acknowledge`, note ? { note } : {});
  }

  async weekly(from: string, to: string, signal?: AbortSignal): Promise<WeeklyExportRowV1[]> {
    const answer = await this.request<WeeklyExportJsonV1>(
      'GET',
      `/v1/exports/weekly${query({ from, to, format: 'json' })}`,
      undefined,
      signal,
    );
    return answer.rows;
  }
}
