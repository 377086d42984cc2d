/**
 * diff and apply end to end against the Coolify simulator: the same scenario table as Dokploy's
 * (tests/helpers/e2e-table.ts). Coolify's own behaviour is tested in e2e-coolify-only.test.ts.
 */
import { runScenarios } from "./helpers/e2e-scenarios.ts";
import { SHARED_SCENARIOS } from "./helpers/e2e-table.ts";
import { coolifyFixture } from "./helpers/targets.ts";

runScenarios("apply against Coolify", coolifyFixture(), SHARED_SCENARIOS);
