import { describe, expect, it } from "vitest";
import { defaultGateContext, gate } from "../../src/core/gate/index.js";
import { editableSourcePredicate, isProjectSourcePath, isTestPath } from "../../src/core/source-paths.js";
import type { TestCaseResult } from "../../src/core/types.js";
import { localizeFault } from "../../src/repair/localization.js";

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
    for (const path of ["src/__mocks__/api.js", "e2e/checkout.ts", "src/cart.test.js", "src/cart.js"]) {
      const verdict = edit(path);
      const protectedAsTest = !verdict.accepted && verdict.type === "protected_path";
      expect(isTestPath(path), path).toBe(protectedAsTest);
    }
  });

  it("counts as editable exactly the source the gate lets a repair edit, the repository's protected globs included", () => {
    const extra = ["src/generated/**", "legacy.py"];
    const isEditable = editableSourcePredicate(extra);
    for (const path of [
      "src/generated/client.ts",
      "legacy.py",
      "vite.config.ts",
      "src/cart.test.js",
      "src/cart.js",
    ]) {
      const verdict = edit(path, extra);
      expect(isEditable(path), path).toBe(verdict.accepted || verdict.type !== "protected_path");
    }
    expect(isEditable("src/cart.js")).toBe(true);
    expect(isEditable("src/generated/client.ts")).toBe(false);
  });

  it("does not rank files the repository protects, even where the failing test's stack points", async () => {
    const sources = new Map([
      ["src/generated/client.js", "export function get(url) {\n  return fetch(url).json();\n}\n"],
      ["src/cart.js", "export function total(items) {\n  return get(items).sum;\n}\n"],
    ]);
    const failing: TestCaseResult = {
      id: "test/cart.test.js:total",
      name: "total",
      file: "test/cart.test.js",
      status: "failed",
      frames: [
        { file: "src/generated/client.js", line: 2 },
        { file: "src/cart.js", line: 2 },
        { file: "test/cart.test.js", line: 5 },
      ],
    };
    const rank = (protectedPaths: string[]) =>
      localizeFault({
        dir: "/nonexistent",
        failing: [failing],
        passing: [],
        readSource: async (file) => sources.get(file),
        protectedPaths,
      });
    expect((await rank([])).map((location) => location.file)).toContain("src/generated/client.js");
    const ranked = await rank(["src/generated/**"]);
    expect(ranked.map((location) => location.file)).toEqual(["src/cart.js"]);
  });
});

function edit(path: string, protectedPaths: string[] = []) {
  return gate(
    {
      id: "p1",
      diff: `--- a/${path}\n+++ b/${path}\n@@ -1 +1 @@\n-a\n+b\n`,
      intent: "fix_bug",
      phase: "patch",
      origin: "operator",
      operator: "replace_constant",
      rationale: "test",
    },
    defaultGateContext({ phase: "patch", protectedPaths }),
  );
}
