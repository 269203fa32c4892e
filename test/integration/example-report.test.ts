// docs/example-report.md is what a real repair of examples/quickstart renders today: regenerated here and compared.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { normalizeRunSpecifics } from "../../src/observability/example-report.js";
import { generateExampleReport } from "../../src/repair/example-report-session.js";

const ROOT = join(import.meta.dirname, "../..");

describe("docs/example-report.md", () => {
  it("matches a fresh repair session of the quickstart (run `npm run build && node scripts/write-example-report.js` to update it)", async () => {
    const fresh = await generateExampleReport(join(ROOT, "examples/quickstart"));
    expect(fresh).toBe(readFileSync(join(ROOT, "docs/example-report.md"), "utf8"));
    expect(fresh).toContain("+  if (count >= 10) {");
  }, 120_000);

  it("normalizes only what changes between runs", () => {
    const text = normalizeRunSpecifics(
      "session 0b7c6a50-1d2e-4f3a-9b8c-7d6e5f4a3b2c at 2026-12-07T13:45:00.123Z took 3.4 s in /tmp/rfsn-example-x/src\n  verify (0.4 s) :p4, 2948, 3385\nline 17, 6 tests",
      "/tmp/rfsn-example-x",
    );
    expect(text).toBe(
      "session <session-id> at <time> took <duration> in <project>/src\n  verify (<duration>) :p4, <start-ms>, <end-ms>\nline 17, 6 tests",
    );
  });
});
