/**
 * Child processes that cannot outlive the test file. A test that times out is abandoned, not unwound: its
 * `finally` blocks never run, so a child it spawned would keep listening after the runner has moved on. Every
 * child a test spawns goes through `reaped`, which kills it when the test file's process exits (the runner's
 * `--test-force-exit` makes that happen after a timeout too).
 */
import type { ChildProcess } from "node:child_process";

const running = new Set<ChildProcess>();
let installed = false;

function killAll(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

/** reaped registers `child` to be killed with SIGKILL if it is still running when this process exits; returns it. */
export function reaped<T extends ChildProcess>(child: T): T {
  if (!installed) {
    process.on("exit", killAll);
    installed = true;
  }
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
}
