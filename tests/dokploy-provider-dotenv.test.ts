import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dotenvUnrepresentable, formatDotenv, parseDotenv, quoteValue } from "../controller/providers/dokploy/dotenv.ts";

const TRICKY: Record<string, string> = {
  PLAIN: "value",
  EMPTY: "",
  SPACES_INSIDE: "hello world",
  LEADING_SPACE: "  padded",
  TRAILING_SPACE: "padded  ",
  HASH: "a#b",
  STARTS_HASH: "#x",
  EQUALS: "a=b==c",
  URL: "postgres://u:p@db:5432/app?sslmode=require",
  SINGLE: "it's",
  DOUBLE: 'say "hi"',
  BACKTICK: "run `x`",
  SINGLE_AND_DOUBLE: `it's "quoted"`,
  ALL_QUOTES_ONE_LINE: `a'b"c\`d`,
  MULTILINE: "line1\nline2\n  line3",
  PEM: "-----BEGIN KEY-----\nabc+/=\n-----END KEY-----\n",
  MULTILINE_WITH_SINGLE: "it's\nnext",
  LITERAL_BACKSLASH_N: "a\\nb",
  BACKSLASH_END: "ends with \\",
  CR: "a\rb",
  DOLLAR: "${HOME} $x",
  QUOTED_LOOKING: "'x'",
  UNICODE: "héllo ✓",
  TAB_INSIDE: "a\tb",
};

describe("dokploy dotenv", () => {
  it("round-trips tricky values: parse(format(x)) = x", () => {
    const text = formatDotenv(TRICKY);
    assert.ok(text !== null);
    assert.deepEqual(parseDotenv(text), TRICKY);
    assert.deepEqual(dotenvUnrepresentable(TRICKY), []);
  });

  it("round-trips every value alone", () => {
    for (const [key, value] of Object.entries(TRICKY)) {
      assert.deepEqual(parseDotenv(formatDotenv({ [key]: value })), { [key]: value }, key);
    }
  });

  it("writes simple values bare and an empty map as null", () => {
    assert.equal(formatDotenv({ A: "1", B: "2" }), "A=1\nB=2");
    assert.equal(formatDotenv({}), null);
    assert.deepEqual(parseDotenv(null), {});
  });

  it("parses what Dokploy recorded and dotenv's own forms", () => {
    assert.deepEqual(parseDotenv("A=1\nB=2"), { A: "1", B: "2" });
    assert.deepEqual(parseDotenv("# comment\nexport X = 'a b' # trailing\nY=\"l1\\nl2\"\r\nZ=bare # c"), { X: "a b", Y: "l1\nl2", Z: "bare" });
  });

  it("refuses values no quoting can carry, naming the key only", () => {
    const bad = { MIXED: "a'b`c\"d\ne", CR_AND_QUOTE: "a\rb\"" };
    assert.equal(quoteValue(bad.MIXED), undefined);
    assert.deepEqual(dotenvUnrepresentable(bad).sort(), ["CR_AND_QUOTE", "MIXED"]);
    assert.throws(() => formatDotenv({ MIXED: bad.MIXED }), (err: Error) => err.message.includes("MIXED") && !err.message.includes("a'b"));
  });
});
