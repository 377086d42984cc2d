import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLogger, formatPrettyLine, REDACTED, reconcileLogger } from "../controller/log.ts";

function capture(pretty: boolean) {
  const lines: string[] = [];
  const logger = createLogger({ level: "info", pretty, destination: { write: (s: string) => void lines.push(s) } });
  return { logger, lines };
}

describe("controller logger", () => {
  it("redacts credentials at the top level and one level down", () => {
    const { logger, lines } = capture(false);
    logger.info(
      {
        token: "t-1",
        auth: { password: "p-2", sshKey: "k-3" },
        request: { headers: { authorization: "Bearer b-4", "x-api-key": "a-5" } },
        app: { env: { DB_PASSWORD: "e-6" } },
        stack: "shop",
      },
      "hello",
    );
    const line = lines.join("");
    for (const s of ["t-1", "p-2", "k-3", "b-4", "a-5", "e-6"]) assert.ok(!line.includes(s), `leaks ${s}: ${line}`);
    const rec = JSON.parse(line) as { token: string; stack: string; app: { env: string }; msg: string };
    assert.equal(rec.token, REDACTED);
    assert.equal(rec.app.env, REDACTED);
    assert.equal(rec.stack, "shop");
    assert.equal(rec.msg, "hello");
  });

  it("a reconcile child logger carries stack, revision and reconcile id", () => {
    const { logger, lines } = capture(false);
    reconcileLogger(logger, { stack: "shop", revision: "abc123" }).info("planned");
    const rec = JSON.parse(lines[0] ?? "") as { stack: string; revision: string; reconcileId: string };
    assert.equal(rec.stack, "shop");
    assert.equal(rec.revision, "abc123");
    assert.match(rec.reconcileId, /^[0-9a-f]{8}$/);
  });

  it("pretty mode writes one readable line per record, still redacted", () => {
    const { logger, lines } = capture(true);
    logger.warn({ stack: "shop", token: "secret-7", note: "two words" }, "fetch failed");
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? "", /^\d\d:\d\d:\d\d\.\d{3} WARN  fetch failed stack=shop token=\[redacted\] note="two words"\n$/);
    assert.equal(formatPrettyLine("not json"), "not json");
  });
});
