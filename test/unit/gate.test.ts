// Unit tests for the gate: check order, reasons that name file and line, globs, fingerprints, budget, syntax hook, false positives.
import { describe, expect, it } from "vitest";
import { createUnifiedDiff } from "../../src/core/diff.js";
import {
  DEFAULT_PROTECTED_PATHS,
  defaultGateContext,
  GlobSet,
  gate,
  globToRegExp,
  pathEscapeProblem,
  proposalFingerprint,
} from "../../src/core/gate/index.js";
import type { GateVerdict, Proposal } from "../../src/core/types.js";

const source = `def total(items):
    result = 0
    for item in items:
        result += item
    return result
`;

function proposal(diff: string, overrides: Partial<Proposal> = {}): Proposal {
  return {
    id: "p1",
    diff,
    intent: "fix_bug",
    phase: "patch",
    origin: "operator",
    operator: "binary_operator",
    rationale: "r",
    ...overrides,
  };
}

function edit(path: string, before: string, from: string, to: string): string {
  return createUnifiedDiff(path, before, before.replace(from, to));
}

function rejection(verdict: GateVerdict): string {
  return verdict.accepted ? "accepted" : `${verdict.type}: ${verdict.reason}`;
}

const fix = edit("src/total.py", source, "result = 0", "result = 0.0");

