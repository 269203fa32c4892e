import { describe, expect, it } from "vitest";
import { defaultGateContext, gate } from "../../src/core/gate/index.js";
import { isProjectSourcePath, isTestPath } from "../../src/core/source-paths.js";

describe("project source for fault localization", () => {
  it("leaves out tests, mocks, end-to-end suites and dependencies", () => {
    for (const path of [
      "test/cart.test.js",
      "src/__tests__/cart.js",
      "src/__mocks__/api.js",
      "e2e/checkout.ts",
      "tests/test_cart.py",
      "pkg/cart_test.py",
      "conftest.py",
      "node_modules/lodash/index.js",
      ".venv/lib/site.py",
    ])
      expect(isProjectSourcePath(path), path).toBe(false);
    for (const path of ["src/cart.js", "lib/testing/helpers.ts", "app/contest.py", "index.mjs"])
      expect(isProjectSourcePath(path), path).toBe(true);
  });

  it("counts as a test exactly what the gate protects as one", () => {
    const edit = (path: string) =>
      gate(
        {
          id: "p1",
          diff: `--- a/${path}\n+++ b/${path}\n@@ -1 +1 @@\n-a\n+b\n`,
          intent: "fix_bug",
          phase: "patch",
          origin: "operator",
          operator: "replace_constant",
          rationale: "test",
        },
        defaultGateContext({ phase: "patch" }),
      );
    for (const path of ["src/__mocks__/api.js", "e2e/checkout.ts", "src/cart.test.js", "src/cart.js"]) {
      const verdict = edit(path);
      const protectedAsTest = !verdict.accepted && verdict.type === "protected_path";
      expect(isTestPath(path), path).toBe(protectedAsTest);
    }
  });
});
