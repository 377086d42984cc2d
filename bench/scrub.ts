/**
 * `node bench/scrub.ts [N...]`: the cost of the process's scrubber (controller/scrub.ts) with N known secrets: time
 * to register them, and time per scrubbed log line (a 300-character pino JSON line, with and without a secret in it).
 */
import { createScrubber } from "../controller/scrub.ts";

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const LINES = 5000;

function line(secret: string | null): string {
  return JSON.stringify({ level: 50, time: new Date(0).toISOString(), stack: "shop-1234", reconcileId: "0a1b2c3d", msg: "reconcile failed", error: `dokploy application.saveEnvironment: 400 Invalid input: DB_PASSWORD=${secret ?? "x"} ${"y".repeat(150)}` });
}

console.log("| secrets | register | per line, no secret | per line, one secret |");
console.log("|---:|---:|---:|---:|");
for (const n of sizes.length > 0 ? sizes : [10, 1000, 20000]) {
  const values = Array.from({ length: n }, (_, i) => `secret-${i}-${(i * 2654435761 >>> 0).toString(36)}`);
  let t = performance.now();
  const scrub = createScrubber(values);
  const register = performance.now() - t;
  const clean = line(null);
  const dirty = line(values[n - 1]!);
  t = performance.now();
  for (let i = 0; i < LINES; i++) scrub.text(clean);
  const perClean = (performance.now() - t) / LINES;
  t = performance.now();
  for (let i = 0; i < LINES; i++) scrub.text(dirty);
  const perDirty = (performance.now() - t) / LINES;
  if (scrub.text(dirty).includes(values[n - 1]!)) throw new Error("not scrubbed");
  console.log(`| ${n.toLocaleString("en")} | ${register.toFixed(1)} ms | ${(perClean * 1000).toFixed(1)} µs | ${(perDirty * 1000).toFixed(1)} µs |`);
}