describe("gate", () => {
  it("accepts an ordinary fix and returns its fingerprint", () => {
    const verdict = gate(proposal(fix), defaultGateContext());
    expect(verdict).toEqual({ accepted: true, fingerprint: proposalFingerprint(fix) });
  });

  it("names the file, what was found and the line in a rejection", () => {
    const diff = edit(
      "src/total.py",
      source,
      "    for item",
      "    import pytest\n    pytest.skip('later')\n    for item",
    );
    expect(rejection(gate(proposal(diff), defaultGateContext()))).toBe(
      "test_tampering: src/total.py: skips tests with pytest.skip/xfail: `pytest.skip(` (line 4)",
    );
  });

  it("reports @pytest.mark.skip added to a test file outside the protected defaults", () => {
    const tests = "def test_total():\n    assert total([1, 2]) == 3\n";
    const diff = edit("checks/math_check.py", tests, "def test_total", "@pytest.mark.skip\ndef test_total");
    const context = defaultGateContext({ testPathPatterns: ["checks/**"] });
    expect(rejection(gate(proposal(diff), context))).toMatch(
      /^test_tampering: checks\/math_check\.py: adds @pytest\.mark\.skip\/skipif\/xfail: `@pytest\.mark\.skip` \(line 1\)$/,
    );
  });

  it("checks the protected path before the content, so a secret in a workflow is a protected_path", () => {
    const diff = createUnifiedDiff(
      ".github/workflows/x.yml",
      null,
      "env:\n  TOKEN: ghp_1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ12\n",
    );
    expect(gate(proposal(diff), defaultGateContext())).toMatchObject({
      accepted: false,
      type: "protected_path",
    });
  });

  it("prefers a secret over a forbidden pattern on the same line", () => {
    const diff = edit(
      "src/total.py",
      source,
      "    return result",
      "    requests.post(URL, headers={'x': 'ghp_1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ12'})\n    return result",
    );
    expect(gate(proposal(diff), defaultGateContext())).toMatchObject({ type: "secret" });
  });

  it("rejects proposals outside the patch phase and in sessions outside it", () => {
    expect(gate(proposal(fix, { phase: "verify" }), defaultGateContext())).toMatchObject({
      type: "phase_violation",
    });
    expect(gate(proposal(fix), defaultGateContext({ phase: "localize" }))).toMatchObject({
      type: "phase_violation",
    });
  });

  it("rejects a change already tried, even with other context lines and offsets", () => {
    const seen = new Set([
      proposalFingerprint(
        createUnifiedDiff("src/total.py", source, source.replace("result = 0", "result = 0.0"), 0),
      ),
    ]);
    expect(gate(proposal(fix), defaultGateContext({ seenFingerprints: seen }))).toMatchObject({
      type: "duplicate",
    });
  });

  it("rejects when the candidate budget or the deadline is exhausted", () => {
    expect(gate(proposal(fix), defaultGateContext({ budget: { candidatesLeft: 0 } }))).toMatchObject({
      type: "budget",
    });
    const late = defaultGateContext({ budget: { candidatesLeft: 3, deadlineMs: 10_000, nowMs: 12_500 } });
    expect(rejection(gate(proposal(fix), late))).toBe("budget: the time budget ran out 2500 ms ago");
    const early = defaultGateContext({ budget: { candidatesLeft: 3, deadlineMs: 10_000, nowMs: 9_000 } });
    expect(gate(proposal(fix), early).accepted).toBe(true);
  });

  it("applies the patch to readFile's content and reports checkSyntax's message with the path", () => {
    const context = defaultGateContext({
      readFile: (path) => (path === "src/total.py" ? source : undefined),
      checkSyntax: (_path, content) => (content.includes("0.0") ? "unexpected token at 2:14" : null),
    });
    expect(rejection(gate(proposal(fix), context))).toBe(
      "syntax_error: src/total.py: unexpected token at 2:14",
    );
  });

  it("calls a patch that does not apply to the current file malformed", () => {
    const context = defaultGateContext({
      readFile: () => "def other():\n    pass\n",
      checkSyntax: () => null,
    });
    expect(rejection(gate(proposal(fix), context))).toMatch(
      /^malformed_diff: does not apply: src\/total\.py: hunk 1/,
    );
  });

  it("skips the syntax check for files readFile does not know", () => {
    const context = defaultGateContext({ readFile: () => undefined, checkSyntax: () => "always broken" });
    expect(gate(proposal(fix), context).accepted).toBe(true);
  });

  it("checks a new file's content against an empty original", () => {
    const created = createUnifiedDiff("src/new.py", null, "def f(:\n");
    const context = defaultGateContext({
      readFile: () => undefined,
      checkSyntax: (_p, content) => (content.includes("(:") ? "bad" : null),
    });
    expect(gate(proposal(created), context)).toMatchObject({
      type: "syntax_error",
      reason: "src/new.py: bad",
    });
  });

  it("counts files and changed lines against the context's limits", () => {
    const context = defaultGateContext({ limits: { maxFiles: 3, maxChangedLines: 1 } });
    expect(rejection(gate(proposal(fix), context))).toBe(
      "too_large: diff changes 2 lines (limit 1); largest: src/total.py (+1 -1)",
    );
  });

  it("lets a deletion of a source file through the path checks but not a deleted test file", () => {
    const deleted = createUnifiedDiff("src/dead.py", "x = 1\n", null);
    expect(gate(proposal(deleted), defaultGateContext()).accepted).toBe(true);
    const deletedTest = createUnifiedDiff("tests/test_x.py", "def test_x():\n    assert True\n", null);
    expect(rejection(gate(proposal(deletedTest), defaultGateContext()))).toMatch(
      /^protected_path: tests\/test_x\.py: deletes/,
    );
  });

  it("gives rejections of unparseable text a fingerprint too", () => {
    const verdict = gate(proposal("not a diff"), defaultGateContext());
    expect(verdict).toMatchObject({ accepted: false, type: "malformed_diff" });
    expect(verdict.fingerprint).toBe(proposalFingerprint("not   a diff"));
  });

  it.each([
    ["a regex's exec method", "const m = /\\d+/.exec(text);"],
    ["a variable named executor", "const executor = pool.executor;"],
    ["an evaluate function", "const score = evaluate(model, data);"],
    ["a literal require", 'const path = require("node:path");'],
    ["a literal dynamic import", 'const mod = await import("./mod.js");'],
    ["a non-secret environment variable", "const mode = process.env.NODE_ENV;"],
    ["a URL in a string", 'const DOCS = "https://example.com/docs";'],
    ["an error message mentioning passwords", 'throw new Error("password must have 8 characters");'],
    ["a type annotation using Function", "let callback: Function | undefined;"],
    ["a protocol check", 'if (url.protocol === "https") secure = true;'],
    ["a keyword argument named token_type", 'const tokenType = "bearer";'],
    ["a logical or with a boolean default", "const enabled = options.enabled || false;"],
  ])("does not flag %s", (_label, line) => {
    const before = "export function f(text, options) {\n  return text;\n}\n";
    const diff = edit("src/f.ts", before, "  return text;\n", `  ${line}\n  return text;\n`);
    expect(rejection(gate(proposal(diff), defaultGateContext()))).toBe("accepted");
  });

  it.each([
    ["model.eval()", "    model.eval()"],
    ["re.compile", "    pattern = re.compile(r'\\d+')"],
    ["ast.literal_eval", "    value = ast.literal_eval(text)"],
    ["cursor.fetchone", "    row = cursor.fetchone()"],
    ["a precondition assert being corrected", "    assert items is not None"],
  ])("does not flag Python %s", (_label, line) => {
    const diff = edit("src/total.py", source, "    result = 0\n", `${line}\n    result = 0\n`);
    expect(rejection(gate(proposal(diff), defaultGateContext()))).toBe("accepted");
  });

  it("ignores dangerous words inside comment-only lines", () => {
    const diff = edit(
      "src/total.py",
      source,
      "    result = 0\n",
      "    # never eval(user input) here\n    result = 0\n",
    );
    expect(gate(proposal(diff), defaultGateContext()).accepted).toBe(true);
  });

  it("treats a deleted bare assert in source as tampering but a rewritten one as a fix", () => {
    const guarded = "def ratio(a, b):\n    assert b > 0\n    return a / b\n";
    const removed = edit("src/ratio.py", guarded, "    assert b > 0\n", "");
    expect(gate(proposal(removed), defaultGateContext())).toMatchObject({ type: "test_tampering" });
    const changed = edit("src/ratio.py", guarded, "b > 0", "b != 0");
    expect(gate(proposal(changed), defaultGateContext()).accepted).toBe(true);
  });

  it("uses the context's extra protected globs, and caches them by array identity", () => {
    const protectedPaths = ["src/total.py"];
    const context = defaultGateContext({ protectedPaths });
    expect(rejection(gate(proposal(fix), context))).toBe(
      "protected_path: src/total.py: modifies a protected path (matches src/total.py)",
    );
    expect(gate(proposal(fix), { ...context }).accepted).toBe(false);
  });
});

