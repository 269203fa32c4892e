// The runners' knowledge of tests and configuration: the gate's defaults cover every runner, and a project's own config adds to them.
import { describe, expect, it } from "vitest";
import { DEFAULT_PROTECTED_PATHS, defaultGateContext, GlobSet, gate } from "../../src/core/gate/index.js";
import {
  allRunnerRules,
  projectCollectionRules,
  RUNNER_COLLECTION_RULES,
} from "../../src/runtime/test-runners/collection-rules.js";

/** A concrete path a glob matches: `**` becomes a directory, `*` a name, `{a,b}` its first choice. */
function examplePath(glob: string): string {
  return glob
    .replace(/\{([^,}]*)[^}]*\}/g, "$1")
    .replace(/^\*\*\//, "pkg/")
    .replace(/\/\*\*$/, "/inner/file.js")
    .replace(/\*\*/g, "deep")
    .replace(/\*/g, "name");
}

describe("runner collection rules", () => {
  const protectedByDefault = new GlobSet(DEFAULT_PROTECTED_PATHS);

  it.each(Object.entries(RUNNER_COLLECTION_RULES))(
    "the gate's default protected paths cover every test and configuration file %s reads",
    (_runner, rules) => {
      const uncovered = [...rules.testFiles, ...rules.configFiles]
        .map(examplePath)
        .filter((path) => protectedByDefault.match(path) === null);
      expect(uncovered).toEqual([]);
    },
  );

  it("names node --test's default test files and the interpreter's start-up files", () => {
    const all = new GlobSet([...allRunnerRules().testFiles, ...allRunnerRules().configFiles]);
    for (const path of [
      "src/cart-test.js",
      "src/cart_test.mjs",
      "src/test-cart.cjs",
      "test.js",
      "lib/test/anything.js",
      "pkg/testcart.py",
      "src/sitecustomize.py",
      "usercustomize.py",
      "venv-hook.pth",
      ".pnpmfile.cjs",
      ".devcontainer/devcontainer.json",
      ".pytest.toml",
    ]) {
      expect(all.match(path), path).not.toBeNull();
    }
    expect(all.match("src/cart.js")).toBeNull();
  });
});

describe("projectCollectionRules", () => {
  const files: Record<string, string> = {
    "pytest.ini": "[pytest]\npython_files = check_*.py\n    verify_*.py\ntestpaths = itests\n",
    "pyproject.toml": '[tool.pytest.ini_options]\npython_files = ["spec_*.py"]\ntestpaths = ["acceptance"]\n',
    "package.json": JSON.stringify({
      scripts: { test: "./ci/run-suite.sh && node --test", pretest: "node tools/prepare.mjs" },
      jest: { testMatch: ["<rootDir>/checks/**/*.check.js"] },
      mocha: { spec: "behaviour/**/*.js" },
    }),
    "vitest.config.ts":
      "export default defineConfig({ test: { include: ['quality/**/*.q.ts'], setupFiles: ['./tools/vitest-setup.ts'] } });",
    ".mocharc.yml": "spec:\n  - 'features/**/*.feature.js'\nrequire: ./tools/mocha-hooks.js\n",
  };
  const rules = projectCollectionRules((path) => files[path], ["bash", "scripts/ci.sh"]);

  it("reads python_files from every pytest configuration file, and not testpaths (where to look is not what a test is)", () => {
    expect(rules.testFiles).toEqual(
      expect.arrayContaining(["**/check_*.py", "**/verify_*.py", "**/spec_*.py"]),
    );
    expect(rules.testFiles.some((glob) => glob.startsWith("itests") || glob.startsWith("acceptance"))).toBe(
      false,
    );
  });

  it("reads jest testMatch, mocha spec, vitest include and the files the scripts and the test command run", () => {
    expect(rules.testFiles).toEqual(
      expect.arrayContaining([
        "checks/**/*.check.js",
        "behaviour/**/*.js",
        "quality/**/*.q.ts",
        "features/**/*.feature.js",
      ]),
    );
    expect(rules.configFiles).toEqual(
      expect.arrayContaining([
        "ci/run-suite.sh",
        "tools/prepare.mjs",
        "tools/vitest-setup.ts",
        "tools/mocha-hooks.js",
        "scripts/ci.sh",
      ]),
    );
  });

  it("makes the gate refuse an edit of a test file that only the project's configuration names", () => {
    const diff =
      "diff --git a/suite/check_total.py b/suite/check_total.py\n--- a/suite/check_total.py\n+++ b/suite/check_total.py\n@@ -1 +1 @@\n-    assert total([1, 2]) == 3\n+    assert total([1, 2]) == total([1, 2])\n";
    const proposal = {
      id: "p",
      diff,
      intent: "fix_bug",
      phase: "patch",
      origin: "llm",
      operator: "llm",
      rationale: "r",
    } as const;
    const extra = [...rules.testFiles, ...rules.configFiles];
    const verdict = gate(
      proposal,
      defaultGateContext({ protectedPaths: extra, testPathPatterns: [...rules.testFiles] }),
    );
    expect(verdict.accepted ? "accepted" : verdict.type).toBe("protected_path");
  });
});
