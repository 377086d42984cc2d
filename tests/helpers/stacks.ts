/**
 * Writes Stack manifests into a temporary directory, for tests that run the verbs on real files.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { stringify } from "yaml";

/** A scratch directory of manifests. */
export interface ManifestDir {
  dir: string;
  /** Writes `stacks/NAME.yaml` holding the Stack document built from `spec`. */
  put(name: string, spec: Record<string, unknown>, annotations?: Record<string, string>): void;
  /** Writes raw text at a path relative to the directory. */
  write(path: string, text: string): void;
  remove(name: string): void;
  cleanup(): void;
}

/** manifestDir creates an empty scratch directory. */
export function manifestDir(): ManifestDir {
  const dir = mkdtempSync(join(tmpdir(), "stackctl-test-"));
  mkdirSync(join(dir, "stacks"));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  return {
    dir,
    put: (name, spec, annotations) =>
      write(`stacks/${name}.yaml`, stringify({ apiVersion: "stackctl.dev/v1alpha1", kind: "Stack", metadata: { name, ...(annotations ? { annotations } : {}) }, spec })),
    write,
    remove: (name) => rmSync(join(dir, "stacks", `${name}.yaml`)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
