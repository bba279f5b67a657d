import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { useSession } from '../context';
import type { LineDetailV1 as LineDetail, LinkDecisionAnswerV1 as LinkAnswer, SessionV1 as Me } from '@linewatch/contracts';

/** POST /v1/lines/{id}/merges, /unmerges and /identifiers answer analysts only (@Roles('analyst')). */
export const mayDecideLinks = (me: Me) => me.roles.includes('analyst');

/** The API's rationale rule (3 to 2,000 characters), checked before anything is sent. */
const RATIONALE_MIN = 3;
/** How often, and how many times, the line is read again until the tracker has applied a decision (about 20 s). */
const POLL_MS = 500;
const POLL_TRIES = 40;

type Outcome =
  | { readonly kind: 'refused'; readonly code: string; readonly message: string }
  | { readonly kind: 'accepted' }
  | { readonly kind: 'applied'; readonly message: string }
  /** Accepted, but not applied within the polling bound: the analyst may read the line again. */
  | { readonly kind: 'waiting' };

export interface DecisionProps {
  /** The id the page was opened with (a merged line's id opens its survivor): the line read again. */
  readonly askedFor: string;
  /**
   * The tracker applied a decision: the line as it is now, and what happened in words when the
   * control that sent it goes with the change (an undone merge's) and so cannot say it itself.
   */
  readonly onApplied: (detail: LineDetail, message: string | null) => void;
  /** Read the line again now (after the polling bound). */
  readonly onRefresh: () => void;
}

const wait = (ms: number) => new Promise<void>((resolve) => window.setTimeout(resolve, ms));

/**
 * Sends one link decision and follows it: the API's refusal (code and message) as it gave it, or
 * "accepted" on 202 and then the line read again (bounded) until the tracker has applied it.
 */
function useLinkDecision({ askedFor, onApplied }: DecisionProps, { vanishes = false }: { vanishes?: boolean } = {}) {
  const { api, announce } = useSession();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  const refuse = (code: string, message: string) => setOutcome({ kind: 'refused', code, message });

  const send = async (
    decide: () => Promise<LinkAnswer>,
    applied: (detail: LineDetail, answer: LinkAnswer) => boolean,
    message: string,
    /** On 202, before following it: e.g. empty the form. */
    accepted?: () => void,
  ): Promise<void> => {
    setBusy(true);
    setOutcome(null);
    let answer: LinkAnswer;
    try {
      answer = await decide();
    } catch (failure) {
      if (failure instanceof ApiError) refuse(failure.code, failure.message);
      else refuse('ERROR', String(failure));
      setBusy(false);
      return;
    }
    setBusy(false);
    setOutcome({ kind: 'accepted' });
    accepted?.();
    for (let tries = 0; tries < POLL_TRIES && mounted.current; tries++) {
      await wait(POLL_MS);
      const detail = await api.line(askedFor).catch(() => null);
      if (detail && applied(detail, answer)) {
        // Said where the form is; a control that goes with the change (an undone merge's) says it through the page.
        const own = mounted.current && !vanishes;
        if (own) setOutcome({ kind: 'applied', message });
        else announce(message);
        onApplied(detail, own ? null : message);
        return;
      }
    }
    if (mounted.current) setOutcome({ kind: 'waiting' });
  };

  return { outcome, busy, refuse, send };
}

const hasLink = (detail: LineDetail, answer: LinkAnswer) => detail.identity.links.some((link) => link.eventId === answer.eventId);

/** The outcome of a decision, where the form is, in a live region that is always there (read out as it changes). */
function OutcomeNote({ id, outcome, onRefresh }: { id: string; outcome: Outcome | null; onRefresh: () => void }) {
  return (
    <div class="link-outcome" aria-live="polite" aria-atomic="true">
      {outcome && <OutcomeText id={id} outcome={outcome} onRefresh={onRefresh} />}
    </div>
  );
}

function OutcomeText({ id, outcome, onRefresh }: { id: string; outcome: Outcome; onRefresh: () => void }) {
  switch (outcome.kind) {
    case 'refused':
      return (
        <p id={id} class="notice notice-error" role="alert" data-code={outcome.code}>
          Refused (<code>{outcome.code}</code>): {outcome.message}
        </p>
      );
    case 'accepted':
      return (
        <p id={id} class="notice" data-outcome="accepted">
          Accepted — the tracker applies it shortly.
        </p>
      );
    case 'applied':
      return (
        <p id={id} class="notice" data-outcome="applied">
          {outcome.message}
        </p>
      );
    case 'waiting':
      return (
        <p id={id} class="notice" data-outcome="waiting">
          Accepted, not applied yet — the tracker applies it shortly.{' '}
          <button type="button" onClick={onRefresh}>
            Refresh the line
          </button>
        </p>
      );
  }
}

