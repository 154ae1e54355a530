/** Whether this process is the installed app, where environment overrides meant for tests are ignored. */

/** True in the installed app: Electron without the default app that `electron .` (development) uses. */
export function packagedElectron(): boolean {
  return Boolean(process.versions.electron) && !(process as { defaultApp?: boolean }).defaultApp;
}
