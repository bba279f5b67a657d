import { useEffect, useState } from 'preact/hooks';
import { ApiError } from './api';

/**
 * One read of a view: loading on and the error cleared, then `read`; the API's refusal kept as the
 * error to show (`failed` runs first); an aborted read (the view closed or its filter changed)
 * leaves everything as it is, loading included.
 */
export async function readForView(
  view: { setLoading(loading: boolean): void; setError(error: string | null): void },
  signal: AbortSignal | undefined,
  read: () => Promise<void>,
  failed?: () => void,
): Promise<void> {
  view.setLoading(true);
  view.setError(null);
  try {
    await read();
  } catch (failure) {
    if (failure instanceof DOMException && failure.name === 'AbortError') return;
    failed?.();
    view.setError(failure instanceof ApiError ? failure.message : String(failure));
  } finally {
    if (!signal?.aborted) view.setLoading(false);
  }
}

export interface Page<T> {
  readonly items: T[];
  readonly next: string | null;
}

/**
 * A list read a page at a time (`after` the previous page's cursor): loaded when the view opens
 * (aborted if it closes first), the next page appended by `load(next)`, read again from the start
 * by `load(null)`; the API's refusal kept as the error to show.
 */
export function usePagedList<T>(fetchPage: (after: string | null, signal?: AbortSignal) => Promise<Page<T>>) {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const load = (after: string | null, signal?: AbortSignal) =>
    readForView({ setLoading, setError }, signal, async () => {
      const page = await fetchPage(after, signal);
      setItems((previous) => (after === null ? page.items : [...previous, ...page.items]));
      setNext(page.next);
    });

  useEffect(() => {
    const abort = new AbortController();
    void load(null, abort.signal);
    return () => abort.abort();
  }, []);

  return { items, next, loading, error, load };
}
