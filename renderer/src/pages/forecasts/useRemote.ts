/**
 * Load a value from the main process whenever its inputs change. The answer
 * is kept with the inputs it belongs to, so an answer for older inputs is
 * never shown for newer ones.
 */
import { useEffect, useState } from 'react';

export interface Remote<T> {
  value: T | null;
  error: unknown;
  loading: boolean;
}

export function useRemote<T>(load: (() => Promise<T>) | null, deps: unknown[]): Remote<T> {
  const key = JSON.stringify(deps);
  const [state, setState] = useState<{ key: string | null; value: T | null; error: unknown }>({
    key: null,
    value: null,
    error: null,
  });
  useEffect(() => {
    if (!load) return;
    let current = true;
    load().then(
      (value) => {
        if (current) setState({ key, value, error: null });
      },
      (error: unknown) => {
        if (current) setState({ key, value: null, error });
      },
    );
    return () => {
      current = false;
    };
    // The inputs are the dependencies: `load` is a new closure on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, load === null]);
  const fresh = load !== null && state.key === key;
  return {
    value: fresh ? state.value : null,
    error: fresh ? state.error : null,
    loading: load !== null && !fresh,
  };
}
