// planReviewSuggestion on diffs made by real git: suggested only for ≤ 3 lines inside the pull request's diff.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { commentableLines, planReviewSuggestion } from "../../src/core/review-suggestion.js";

const scratch = mkdtempSync(join(tmpdir(), "rfsn-suggestion-"));
let repositories = 0;

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `git diff` between two versions of some files, as git prints it. */
function gitDiff(before: Record<string, string>, after: Record<string, string>): string {
  repositories += 1;
  const root = join(scratch, `r${repositories}`);
  mkdirSync(root);
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
      cwd: root,
      encoding: "utf8",
    });
  const write = (files: Record<string, string>) => {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
  };
  git("init", "-q");
  write(before);
  git("add", "-A");
  git("commit", "-q", "-m", "before");
  write(after);
  return git("diff");
}

/** What GitHub's `pulls/list-files` gives as `patch`: the hunks of one file, without the file header. */
function pullPatch(diff: string): string {
  return diff.slice(diff.indexOf("@@")).replace(/\n$/, "");
}

const lines = (count: number, edit: Record<number, string> = {}) =>
  `${Array.from({ length: count }, (_, index) => edit[index + 1] ?? `const v${index + 1} = ${index + 1};`).join("\n")}\n`;

const BASE = lines(40);
/** The pull request rewrote lines 10-12. */
const PR_HEAD = lines(40, {
  10: "const v10 = 10 * 2;",
  11: "const v11 = v10 - 1;",
  12: "const v12 = v11 / 0;",
});
const PR_FILES = [
  {
    filename: "src/values.js",
    status: "modified",
    patch: pullPatch(gitDiff({ "src/values.js": BASE }, { "src/values.js": PR_HEAD })),
  },
];
const HEAD = "a".repeat(40);

function plan(repairAfter: Record<string, string>, options: { head?: string; files?: typeof PR_FILES } = {}) {
  return planReviewSuggestion({
    repairDiff: gitDiff({ "src/values.js": PR_HEAD, "src/other.js": lines(5) }, repairAfter),
    failingCommit: HEAD,
    pullRequestHead: options.head ?? HEAD,
    pullRequestFiles: options.files ?? PR_FILES,
  });
}

describe("commentableLines", () => {
  it("lists the new-side lines of every hunk (context and added), not the removed ones", () => {
    const shown = commentableLines(PR_FILES[0]?.patch ?? "");
    expect([...shown].sort((a, b) => a - b)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15]);
  });
});

describe("planReviewSuggestion", () => {
  it("suggests a one-line fix on a line the pull request changed, with the fixed text", () => {
    const decision = plan({
      "src/values.js": lines(40, {
        10: "const v10 = 10 * 2;",
        11: "const v11 = v10 - 1;",
        12: "const v12 = v11 / 2;",
      }),
    });
    expect(decision).toEqual({
      suggest: true,
      suggestion: {
        path: "src/values.js",
        startLine: 12,
        line: 12,
        replacement: ["const v12 = v11 / 2;"],
        body: expect.stringContaining("```suggestion\nconst v12 = v11 / 2;\n```"),
      },
    });
  });

  it("suggests a range of up to three lines, including context lines shown in the diff", () => {
    const decision = plan({
      "src/values.js": PR_HEAD.replace("const v9 = 9;", "const v9 = 90;")
        .replace("const v10 = 10 * 2;", "const v10 = 20;")
        .replace("const v11 = v10 - 1;", "const v11 = 19;"),
    });
    expect(decision).toMatchObject({
      suggest: true,
      suggestion: {
        startLine: 9,
        line: 11,
        replacement: ["const v9 = 90;", "const v10 = 20;", "const v11 = 19;"],
      },
    });
  });

  it("anchors a pure insertion on the unchanged line before it", () => {
    const after = PR_HEAD.replace(
      "const v11 = v10 - 1;\n",
      "const v11 = v10 - 1;\nif (v11 === 0) throw new Error('zero');\n",
    );
    const decision = plan({ "src/values.js": after });
    expect(decision).toMatchObject({
      suggest: true,
      suggestion: {
        startLine: 11,
        line: 11,
        replacement: ["const v11 = v10 - 1;", "if (v11 === 0) throw new Error('zero');"],
      },
    });
  });

  it("does not suggest on a line outside the pull request's diff", () => {
    const decision = plan({ "src/values.js": PR_HEAD.replace("const v30 = 30;", "const v30 = 31;") });
    expect(decision).toEqual({
      suggest: false,
      reason: "line 30 of src/values.js is not part of the pull request's diff",
    });
  });

  it("does not suggest a change of more than three lines", () => {
    const decision = plan({
      "src/values.js": lines(40, { 9: "a;", 10: "b;", 11: "c;", 12: "d;" }),
    });
    expect(decision).toEqual({
      suggest: false,
      reason: "the patch changes 4 lines; suggestions are made for at most 3",
    });
  });

  it("does not suggest a patch of two files, two separate blocks, or a file the pull request did not change", () => {
    expect(
      plan({ "src/values.js": PR_HEAD.replace("v11 / 0", "v11 / 2"), "src/other.js": lines(5, { 1: "x;" }) }),
    ).toMatchObject({
      suggest: false,
      reason: "the patch touches 2 files",
    });
    expect(
      plan({ "src/values.js": PR_HEAD.replace("10 * 2", "10 * 3").replace("v11 / 0", "v11 / 2") }),
    ).toMatchObject({
      suggest: false,
      reason: "the patch changes more than one contiguous block of lines",
    });
    expect(plan({ "src/other.js": lines(5, { 2: "const v2 = 3;" }) })).toMatchObject({
      suggest: false,
      reason: "src/other.js is not changed by the pull request",
    });
  });

  it("does not suggest when the pull request's head moved or GitHub shows no diff for the file", () => {
    const fix = { "src/values.js": PR_HEAD.replace("v11 / 0", "v11 / 2") };
    expect(plan(fix, { head: "b".repeat(40) })).toMatchObject({
      suggest: false,
      reason: "the pull request's head moved since the repair started",
    });
    expect(
      plan(fix, {
        files: [{ filename: "src/values.js", status: "modified", patch: undefined as unknown as string }],
      }),
    ).toMatchObject({
      suggest: false,
      reason: "GitHub shows no diff for src/values.js (binary or too large)",
    });
  });

  it("fences a replacement holding backticks with a longer fence (an attacker cannot close the block early)", () => {
    const decision = plan({ "src/values.js": PR_HEAD.replace("const v12 = v11 / 0;", "const v12 = '```';") });
    expect(decision.suggest && decision.suggestion.body).toContain(
      "````suggestion\nconst v12 = '```';\n````",
    );
  });
});
