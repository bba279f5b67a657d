import { useEffect, useState } from 'preact/hooks';
import { ApiError } from './api';

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

  const load = async (after: string | null, signal?: AbortSignal) => {
    setLoading(true);
    setError(null);
    try {
      const page = await fetchPage(after, signal);
      setItems((previous) => (after === null ? page.items : [...previous, ...page.items]));
      setNext(page.next);
    } catch (failure) {
      if (failure instanceof DOMException && failure.name === 'AbortError') return;
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      if (!signal?.aborted) setLoading(false);
    }
  };

  useEffect(() => {
    const abort = new AbortController();
    void load(null, abort.signal);
    return () => abort.abort();
  }, []);

  return { items, next, loading, error, load };
}
