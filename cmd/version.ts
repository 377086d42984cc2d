/**
 * `stackctl version` (also `stackctl --version`): prints `stackctl <version>` from the package's package.json,
 * which sits one level above `cmd/` in the repository and two above `dist/cmd/` in the built package.
 */
import { readFileSync } from "node:fs";
import type { Verb } from "./io.ts";

const CANDIDATES = ["../package.json", "../../package.json"];

/** packageVersion returns the version of the stackctl package this file belongs to. */
export function packageVersion(): string {
  for (const candidate of CANDIDATES) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, import.meta.url), "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "stackctl" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // Not this one: the other layout.
    }
  }
  throw new Error("cannot find stackctl's package.json");
}

/** run prints the version; it takes no arguments. */
export const run: Verb = async (args, io) => {
  if (args.length > 0 && args[0] !== "--help") {
    io.stderr(`stackctl version: takes no arguments\n`);
    return 2;
  }
  io.stdout(`stackctl ${packageVersion()}\n`);
  return 0;
};
