import { useState } from 'preact/hooks';
import type { IdentifierKind } from '../api';

/** One search: what was asked, and a count so that the same words asked again search again. */
export interface SearchQuery {
  readonly kind: IdentifierKind;
  readonly value: string;
  readonly asked: number;
}

export const KIND_NAME: Record<IdentifierKind, string> = { msisdn: 'Number', imei: 'Handset (IMEI)', brand: 'Brand' };
/** The same in a sentence ("a number", "the handset 35…"). */
export const KIND_NOUN: Record<IdentifierKind, string> = { msisdn: 'number', imei: 'handset', brand: 'brand' };
const PLACEHOLDER: Record<IdentifierKind, string> = { msisdn: 'e.g. 07700 900123', imei: '15 digits', brand: 'e.g. Jay' };

/**
 * "Find a line" on every page (a search landmark): a number, a handset or a brand, looked up by
 * GET /v1/identifiers. An empty box is refused here with a message; anything else goes to the API,
 * whose own checks (INVALID_MSISDN, INVALID_IMEI) the results view shows.
 */
export function SearchBox({ onSearch }: { onSearch: (query: SearchQuery) => void }) {
  const [kind, setKind] = useState<IdentifierKind>('msisdn');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [asked, setAsked] = useState(0);

  const submit = (event: Event) => {
    event.preventDefault();
    const text = value.trim();
    if (!text) {
      setProblem(`Type a ${KIND_NOUN[kind]} to search for.`);
      return;
    }
    setProblem(null);
    setAsked(asked + 1);
    onSearch({ kind, value: text, asked: asked + 1 });
  };

  return (
    <form class="finder" role="search" onSubmit={submit} noValidate aria-labelledby="finder-title">
      <span class="finder-title" id="finder-title">
        Find a line
      </span>
      <label for="finder-kind" class="visually-hidden">
        Search by
      </label>
      <select
        id="finder-kind"
        value={kind}
        onChange={(event) => setKind((event.currentTarget as HTMLSelectElement).value as IdentifierKind)}
      >
        {(Object.keys(KIND_NAME) as IdentifierKind[]).map((key) => (
          <option key={key} value={key}>
            {KIND_NAME[key]}
          </option>
        ))}
      </select>
      <label for="finder-value" class="visually-hidden">
        {KIND_NAME[kind]} to find
      </label>
      <input
        id="finder-value"
        type="search"
        autoComplete="off"
        spellcheck={false}
        maxLength={64}
        placeholder={PLACEHOLDER[kind]}
        value={value}
        aria-invalid={problem ? 'true' : undefined}
        aria-describedby={problem ? 'finder-problem' : undefined}
        onInput={(event) => setValue((event.currentTarget as HTMLInputElement).value)}
      />
      <button type="submit">Search</button>
      {problem && (
        <p id="finder-problem" class="field-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