/** The instant typed in a datetime-local input (the browser's time zone) as ISO, or undefined when empty. */
const instantOf = (value: string): string | undefined => (value ? new Date(value).toISOString() : undefined);

/**
 * The analyst's link decisions about the line shown: merge it into another line, and attach a
 * number or handset to it. Undoing a merge is on the merged line's notice and on each alias
 * (UnmergeControl).
 */
export function LinkForms({ line, ...props }: DecisionProps & { line: LineDetail }) {
  return (
    <section class="link-forms" aria-labelledby="link-forms-heading">
      <h3 id="link-forms-heading">Link decisions</h3>
      <MergeForm line={line} {...props} />
      <AttachForm line={line} {...props} />
    </section>
  );
}

function MergeForm({ line, ...props }: DecisionProps & { line: LineDetail }) {
  const { api } = useSession();
  const { outcome, busy, refuse, send } = useLinkDecision(props);
  const [into, setInto] = useState('');
  const [rationale, setRationale] = useState('');
  const [at, setAt] = useState('');
  const merged = line.lineId;

  const submit = (event: Event) => {
    event.preventDefault();
    const target = into.trim();
    if (!target) return refuse('LINE_ID_MISSING', 'Type the id of the line this one is merged into.');
    if (rationale.trim().length < RATIONALE_MIN)
      return refuse('RATIONALE_MISSING', `Give a rationale (at least ${RATIONALE_MIN} characters): it is recorded with the decision.`);
    void send(
      () => api.merge(merged, { into: target, rationale: rationale.trim(), occurredAt: instantOf(at) }),
      hasLink,
      `Applied: line ${merged} is merged into line ${target}.`,
      () => {
        setInto('');
        setRationale('');
        setAt('');
      },
    );
  };

  const invalid = outcome?.kind === 'refused' ? 'true' : undefined;
  return (
    <form class="filters link-form" onSubmit={submit} noValidate aria-labelledby="merge-form-title" data-testid="merge-form">
      <h4 id="merge-form-title">Merge this line into…</h4>
      <div class="field">
        <label for="merge-into">Line id it is merged into (the survivor)</label>
        <input
          id="merge-into"
          type="text"
          maxLength={64}
          value={into}
          aria-invalid={invalid}
          aria-describedby={invalid ? 'merge-outcome' : undefined}
          onInput={(e) => setInto((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <div class="field">
        <label for="merge-rationale">Rationale (required, recorded with the decision)</label>
        <input
          id="merge-rationale"
          type="text"
          maxLength={2000}
          value={rationale}
          aria-invalid={invalid}
          onInput={(e) => setRationale((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <div class="field">
        <label for="merge-at">When (event time, optional: default now)</label>
        <input id="merge-at" type="datetime-local" value={at} onInput={(e) => setAt((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Merging…' : `Merge ${merged}`}
      </button>
      <OutcomeNote id="merge-outcome" outcome={outcome} onRefresh={props.onRefresh} />
    </form>
  );
}

type Kind = 'msisdn' | 'imei';
const KIND_LABEL: Record<Kind, string> = { msisdn: 'Number', imei: 'Handset (IMEI)' };

function AttachForm({ line, ...props }: DecisionProps & { line: LineDetail }) {
  const { api } = useSession();
  const { outcome, busy, refuse, send } = useLinkDecision(props);
  const [kind, setKind] = useState<Kind>('msisdn');
  const [value, setValue] = useState('');
  const [from, setFrom] = useState('');
  const [rationale, setRationale] = useState('');
  const target = line.lineId;

  const submit = (event: Event) => {
    event.preventDefault();
    const text = value.trim();
    if (!text) return refuse('VALUE_MISSING', `Type the ${kind === 'msisdn' ? 'number' : 'IMEI'} to attach.`);
    if (rationale.trim().length < RATIONALE_MIN)
      return refuse('RATIONALE_MISSING', `Give a rationale (at least ${RATIONALE_MIN} characters): it is recorded with the decision.`);
    void send(
      () => api.attachIdentifier(target, { [kind]: text, from: instantOf(from), rationale: rationale.trim() }),
      hasLink,
      `Applied: ${KIND_LABEL[kind].toLowerCase()} ${text} is attached to line ${target}.`,
      () => {
        setValue('');
        setFrom('');
        setRationale('');
      },
    );
  };

  const invalid = outcome?.kind === 'refused' ? 'true' : undefined;
  return (
    <form class="filters link-form" onSubmit={submit} noValidate aria-labelledby="attach-form-title" data-testid="attach-form">
      <h4 id="attach-form-title">Attach a number or handset</h4>
      <div class="field">
        <label for="attach-kind">Kind</label>
        <select id="attach-kind" value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as Kind)}>
          {(Object.keys(KIND_LABEL) as Kind[]).map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="attach-value">{kind === 'msisdn' ? 'Number' : 'IMEI'}</label>
        <input
          id="attach-value"
          type="text"
          maxLength={40}
          value={value}
          aria-invalid={invalid}
          aria-describedby={invalid ? 'attach-outcome' : undefined}
          onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <div class="field">
        <label for="attach-from">Held from (event time, optional: default now)</label>
        <input id="attach-from" type="datetime-local" value={from} onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="attach-rationale">Rationale (required, recorded with the decision)</label>
        <input
          id="attach-rationale"
          type="text"
          maxLength={2000}
          value={rationale}
          aria-invalid={invalid}
          onInput={(e) => setRationale((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Attaching…' : 'Attach'}
      </button>
      <OutcomeNote id="attach-outcome" outcome={outcome} onRefresh={props.onRefresh} />
    </form>
  );
}

/**
 * "Undo merge" of one merged line (an alias of the line shown, or the line the page was opened
 * with): a rationale, then POST /v1/lines/{merged}/unmerges with the merge's event id. Applied when
 * the line read again no longer lists that merge in force.
 */
export function UnmergeControl({ merged, mergeEventId, ...props }: DecisionProps & { merged: string; mergeEventId: string | undefined }) {
  const { api } = useSession();
  const { outcome, busy, refuse, send } = useLinkDecision(props, { vanishes: true });
  const [open, setOpen] = useState(false);
  const [rationale, setRationale] = useState('');
  const key = merged.replace(/[^A-Za-z0-9_-]/g, '_');
  const formId = `unmerge-${key}`;

  const submit = (event: Event) => {
    event.preventDefault();
    if (rationale.trim().length < RATIONALE_MIN)
      return refuse('RATIONALE_MISSING', `Give a rationale (at least ${RATIONALE_MIN} characters): it is recorded with the decision.`);
    void send(
      () => api.unmerge(merged, { ...(mergeEventId ? { mergeEventId } : {}), rationale: rationale.trim() }),
      (detail, answer) =>
        hasLink(detail, answer) ||
        (detail.resolvedFrom !== merged && !detail.identity.aliases.some((a) => a.lineId === merged && a.mergeEventId === mergeEventId)),
      `Applied: line ${merged} is no longer merged (the merge undone).`,
    );
  };

  const invalid = outcome?.kind === 'refused' ? 'true' : undefined;
  return (
    <div class="unmerge" data-unmerge={merged}>
      <button
        type="button"
        aria-expanded={open ? 'true' : 'false'}
        aria-controls={open ? formId : undefined}
        onClick={() => setOpen(!open)}
      >
        Undo merge of {merged}
      </button>
      {open && (
        <form id={formId} class="acknowledge decide" onSubmit={submit} noValidate aria-label={`Undo the merge of line ${merged}`}>
          <label for={`${formId}-rationale`}>Why undo the merge of line {merged} (required, recorded with the decision)</label>
          <input
            id={`${formId}-rationale`}
            type="text"
            maxLength={2000}
            value={rationale}
            aria-invalid={invalid}
            aria-describedby={invalid ? `${formId}-outcome` : undefined}
            onInput={(e) => setRationale((e.currentTarget as HTMLInputElement).value)}
          />
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Undoing…' : 'Undo merge'}
          </button>
        </form>
      )}
      <OutcomeNote id={`${formId}-outcome`} outcome={outcome} onRefresh={props.onRefresh} />
    </div>
  );
}