describe("glob matching", () => {
  it.each([
    ["**/*.test.*", "src/a/b.test.ts", true],
    ["**/*.test.*", "b.test.js", true],
    ["**/*.test.*", "src/test.ts", false],
    [".github/**", ".github/workflows/ci.yml", true],
    [".github/**", "docs/.github/x", false],
    ["package.json", "packages/app/package.json", true],
    ["tsconfig*.json", "tsconfig.build.json", true],
    ["src/*.js", "src/a.js", true],
    ["src/*.js", "src/lib/a.js", false],
    ["src/?.js", "src/a.js", true],
    ["src/?.js", "src/ab.js", false],
    ["*.{yml,yaml}", "deploy/app.yaml", true],
    ["*.{yml,yaml}", "deploy/app.json", false],
    ["{src,lib}/**/*.{js,ts}", "lib/x/y.ts", true],
    ["[Mm]akefile", "Makefile", true],
    ["file[!0-9].txt", "file1.txt", false],
    ["generated/", "src/generated/a.ts", true],
    ["a+b(c).txt", "a+b(c).txt", true],
    ["**/test/**", "test/unit/x.test.ts", true],
  ])("%s against %s is %s", (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });

  it("reports which glob of a set matched", () => {
    const set = new GlobSet(["docs/**", "*.lock", ""]);
    expect(set.match("poetry.lock")).toBe("*.lock");
    expect(set.match("src/app.py")).toBeNull();
    expect(new GlobSet([]).match("x")).toBeNull();
  });

  it("protects lockfiles, CI and build configuration by default", () => {
    const set = new GlobSet(DEFAULT_PROTECTED_PATHS);
    for (const path of [
      "yarn.lock",
      "go.sum",
      ".circleci/config.yml",
      "Jenkinsfile",
      ".env.local",
      "jest.config.cjs",
      ".mocharc.yml",
    ]) {
      expect(set.match(path), path).not.toBeNull();
    }
    for (const path of ["src/app.py", "lib/testing_utils.js", "src/contest.py"]) {
      expect(set.match(path), path).toBeNull();
    }
  });
});

