/**
 * diff and apply end to end against the Dokploy simulator: the shared scenario table (tests/helpers/e2e-table.ts).
 */
import { runScenarios } from "./helpers/e2e-scenarios.ts";
import { SHARED_SCENARIOS } from "./helpers/e2e-table.ts";
import { dokployFixture } from "./helpers/targets.ts";

runScenarios("apply against Dokploy", dokployFixture, SHARED_SCENARIOS);
