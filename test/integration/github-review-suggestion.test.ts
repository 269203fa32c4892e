// postReviewSuggestion against the fake GitHub: a ≤ 3-line fix inside the PR's diff becomes a ```suggestion review comment; others do not.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createOctokit, type Octokit } from "../../src/github/octokit.js";
import { postReviewSuggestion } from "../../src/github/review-suggestions.js";
import {
  type FakeGitHub,
  type FakeRepository,
  reviewCommentsOf,
  startFakeGitHub,
} from "../helpers/fake-github/index.js";

let fake: FakeGitHub;
let octokit: Octokit;
let scratch: string;
let counter = 0;

beforeAll(async () => {
  fake = await startFakeGitHub();
  octokit = createOctokit({ token: "ghs_test", baseUrl: fake.url, paceWrites: false, retries: 0 });
  scratch = mkdtempSync(join(tmpdir(), "rfsn-review-suggestion-"));
});

afterAll(async () => {
  await fake.close();
  rmSync(scratch, { recursive: true, force: true });
});

afterEach(() => fake.assertNoViolations());

const lines = (edit: Record<number, string> = {}) =>
  `${Array.from({ length: 40 }, (_, index) => edit[index + 1] ?? `const v${index + 1} = ${index + 1};`).join("\n")}\n`;
const PR_EDITS = { 10: "const v10 = 10 * 2;", 11: "const v11 = v10 - 1;", 12: "const v12 = v11 / 0;" };

/** A repository whose pull request #2 rewrote lines 10-12 of src/values.js; returns it with the PR's head. */
function repositoryWithPullRequest(): { repository: FakeRepository; head: string } {
  counter += 1;
  const repository = fake.addRepository({
    owner: "octo-org",
    name: `suggest-${counter}`,
    files: { "src/values.js": lines() },
  });
  const head = fake.addBranch(repository.owner, repository.name, "feature/values", {
    "src/values.js": lines(PR_EDITS),
  });
  repository.ensureIssue(2, true, "Values");
  repository.pulls.set(2, {
    number: 2,
    title: "Values",
    body: null,
    head: "feature/values",
    headSha: head,
    base: "main",
    draft: false,
    state: "open",
    user: "alice",
  });
  return { repository, head };
}

/** The repair patch as git prints it: the PR head's file against the fixed one. */
function repairDiff(after: string): string {
  counter += 1;
  const root = join(scratch, `repair-${counter}`);
  execFileSync("git", ["init", "-q", root]);
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-C", root, ...args], {
      encoding: "utf8",
    });
  execFileSync("mkdir", ["-p", join(root, "src")]);
  writeFileSync(join(root, "src/values.js"), lines(PR_EDITS));
  git("add", "-A");
  git("commit", "-q", "-m", "pr head");
  writeFileSync(join(root, "src/values.js"), after);
  return git("diff");
}

describe("postReviewSuggestion", () => {
  it("posts a one-line fix inside the pull request's diff as a suggestion on that line of the head commit", async () => {
    const { repository, head } = repositoryWithPullRequest();
    const diff = repairDiff(lines({ ...PR_EDITS, 12: "const v12 = v11 / 2;" }));
    const result = await postReviewSuggestion(octokit, {
      owner: repository.owner,
      repo: repository.name,
      pullNumber: 2,
      failingCommit: head,
      diff,
    });
    expect(result.posted).toBe(true);
    expect(reviewCommentsOf(repository)).toEqual([
      expect.objectContaining({
        pullNumber: 2,
        commitId: head,
        path: "src/values.js",
        line: 12,
        startLine: null,
        side: "RIGHT",
        body: expect.stringContaining("```suggestion\nconst v12 = v11 / 2;\n```"),
      }),
    ]);
  });

  it("posts a range of lines with start_line and line", async () => {
    const { repository, head } = repositoryWithPullRequest();
    const diff = repairDiff(
      lines({ 10: "const v10 = 20;", 11: "const v11 = 19;", 12: "const v12 = v11 / 2;" }),
    );
    await postReviewSuggestion(octokit, {
      owner: repository.owner,
      repo: repository.name,
      pullNumber: 2,
      failingCommit: head,
      diff,
    });
    expect(reviewCommentsOf(repository)).toEqual([expect.objectContaining({ startLine: 10, line: 12 })]);
  });

  it("posts nothing when the fix is outside the pull request's diff, longer than 3 lines, or the head moved", async () => {
    const { repository, head } = repositoryWithPullRequest();
    const ask = (after: string, failingCommit = head) =>
      postReviewSuggestion(octokit, {
        owner: repository.owner,
        repo: repository.name,
        pullNumber: 2,
        failingCommit,
        diff: repairDiff(after),
      });
    expect(await ask(lines({ ...PR_EDITS, 30: "const v30 = 31;" }))).toEqual({
      posted: false,
      reason: "line 30 of src/values.js is not part of the pull request's diff",
    });
    expect(await ask(lines({ 9: "a;", 10: "b;", 11: "c;", 12: "d;" }))).toMatchObject({ posted: false });
    expect(await ask(lines({ ...PR_EDITS, 12: "const v12 = 1;" }), "f".repeat(40))).toMatchObject({
      posted: false,
    });
    expect(
      await postReviewSuggestion(octokit, {
        owner: repository.owner,
        repo: repository.name,
        pullNumber: 77,
        failingCommit: head,
        diff: repairDiff(lines({ ...PR_EDITS, 12: "const v12 = 1;" })),
      }),
    ).toEqual({ posted: false, reason: "#77 is not a pull request" });
    expect(reviewCommentsOf(repository)).toEqual([]);
  });

  it("meets a fake that, like GitHub, refuses a review comment on a line outside the diff", async () => {
    const { repository, head } = repositoryWithPullRequest();
    await expect(
      octokit.rest.pulls.createReviewComment({
        owner: repository.owner,
        repo: repository.name,
        pull_number: 2,
        commit_id: head,
        path: "src/values.js",
        body: "```suggestion\nx\n```",
        side: "RIGHT",
        line: 30,
      }),
    ).rejects.toMatchObject({ status: 422 });
    expect(reviewCommentsOf(repository)).toEqual([]);
  });
});
