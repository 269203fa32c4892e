// The Action's publish step in-process against the fake GitHub: it trusts the failing commit of its input, not the
// artifact, reports a patch it refuses, and sends the fix PR to the branch that failed.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readActionInputs, readRunnerContext } from "../../src/action/inputs.js";
import { pullRequestBase } from "../../src/action/pull-request-base.js";
import { type ActionEffects, runAction } from "../../src/action/run.js";
import { emptyRepairReport, type RepairReport } from "../../src/core/report.js";
import { createOctokit, type Octokit } from "../../src/github/octokit.js";
import { ArtifactRejectedError, repairArtifactFiles } from "../../src/github/publisher/index.js";
import { type FakeGitHub, startFakeGitHub } from "../helpers/fake-github/index.js";
import { git } from "../helpers/git-fixtures.js";

const TOKEN = "ghs_publishStepToken0123456789abcdefAB";
const owner = "octo";
let fake: FakeGitHub;
let octokit: Octokit;
let counter = 0;

beforeAll(async () => {
  fake = await startFakeGitHub();
  octokit = createOctokit({ token: TOKEN, baseUrl: fake.url, paceWrites: false, retries: 0 });
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => fake.assertNoViolations());

const SOURCE = "export function add(a, b) {\n  return a - b;\n}\n";
const FIX =
  "--- a/src/math.js\n+++ b/src/math.js\n@@ -1,3 +1,3 @@\n export function add(a, b) {\n-  return a - b;\n+  return a + b;\n }\n";

function repository(files: Record<string, string> = {}) {
  counter += 1;
  const name = `publish-step-${counter}`;
  const dir = mkdtempSync(join(tmpdir(), "rfsn-publish-step-"));
  git(dir, "init", "--quiet", "--initial-branch=main");
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src/math.js"), SOURCE);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  git(dir, "add", "-A");
  git(dir, "commit", "--quiet", "-m", "bug");
  const failing = git(dir, "rev-parse", "HEAD");
  fake.addRepository({ owner, name, defaultBranch: "main" }).importGit(join(dir, ".git"), "HEAD", "main");
  return { name, dir, failing };
}

function fixedReport(diff: string): RepairReport {
  return {
    ...emptyRepairReport({
      sessionId: "s",
      outcome: "fixed",
      outcomeReason: "one plausible patch",
      startedAt: "2026-12-07T13:00:00Z",
    }),
    patch: { diff, operator: "binary_operator", rationale: "- to +", files: ["src/math.js"] },
  };
}

async function publish(name: string, runId: number, inputs: Record<string, string>) {
  const effects: ActionEffects & { warnings: string[]; outputs: Record<string, string> } = {
    warnings: [],
    outputs: {},
    info: () => {},
    warning(message) {
      this.warnings.push(message);
    },
    setOutput(key, value) {
      this.outputs[key] = value;
    },
    writeJobSummary: async () => {},
  };
  const context = readRunnerContext({
    GITHUB_WORKSPACE: mkdtempSync(join(tmpdir(), "rfsn-empty-")),
    GITHUB_REPOSITORY: `${owner}/${name}`,
    GITHUB_SHA: "f".repeat(40),
    GITHUB_API_URL: fake.url,
    GITHUB_RUN_ID: String(runId),
    RUNNER_TEMP: mkdtempSync(join(tmpdir(), "rfsn-temp-")),
  });
  const parsed = readActionInputs(
    (input) => ({ step: "publish", token: TOKEN, "memory-cache": "false", ...inputs })[input] ?? "",
  );
  const result = await runAction(parsed, context, octokit, effects);
  return { result, effects };
}

describe("the publish step", () => {
  it("refuses an artifact made for another commit than the one its input names", async () => {
    const { name, failing } = repository();
    fake.storeArtifact(
      owner,
      name,
      501,
      "rfsn-repair",
      repairArtifactFiles(fixedReport(FIX), "a".repeat(40), "501"),
    );
    const error = await publish(name, 501, { "failing-commit": failing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtifactRejectedError);
    expect((error as Error).message).toMatch(/the repair job worked on a{40}, but the failing commit is/);
    expect(fake.repository(owner, name).pulls.size).toBe(0);
  });

  it("reports a patch the gate refuses in the comment, opens nothing, and says why", async () => {
    const { name, failing } = repository({ ".github/rfsn.yml": "protected_paths:\n  - src/**\n" });
    fake.addIssue(owner, name, 9);
    fake.storeArtifact(
      owner,
      name,
      502,
      "rfsn-repair",
      repairArtifactFiles(fixedReport(FIX), failing, "502"),
    );
    const { result } = await publish(name, 502, { "failing-commit": failing, "comment-target": "9" });
    expect(result.refused).toMatch(/protected_path/);
    expect(result.pullRequest).toBeNull();
    const repo = fake.repository(owner, name);
    expect([...repo.branches.keys()].filter((branch) => branch.startsWith("rfsn/"))).toEqual([]);
    expect(repo.comments.find((comment) => comment.issueNumber === 9)?.body).toContain(
      "Not published: patch rejected (protected_path)",
    );
  });

  it("needs the failing commit as an input", async () => {
    const { name } = repository();
    await expect(publish(name, 503, {})).rejects.toThrow(/failing-commit is required by the publish step/);
  });
});

describe("pullRequestBase", () => {
  it("takes base-branch, then ref when it is a branch, then the head of an open PR for the commit, then the default branch", async () => {
    const { name, failing } = repository();
    const repo = fake.repository(owner, name);
    repo.branches.set("feature/x", failing);
    const base = (ref: string, baseBranch = "") =>
      pullRequestBase(octokit, { owner, repo: name, failingCommit: failing, ref, baseBranch });
    expect(await base("main", "release")).toBe("release");
    expect(await base("feature/x")).toBe("feature/x");
    expect(await base("refs/heads/feature/x")).toBe("feature/x");
    expect(await base("")).toBe("main");
    expect(await base(failing)).toBe("main");
    repo.ensureIssue(4, true, "PR");
    repo.pulls.set(4, {
      number: 4,
      title: "PR",
      body: null,
      head: "feature/x",
      headSha: failing,
      base: "main",
      draft: false,
      state: "open",
      user: "alice",
    });
    expect(await base("")).toBe("feature/x");
  });
});
