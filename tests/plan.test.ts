import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { plan } from "../controller/plan/index.ts";
import type { Plan } from "../controller/plan/types.ts";
import { SECRET_MASK, SERVER_VALUE_HIDDEN, hasChanges } from "../controller/plan/types.ts";
import { renderPlanText, planToJson } from "../controller/render/index.ts";
import { app, converged, planInput, stack } from "./helpers/plan-builders.ts";

/** The changes of a plan as `action kind subject` lines, in plan order. */
function lines(p: Plan): string[] {
  return [...p.projects, ...p.stacks.flatMap((s) => s.changes), ...p.cleanup].map((c) => `${c.action} ${c.kind} ${c.subject}`);
}

const web = app("web", { domains: [{ host: "shop.example.com", path: "/", port: 80, https: true }] });

describe("plan", () => {
  it("creates everything, in order, on an empty server", () => {
    const p = plan(planInput([stack("shop", { applications: [web, app("worker", { spec: { state: "stopped" } })] })], { projects: [] }));
    assert.deepEqual(lines(p), [
      "create project project/shop",
      "create environment project/shop env/production",
      "create application stack/shop app/web",
      "create domain stack/shop app/web domain/shop.example.com/",
      "deploy application stack/shop app/web",
      "create application stack/shop app/worker",
    ]);
  });

  it("plans nothing when the server matches", () => {
    const desired = [stack("shop", { applications: [web] }), stack("blog", { applications: [app("ghost")] })];
    const p = plan(planInput(desired, converged(desired)));
    assert.equal(hasChanges(p), false, lines(p).join("\n"));
  });

  it("updates and redeploys an application whose image changed", () => {
    const before = [stack("shop", { applications: [web] })];
    const after = [stack("shop", { applications: [{ ...web, spec: { ...web.spec, source: { kind: "image", image: "nginx:1.28", registry: null } } }] })];
    const p = plan(planInput(after, converged(before)));
    assert.deepEqual(lines(p), ["update application stack/shop app/web", "deploy application stack/shop app/web"]);
    assert.deepEqual(p.stacks[0]!.changes[0]!.diff.map((d) => d.field), ["source"]);
  });

  it("adds, changes and removes domains without redeploying", () => {
    const before = [stack("shop", { applications: [app("web", { domains: [{ host: "a.example.com", path: "/", port: 80, https: true }, { host: "b.example.com", path: "/", port: 80, https: true }] })] })];
    const after = [stack("shop", { applications: [app("web", { domains: [{ host: "b.example.com", path: "/", port: 8080, https: true }, { host: "c.example.com", path: "/", port: 80, https: false }] })] })];
    const p = plan(planInput(after, converged(before)));
    assert.deepEqual(lines(p), [
      "delete domain stack/shop app/web domain/a.example.com/",
      "update domain stack/shop app/web domain/b.example.com/",
      "create domain stack/shop app/web domain/c.example.com/",
    ]);
    const coolify = plan(planInput(after, converged(before), { domainsNeedRedeploy: true }));
    assert.deepEqual(lines(coolify).slice(3), ["deploy application stack/shop app/web"], "a platform that routes on deployment redeploys");
    assert.deepEqual(lines(plan(planInput(before, converged(before), { domainsNeedRedeploy: true }))), [], "and nothing without a change");
  });

  it("deletes an application removed from the manifest, unless prune is off", () => {
    const before = [stack("shop", { applications: [web, app("worker")] })];
    const pruned = plan(planInput([stack("shop", { applications: [web] })], converged(before)));
    assert.deepEqual(lines(pruned), ["delete application stack/shop app/worker"]);
    const kept = plan(planInput([stack("shop", { applications: [web], prune: false })], converged(before)));
    assert.deepEqual(lines(kept), []);
  });

  it("tears down a stack whose manifest is gone, project included", () => {
    const before = [stack("shop", { applications: [web] }), stack("blog", { applications: [app("ghost")] }), stack("wiki")];
    const p = plan(planInput([stack("shop", { applications: [web] }), stack("wiki")], converged(before)));
    assert.equal(p.refused, false);
    assert.deepEqual(lines(p), ["delete application stack/blog app/ghost", "delete project project/blog"]);
    assert.equal(p.stacks.find((s) => s.stack === "blog")?.mode, "teardown");
  });

  it("never tears down a stack whose manifest failed to load", () => {
    const before = [stack("shop"), stack("blog", { applications: [app("ghost")] }), stack("wiki")];
    const p = plan(planInput([stack("shop"), stack("wiki")], converged(before), { failedStacks: ["blog"] }));
    assert.deepEqual(lines(p), []);
  });

  it("refuses a plan that tears down more than half of the managed stacks", () => {
    const before = [stack("a", { applications: [app("x")] }), stack("b", { applications: [app("x")] }), stack("c", { applications: [app("x")] })];
    const refused = plan(planInput([stack("a", { applications: [app("x")] })], converged(before)));
    assert.equal(refused.refused, true);
    assert.match(refused.errors[0]!.message, /refusing to tear down 2 of 3 managed stacks/);
    const allowed = plan(planInput([stack("a", { applications: [app("x")] })], converged(before), { allowMassDeletion: true }));
    assert.equal(allowed.refused, false);
    const all = plan(planInput([], converged([before[0]!])));
    assert.equal(all.refused, true, "deleting the only managed stack is 'all of them'");
  });

  it("keeps the resources of a stack with deletion-policy orphan", () => {
    const before = [stack("a", { applications: [app("x")] }), stack("keep", { orphanOnDelete: true, applications: [app("y")] })];
    const p = plan(planInput([stack("a", { applications: [app("x")] })], converged(before)));
    assert.deepEqual(lines(p), []);
    assert.equal(p.stacks.find((s) => s.stack === "keep")?.mode, "orphan");
  });

  it("refuses an unmarked project of the same name, and adopts it when asked", () => {
    const foreign = converged([stack("shop", { applications: [web] })]);
    for (const p of foreign.projects) {
      p.owner = null;
      p.description = "made by hand";
      for (const e of p.environments) {
        e.owner = null;
        e.description = null;
        for (const a of e.applications) { a.owner = null; a.description = null; }
      }
    }
    const refused = plan(planInput([stack("shop", { applications: [web] })], foreign));
    assert.deepEqual(lines(refused), []);
    assert.equal(refused.stacks[0]!.errors[0]!.code, "ownership.conflict");
    assert.match(refused.stacks[0]!.errors[0]!.message, /not managed by stackctl.*stackctl\.dev\/adopt/);
    const adopted = plan(planInput([stack("shop", { adopt: true, applications: [web] })], foreign));
    assert.deepEqual(lines(adopted), ["adopt project project/shop", "adopt environment project/shop env/production", "adopt application stack/shop app/web"]);
  });

  it("leaves objects of another instance alone", () => {
    const theirs = converged([stack("shop", { applications: [web] })], "other");
    const p = plan(planInput([], theirs));
    assert.deepEqual(lines(p), []);
    const clash = plan(planInput([stack("shop")], theirs));
    assert.match(clash.stacks[0]!.errors[0]!.message, /instance 'other'/);
  });

  it("creates a project shared by several stacks once", () => {
    const envs = ["dev", "staging", "production"].map((env) => stack(`shop-${env}`, { project: "shop", environment: env, applications: [app("web")] }));
    const p = plan(planInput(envs, { projects: [] }));
    assert.equal(lines(p).filter((l) => l.startsWith("create project")).length, 1);
    assert.equal(lines(p).filter((l) => l.startsWith("create environment")).length, 3);
    assert.equal(hasChanges(plan(planInput(envs, converged(envs)))), false);
  });

  it("masks secret values in diffs, text and JSON", () => {
    const before = [stack("shop", { applications: [app("web", { spec: { env: { TOKEN: "old-secret-1", LEVEL: "info" } }, secretEnv: ["TOKEN"] })] })];
    const after = [stack("shop", { applications: [app("web", { spec: { env: { TOKEN: "new-secret-2", LEVEL: "debug" } }, secretEnv: ["TOKEN"] })] })];
    const p = plan(planInput(after, converged(before)));
    const diff = p.stacks[0]!.changes[0]!.diff;
    assert.deepEqual(diff, [
      { field: "env.LEVEL", before: SERVER_VALUE_HIDDEN, after: "debug" },
      { field: "env.TOKEN", before: SERVER_VALUE_HIDDEN, after: SECRET_MASK },
    ]);
    const printed = renderPlanText(p, { colour: false }) + JSON.stringify(planToJson(p));
    assert.doesNotMatch(printed, /secret-1|secret-2/);
  });

  it("reports what the provider cannot express as an error on the stack", () => {
    const p = plan(planInput([stack("shop", { applications: [web] })], { projects: [] }, { unsupported: (_spec, path) => [{ field: `${path}.volumes`, message: "volumes are not supported" }] }));
    assert.equal(p.stacks[0]!.errors[0]!.code, "provider.unsupported");
    assert.equal(p.stacks[0]!.errors[0]!.field, "spec.applications[0].volumes");
    assert.deepEqual(lines(p), []);
  });

  it("reports a project or environment name the provider cannot hold as an error on that stack only, with its other errors", () => {
    const tooShort = (project: string, environment: string) => [project, environment].filter((n) => n.length < 3).map((n) => ({ field: n === project ? "spec.project" : "spec.environment", message: `'${n}' is too short` }));
    const desired = [
      stack("qa", { project: "shop", environment: "qa", applications: [web] }),
      stack("shop", { applications: [web] }),
    ];
    const p = plan(planInput(desired, { projects: [] }, { unsupportedStack: tooShort, unsupported: (_s, path) => [{ field: `${path}.volumes`, message: "no volumes" }] }));
    const qa = p.stacks.find((s) => s.stack === "qa")!;
    assert.deepEqual(qa.errors.map((e) => [e.code, e.subject, e.field]), [
      ["provider.unsupported", "stack/qa", "spec.environment"],
      ["provider.unsupported", "stack/qa app/web", "spec.applications[0].volumes"],
    ]);
    assert.equal(qa.changes.length, 0);
    const ok = plan(planInput(desired, { projects: [] }, { unsupportedStack: tooShort }));
    assert.deepEqual(ok.stacks.map((s) => [s.stack, s.errors.length]), [["qa", 1], ["shop", 0]]);
    assert.deepEqual(ok.projects.map((c) => c.subject), ["project/shop"], "the shared project is still created for the stack that can be applied");
    const alone = plan(planInput([desired[0]!], { projects: [] }, { unsupportedStack: tooShort }));
    assert.deepEqual(alone.projects, [], "no project is created for a stack that cannot be applied");
  });

  it("deletes an owned duplicate application left by someone else's copy", () => {
    const desired = [stack("shop", { applications: [web] })];
    const actual = converged(desired);
    const env = actual.projects[0]!.environments[0]!;
    env.applications.push({ ...structuredClone(env.applications[0]!), id: "zzz-dup" });
    assert.deepEqual(lines(plan(planInput(desired, actual))), ["delete application stack/shop app/web (duplicate zzz-dup)"]);
  });

  it("ignores fields the provider could not read", () => {
    const desired = [stack("shop", { applications: [app("web", { spec: { env: { A: "1" } } })] })];
    const actual = converged(desired);
    actual.projects[0]!.environments[0]!.applications[0]!.spec = { env: undefined, replicas: 1 };
    assert.equal(hasChanges(plan(planInput(desired, actual))), false);
  });

  it("is deterministic whatever the input order", () => {
    const desired = ["c", "a", "b"].map((n) => stack(n, { applications: [app("z"), app("y")] }));
    const one = plan(planInput(desired, { projects: [] }));
    const two = plan(planInput([...desired].reverse(), { projects: [] }));
    assert.deepEqual(planToJson(one), planToJson(two));
    assert.deepEqual(one.stacks.map((s) => s.stack), ["a", "b", "c"]);
  });
});
