/**
 * What both simulators share: the fault knobs of the reliability tests, and listening on loopback.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { seededRng } from "./dokploy/random.ts";

/** The fault knobs, as given at start or changed later with setFaults. */
export interface FaultKnobs {
  /** Added to each request. */
  latencyMs?: number;
  /** 0..1: fraction of requests answered 500. */
  errorRate?: number;
  /** 0..1: fraction of requests answered 429 with Retry-After: 1. */
  rateLimit429Rate?: number;
  /** Every request after N authenticated calls is answered 401 (key exhaustion). */
  unauthorizedAfter?: number;
  /** 0..1: fraction of connections destroyed without an answer. */
  dropRate?: number;
}

/** The fate of one request, before the simulator looks at it. */
export type InjectedFault = "drop" | "rate-limited" | "server-error" | null;

/** Fault injection for one simulator. */
export interface Faults {
  set(knobs: FaultKnobs): void;
  /** Waits the latency, then draws this request's fate. */
  next(): Promise<InjectedFault>;
  /** Counts an authenticated call; false once `unauthorizedAfter` calls were served. */
  admit(): boolean;
}

/** createFaults draws from a generator seeded by `seed`, so a test sees the same faults on every run. */
export function createFaults(initial: FaultKnobs, seed: number): Faults {
  const knobs: FaultKnobs = { ...initial };
  const rng = seededRng(seed ^ 0x5bd1e995);
  let authenticated = 0;
  return {
    set(f) {
      Object.assign(knobs, f);
      if ("unauthorizedAfter" in f) authenticated = 0;
    },
    async next() {
      if (knobs.latencyMs) await new Promise<void>((r) => setTimeout(r, knobs.latencyMs));
      // Draw all three every time so request N meets the same fate whatever knobs are on.
      const [drop, tooMany, fail] = [rng(), rng(), rng()];
      if (drop < (knobs.dropRate ?? 0)) return "drop";
      if (tooMany < (knobs.rateLimit429Rate ?? 0)) return "rate-limited";
      if (fail < (knobs.errorRate ?? 0)) return "server-error";
      return null;
    },
    admit() {
      if (knobs.unauthorizedAfter !== undefined && authenticated >= knobs.unauthorizedAfter) return false;
      authenticated++;
      return true;
    },
  };
}

/** listenLocal starts `server` on 127.0.0.1 (port 0: any free port) and returns its base URL. */
export async function listenLocal(server: Server, port = 0): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** closeServer drops open connections and waits for the server to close. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
}
