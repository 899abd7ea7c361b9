/** Small React hooks: data loading from the API, URL search parameters as state, the document title. */
import { type DependencyList, useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError } from './api/client.js';

/** State of an API call. */
export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload(): void;
}

/** Runs `load` when `deps` change (a stale answer is dropped); `reload()` runs it again. */
export function useApi<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names the inputs of `load` in deps
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (err: unknown) =>
        live &&
        setState({
          error: err instanceof ApiError ? err : new ApiError(0, 'E_CLIENT', String(err)),
          loading: false,
        }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** The URL's search parameters as a record of strings, and a setter that merges (empty values are removed). */
export function useQueryState<K extends string>(
  keys: readonly K[],
): [Record<K, string>, (patch: Partial<Record<K, string>>) => void] {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ''])) as Record<K, string>;
  const set = useCallback(
    (patch: Partial<Record<K, string>>) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch) as [string, string | undefined][]) {
            if (v) next.set(k, v);
            else next.delete(k);
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return [values, set];
}

/** Sets `document.title` to `title — Evident`. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} — Evident`;
  }, [title]);
}
