/**
 * apply waits for deployments, against the Coolify simulator: the table in tests/helpers/deploy-scenarios.ts.
 */
import { DEPLOY_SCENARIOS } from "./helpers/deploy-scenarios.ts";
import { runScenarios } from "./helpers/e2e-scenarios.ts";
import { coolifyFixture } from "./helpers/targets.ts";

runScenarios("apply waits for deployments on Coolify", coolifyFixture(), DEPLOY_SCENARIOS);
