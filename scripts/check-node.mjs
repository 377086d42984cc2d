/**
 * Stops an npm script (test, demo, build) at once on a Node.js older than 24, saying how to get 24, instead of
 * failing later on a TypeScript file the old Node cannot load. Plain JavaScript, because the old Node must run it.
 * Exits 2 with the first line `stackctl` prints (cmd/bin.ts); tests/node-version.test.ts runs both on an old Node.
 */
const REQUIRED_MAJOR = 24;
const running = process.versions.node;
if (Number(running.split(".")[0]) < REQUIRED_MAJOR) {
  process.stderr.write(
    `stackctl needs Node.js ${REQUIRED_MAJOR} or newer (this is ${running}).\n` +
      `Get it with nvm ('nvm install ${REQUIRED_MAJOR}'), from https://nodejs.org, or run npm through npm's node package:\n` +
      `  npx -y -p node@${REQUIRED_MAJOR} -- npm ci\n`,
  );
  process.exit(2);
}