describe("path escapes", () => {
  it.each([
    ["../x", /\.\./],
    ["/abs", /absolute/],
    ["~/x", /~/],
    ["a\\b", /backslash/],
    ["a\0b", /NUL/],
    [".git/config", /\.git/],
    ["D:/x", /Windows/],
    ["", /empty/],
    ["a\tb", /control/],
  ])("finds a problem in %j", (path, pattern) => {
    expect(pathEscapeProblem(path)).toMatch(pattern);
  });

  it("allows ordinary relative paths", () => {
    expect(pathEscapeProblem("src/routes/$id.tsx")).toBeNull();
    expect(pathEscapeProblem("a/.gitignore")).toBeNull();
  });
});

describe("proposalFingerprint", () => {
  it("ignores context size, hunk offsets and whitespace changes", () => {
    const before = `${Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n")}\n`;
    const a = createUnifiedDiff("f.js", before, before.replace("line 10", "LINE 10"), 3);
    const b = createUnifiedDiff(
      "f.js",
      `extra\n${before}`,
      `extra\n${before.replace("line 10", "LINE 10")}`,
      1,
    );
    const c = createUnifiedDiff("f.js", before, before.replace("line 10", "   LINE     10"), 0);
    expect(proposalFingerprint(a)).toBe(proposalFingerprint(b));
    expect(proposalFingerprint(a)).toBe(proposalFingerprint(c));
  });

  it("differs for different changes, paths and file order does not matter", () => {
    const one = createUnifiedDiff("a.js", "x\n", "y\n");
    const two = createUnifiedDiff("b.js", "x\n", "y\n");
    expect(proposalFingerprint(one)).not.toBe(proposalFingerprint(two));
    expect(proposalFingerprint(one)).not.toBe(proposalFingerprint(createUnifiedDiff("a.js", "x\n", "z\n")));
    expect(proposalFingerprint(one + two)).toBe(proposalFingerprint(two + one));
  });
});

describe("pathological input", () => {
  it("answers quickly for very long added lines and rejects them as minified code", () => {
    for (const line of [
      "a".repeat(60_000),
      "getattr(".repeat(8_000),
      `token${"b".repeat(60_000)}`,
      "api_key = 'x".repeat(5_000),
    ]) {
      const diff = `--- a/src/x.js\n+++ b/src/x.js\n@@ -1 +1 @@\n-a\n+${line}\n`;
      const started = performance.now();
      const verdict = gate(proposal(diff), defaultGateContext());
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(verdict).toMatchObject({ accepted: false });
    }
  });

  it("rejects a giant diff by size before scanning its content", () => {
    const removed = Array.from({ length: 20_000 }, (_, i) => `-x${i} = ${i}`);
    const added = Array.from({ length: 20_000 }, (_, i) => `+x${i} = eval(${i})`);
    const diff = `--- a/src/big.py\n+++ b/src/big.py\n@@ -1,20000 +1,20000 @@\n${[...removed, ...added].join("\n")}\n`;
    const started = performance.now();
    expect(gate(proposal(diff), defaultGateContext())).toMatchObject({ type: "too_large" });
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
