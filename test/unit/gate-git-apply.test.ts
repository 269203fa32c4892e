// The second, independent check: git's own report of what a diff does to a real tree, compared with the gate's reading.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultGateContext, gate } from "../../src/core/gate/index.js";
import {
  effectsDisagreement,
  expandRenamePair,
  GitApplyCheckError,
  gitApplyEffects,
} from "../../src/runtime/git-apply-effects.js";

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "rfsn-git-apply-"));
  mkdirSync(join(dir, "src"));
  mkdirSync(join(dir, "tests"));
  writeFileSync(join(dir, "src/cart.js"), "export const TAX = 0.2;\n");
  writeFileSync(join(dir, "src/run.py"), "x = 1\n");
  writeFileSync(join(dir, "tests/test_cart.py"), "def test_total():\n    assert 1 == 1\n");
  const run = (args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  run(["init", "--quiet"]);
  run(["add", "-A"]);
  run(["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "init"]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const edit =
  "diff --git a/src/cart.js b/src/cart.js\n--- a/src/cart.js\n+++ b/src/cart.js\n@@ -1 +1 @@\n-export const TAX = 0.2;\n+export const TAX = 0.25;\n";

describe("gitApplyEffects on a real tree", () => {
  it("reports the one file an ordinary edit touches, and agrees with the gate", async () => {
    const effects = await gitApplyEffects(edit, dir);
    expect(effects.touched).toEqual(["src/cart.js"]);
    expect(effects.renamed).toEqual([]);
    expect(effectsDisagreement(edit, effects)).toBeNull();
  });

  it("sees the rename git performs even when a lenient reader would follow the ---/+++ names", async () => {
    const diff =
      "diff --git a/tests/test_cart.py b/tests/cart_helpers.py\nsimilarity index 100%\nrename from tests/test_cart.py\nrename to tests/cart_helpers.py\n";
    const effects = await gitApplyEffects(diff, dir);
    expect(effects.renamed).toEqual([{ from: "tests/test_cart.py", to: "tests/cart_helpers.py" }]);
    // The gate refuses it on its own too (a rename that changes no lines, of a protected file).
    expect(
      gate(
        { id: "r", diff, intent: "fix_bug", phase: "patch", origin: "llm", operator: "llm", rationale: "r" },
        defaultGateContext(),
      ).accepted,
    ).toBe(false);
  });

  it("flags a mode change that a reader dropping header lines would miss", async () => {
    const diff =
      "diff --git a/src/run.py b/src/run.py\nold mode 100644\nnew mode 100755\n--- a/src/run.py\n+++ b/src/run.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n";
    const effects = await gitApplyEffects(diff, dir);
    expect(effects.modeChanged).toEqual([{ path: "src/run.py", from: "100644", to: "100755" }]);
    expect(effectsDisagreement(diff, effects)).toBeNull(); // the gate's parser saw the mode too
    const stripped = diff.replace("old mode 100644\nnew mode 100755\n", "");
    expect(effectsDisagreement(stripped, effects)).toMatch(/change the mode of src\/run.py to 100755/);
  });

  it("reports the path git strips to with -p1, which differs from the literal header name", async () => {
    const diff =
      "--- x/src/cart.js\n+++ y/src/cart.js\n@@ -1 +1 @@\n-export const TAX = 0.2;\n+export const TAX = 0.3;\n";
    const effects = await gitApplyEffects(diff, dir);
    expect(effects.touched).toEqual(["src/cart.js"]);
    expect(effectsDisagreement(diff, effects)).toMatch(
      /git would write "src\/cart.js", a path the gate did not judge/,
    );
  });

  it("refuses a diff git itself cannot apply", async () => {
    const stale = edit.replace("-export const TAX = 0.2;", "-export const TAX = 0.9;");
    await expect(gitApplyEffects(stale, dir)).rejects.toBeInstanceOf(GitApplyCheckError);
  });
});

describe("expandRenamePair", () => {
  it("expands git's compact rename notation", () => {
    expect(expandRenamePair("src/{a.js => b.js}")).toEqual({
      from: "src/a.js",
      to: "b.js".replace(/^/, "src/"),
    });
    expect(expandRenamePair("{tests => src}/helpers.py")).toEqual({
      from: "tests/helpers.py",
      to: "src/helpers.py",
    });
    expect(expandRenamePair("a.txt => b.txt")).toEqual({ from: "a.txt", to: "b.txt" });
  });
});
