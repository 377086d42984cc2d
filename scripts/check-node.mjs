/**
 * Stops an npm script (test, demo, build) at once on a Node.js older than 24, saying how to get 24, instead of
 * failing later on a TypeScript file the old Node cannot load. Plain JavaScript, because the old Node must run it.
 * Exits 2 with the first line `stackctl` prints (cmd/bin.ts); tests/node-version.test.ts runs both on an old Node.
 */
const REQUIRED_MAJOR = 24;
const running = process.versions.node;
if (Number(running.split(".")[0]) < REQUIRED_MAJOR) {
  // The script npm is running, to repeat it in the advice (`npm test`, `npm run demo`).
  const script = process.env.npm_lifecycle_event;
  const again = script === undefined ? "npm ci" : script === "test" ? "npm test" : `npm run ${script}`;
  process.stderr.write(
    `stackctl needs Node.js ${REQUIRED_MAJOR} or newer (this is ${running}).\n` +
      `Get it with nvm ('nvm install ${REQUIRED_MAJOR}'), from https://nodejs.org, or run npm through npm's node package:\n` +
      `  npx -y -p node@${REQUIRED_MAJOR} -- ${again}\n`,
  );
  process.exit(2);
}
