/** The forecast run the Forecasts and Service demand pages show, shared while the app runs. */
import { useSyncExternalStore } from 'react';

let selected: number | null = null;
const listeners = new Set<() => void>();

export function selectRun(runId: number | null): void {
  selected = runId;
  for (const listener of listeners) listener();
}

export function useSelectedRun(): number | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => selected,
  );
}
