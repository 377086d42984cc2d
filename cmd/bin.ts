#!/usr/bin/env node
/**
 * The installed `stackctl` command (package.json `bin`, the image's entry point). It checks the running Node.js
 * before anything else is loaded, then hands over to the CLI (`stackctl.ts`). It has no static imports on purpose:
 * ES modules evaluate every static import before the importing module's first line, and on an older Node those
 * imports are what fails (with errors such as "Cannot read properties of undefined (reading 'bind')").
 */

/** The oldest Node.js major version stackctl runs on (package.json `engines`). */
const REQUIRED_MAJOR = 24;

const running = process.versions.node;
if (Number(running.split(".")[0]) < REQUIRED_MAJOR) {
  // scripts/check-node.mjs says the same for npm scripts (tests/node-version.test.ts runs both on an old Node).
  process.stderr.write(
    `stackctl needs Node.js ${REQUIRED_MAJOR} or newer (this is ${running}).\n` +
      `Get it with nvm ('nvm install ${REQUIRED_MAJOR}'), from https://nodejs.org, or run stackctl through npm's node package:\n` +
      `  npx -y node@${REQUIRED_MAJOR} "$(command -v stackctl)" <verb> ...\n`,
  );
  process.exit(2);
}

await import("./stackctl.ts");
