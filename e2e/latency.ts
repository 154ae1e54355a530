/** Timings run inside the page, so Playwright's own round trips to the browser do not count. */

/** Click the button named `label` and time until a frame shows a menu item (runs in the page). */
export function clickToFrame(label: string): Promise<number> {
  const button = document.querySelector<HTMLElement>(`[aria-label="${label}"]`)!;
  const started = performance.now();
  button.click();
  return new Promise((resolve) => {
    const check = () => {
      if (document.querySelector('[role="menuitem"]'))
        requestAnimationFrame(() => resolve(performance.now() - started));
      else requestAnimationFrame(check);
    };
    check();
  });
}

/** Time one call to the main process (runs in the page). */
export async function ipcRoundTrip(): Promise<number> {
  const started = performance.now();
  await window.horizon!.invoke('forecast.runs', {});
  return performance.now() - started;
}
