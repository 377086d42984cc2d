/**
 * Long-running verbs (`run`, `dev-server`) stop when the process that started them goes away. `npx stackctl …`
 * runs stackctl under `npm exec` and a shell; a SIGTERM to npx ends npm and the shell but not stackctl, which
 * would be left listening with nobody to stop it. Polling the parent pid is the portable way to notice: when the
 * parent exits, the process is re-parented (to init or a subreaper) and `process.ppid` changes.
 */

/**
 * stopWhenOrphaned calls `stop` once, as soon as this process's parent has exited (checked every `intervalMs`).
 * A process started by init or running as PID 1 (a container) has no parent to outlive and is left alone. The
 * timer never keeps the process alive.
 */
export function stopWhenOrphaned(stop: () => void, intervalMs = 500): void {
  const parent = process.ppid;
  if (parent <= 1) return;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    stop();
  }, intervalMs);
  timer.unref();
}
