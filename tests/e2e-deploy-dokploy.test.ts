/**
 * apply waits for deployments, against the Dokploy simulator: the table in tests/helpers/deploy-scenarios.ts.
 */
import { DEPLOY_SCENARIOS } from "./helpers/deploy-scenarios.ts";
import { runScenarios } from "./helpers/e2e-scenarios.ts";
import { dokployFixture } from "./helpers/targets.ts";

runScenarios("apply waits for deployments on Dokploy", dokployFixture, DEPLOY_SCENARIOS);
