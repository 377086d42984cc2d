/**
 * Defaults that depend on other fields, applied after the zod model accepted a document.
 * Each default is defined once: static ones in `model.ts`, derived ones here.
 */
import type { Application, Domain, Stack } from "./model.ts";

/** A domain whose port is known. */
export type NormalizedDomain = Domain & { port: number };
/** An application whose domains all have a port. */
export type NormalizedApplication = Omit<Application, "domains"> & { domains: NormalizedDomain[] };
/** A stack with every default filled in: what plan() consumes. */
export type NormalizedStack = Omit<Stack, "spec"> & {
  spec: Omit<Stack["spec"], "project" | "applications"> & { project: string; applications: NormalizedApplication[] };
};

/** The port a domain routes to: its own, else the application's first port, else undefined (a validation error). */
export function domainPort(app: Pick<Application, "ports">, domain: Pick<Domain, "port">): number | undefined {
  return domain.port ?? app.ports[0];
}

/**
 * normalizeStack fills the derived defaults: `spec.project` defaults to `metadata.name`, and each domain's port
 * to the application's first port. It assumes the cross-manifest rules already rejected a domain with no port;
 * such a domain is given port 0 so that callers that skipped validation fail loudly rather than guess.
 */
export function normalizeStack(stack: Stack): NormalizedStack {
  return {
    ...stack,
    spec: {
      ...stack.spec,
      project: stack.spec.project ?? stack.metadata.name,
      applications: stack.spec.applications.map((app) => ({
        ...app,
        domains: app.domains.map((d) => ({ ...d, port: domainPort(app, d) ?? 0 })),
      })),
    },
  };
}
