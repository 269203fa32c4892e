// Commands act where they were typed, the sticky request comment, and the off switches: the App over real HTTP → the fake GitHub.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Octokit } from "@octokit/rest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AppServer } from "../../src/app/app-server.js";
import { recordOpenedPullRequest } from "../../src/app/refusals.js";
import { announceRepairResult } from "../../src/app/repair-result-announcement.js";
import { emptyRepairReport } from "../../src/core/report.js";
import { type Database, openDatabase } from "../../src/store/database.js";
import { repairRunEvent } from "../fixtures/app/repair-run-payloads.js";
import { issueCommentCreated, postWebhook, workflowRunCompleted } from "../fixtures/app/webhook-payloads.js";
import { startTestAppServer } from "../helpers/app-server.js";
import {
  type FakeGitHub,
  type FakeRepository,
  reviewCommentsOf,
  startFakeGitHub,
} from "../helpers/fake-github/index.js";

const SECRET = "commands-webhook-secret";
const HOURLY_CAP = 2;

let fake: FakeGitHub;
let server: AppServer;
let database: Database;
let directory: string;
let counter = 0;
let nextCommentId = 50_000;

beforeAll(async () => {
  fake = await startFakeGitHub();
  directory = mkdtempSync(join(tmpdir(), "rfsn-app-commands-"));
  database = openDatabase(join(directory, "app.db"));
  server = await startTestAppServer({
    webhookSecret: SECRET,
    githubBaseUrl: `${fake.url}/api/v3`,
    database,
    appSlug: "rfsn",
    maxPullRequestsPerHour: HOURLY_CAP,
  });
});

afterAll(async () => {
  await server.close();
  database.close();
  await fake.close();
  rmSync(directory, { recursive: true, force: true });
});

afterEach(() => {
  fake.clearFaults();
  fake.assertNoViolations();
});

function newRepository(options: { config?: string; installationId?: number } = {}): FakeRepository {
  counter += 1;
  return fake.addRepository({
    owner: "octo-org",
    name: `commands-${counter}`,
    permissions: { alice: "write", mia: "maintain", bob: "read" },
    files: {
      "README.md": "# service\n",
      ...(options.config ? { ".github/rfsn.yml": options.config } : {}),
    },
    workflows: ["rfsn.yml", "ci.yml"],
    installationId: options.installationId ?? 1,
  });
}

function target(repository: FakeRepository) {
  return { owner: repository.owner, repo: repository.name, installationId: repository.installationId };
}

function headOf(repository: FakeRepository): string {
  return repository.branches.get(repository.defaultBranch) ?? "";
}

async function post(event: string, payload: unknown) {
  const answer = await postWebhook(server.url, SECRET, event, payload);
  await server.idle();
  return answer;
}

/** Seeds the comment in the fake (RFSN reacts to it) and delivers the webhook. */
async function say(repository: FakeRepository, issueNumber: number, author: string, body: string) {
  nextCommentId += 1;
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  repository.comments.push({
    id: nextCommentId,
    issueNumber,
    body,
    user: author,
    createdAt: now,
    updatedAt: now,
  });
  const pullRequest = repository.pulls.has(issueNumber);
  await post(
    "issue_comment",
    issueCommentCreated(target(repository), {
      issueNumber,
      author,
      body,
      commentId: nextCommentId,
      pullRequest,
    }),
  );
}

function botComments(repository: FakeRepository, issueNumber?: number) {
  return repository.comments.filter(
    (entry) => entry.user === "rfsn[bot]" && (issueNumber === undefined || entry.issueNumber === issueNumber),
  );
}

function lastReply(repository: FakeRepository, issueNumber: number): string {
  return botComments(repository, issueNumber).at(-1)?.body ?? "";
}

function openPullRequest(repository: FakeRepository, branch: string, number: number): string {
  const sha = fake.addBranch(repository.owner, repository.name, branch, {
    "src/feature.js": `module.exports = ${number};\n`,
  });
  repository.ensureIssue(number, true, `PR ${number}`);
  repository.pulls.set(number, {
    number,
    title: `PR ${number}`,
    body: null,
    head: branch,
    headSha: sha,
    base: "main",
    draft: false,
    state: "open",
    user: "alice",
  });
  return sha;
}

function dispatchesOf(repository: FakeRepository) {
  return fake.dispatches.filter((entry) => entry.repo === repository.name);
}

function requestIdOf(dispatch: { inputs: Record<string, unknown> } | undefined): string {
  return String(dispatch?.inputs["request-id"]);
}

async function refusalCount(reason: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const match = new RegExp(`^rfsn_app_refusals_total\\{reason="${reason}"\\} (\\d+)$`, "m").exec(text);
  return match ? Number(match[1]) : 0;
}

async function ciFailure(repository: FakeRepository, sha = headOf(repository), pullRequests?: number[]) {
  const branch = pullRequests ? repository.pulls.get(pullRequests[0] ?? 0)?.head : undefined;
  await post(
    "workflow_run",
    workflowRunCompleted(target(repository), { sha, ...(branch ? { branch } : {}), pullRequests }),
  );
}

describe("commands act where they were typed", () => {
  it("cancels the repair of the pull request it was typed on and leaves another pull request's repair alone", async () => {
    const repository = newRepository();
    openPullRequest(repository, "feature/a", 7);
    openPullRequest(repository, "feature/b", 8);
    await say(repository, 7, "alice", "/rfsn fix");
    await say(repository, 8, "alice", "/rfsn fix");
    const [onA, onB] = dispatchesOf(repository);
    const requestA = requestIdOf(onA);
    const requestB = requestIdOf(onB);
    expect(onA?.inputs["comment-target"]).toBe("7");
    expect(onB?.inputs["comment-target"]).toBe("8");

    await say(repository, 7, "alice", "/rfsn cancel");
    expect(lastReply(repository, 7)).toContain(`Cancelled repair request \`${requestA}\``);
    expect(server.deps.requests.get(requestA)?.status).toBe("cancelled");
    expect(server.deps.requests.get(requestB)?.status).toBe("dispatched");
    expect(botComments(repository, 7)[0]?.body).toContain("**Repair cancelled**");
    expect(botComments(repository, 8)[0]?.body).toContain("**Repair queued**");
    const checkB = repository.checkRuns.find(
      (run) => run.id === server.deps.requests.get(requestB)?.checkRunId,
    );
    expect(checkB).toMatchObject({ status: "queued", conclusion: null });

    await say(repository, 8, "alice", "/rfsn status");
    expect(lastReply(repository, 8)).toContain(`\`${requestB}\``);
    expect(lastReply(repository, 8)).toContain("**dispatched**");
    expect(lastReply(repository, 8)).not.toContain(requestA);

    await say(repository, 7, "alice", "/rfsn status");
    expect(lastReply(repository, 7)).toContain(`\`${requestA}\``);
    expect(lastReply(repository, 7)).toContain("**cancelled**");

    repository.ensureIssue(9, false);
    await say(repository, 9, "alice", "/rfsn cancel");
    expect(lastReply(repository, 9)).toMatch(/Nothing to cancel: this issue has no repair request/);
    expect(server.deps.requests.get(requestB)?.status).toBe("dispatched");
  });

  it("revises RFSN's own fix pull request from its head, bounded by limits.attempts_per_commit", async () => {
    const repository = newRepository({ config: "limits:\n  attempts_per_commit: 2\n" });
    openPullRequest(repository, "feature/login", 3);
    const fixHead = openPullRequest(repository, "rfsn/fix/login-1", 4);
    await say(repository, 4, "alice", "/rfsn fix");
    const [first] = dispatchesOf(repository);
    expect(first?.inputs).toMatchObject({
      ref: "rfsn/fix/login-1",
      "failing-commit": fixHead,
      "base-branch": "rfsn/fix/login-1",
      "comment-target": "4",
    });
    expect(lastReply(repository, 4)).toContain("revision of this fix pull request");

    // The revision landed: the fix PR has a new head, and a second revision is still within the limit.
    const revisedHead = fake.addBranch(repository.owner, repository.name, "rfsn/fix/login-1", {
      "src/x.js": "2\n",
    });
    const pull = repository.pulls.get(4);
    if (pull) pull.headSha = revisedHead;
    await say(repository, 4, "alice", "/rfsn fix");
    expect(dispatchesOf(repository)[1]?.inputs).toMatchObject({ "failing-commit": revisedHead });

    const before = await refusalCount("attempts_exhausted");
    const thirdHead = fake.addBranch(repository.owner, repository.name, "rfsn/fix/login-1", {
      "src/x.js": "3\n",
    });
    if (pull) pull.headSha = thirdHead;
    await say(repository, 4, "alice", "/rfsn fix");
    expect(dispatchesOf(repository)).toHaveLength(2);
    expect(lastReply(repository, 4)).toMatch(
      /already had 2 revision attempt\(s\); limits.attempts_per_commit is 2/,
    );
    expect(await refusalCount("attempts_exhausted")).toBe(before + 1);
    await say(repository, 4, "alice", "/rfsn status");
    expect(lastReply(repository, 4)).toMatch(/Last refusal .*\*\*attempts_exhausted\*\*/);
  });

  it("does not revise the onboarding pull request, nor a fork's branch that borrows RFSN's name", async () => {
    const repository = newRepository();
    openPullRequest(repository, "rfsn/onboarding", 13);
    await say(repository, 13, "alice", "/rfsn fix");
    expect(lastReply(repository, 13)).toMatch(/RFSN's own \(not a fix branch\)/);

    openPullRequest(repository, "rfsn/fix/borrowed", 14);
    const octokit = (await server.probot.auth(1)) as unknown as Octokit;
    const { data } = await octokit.rest.pulls.get({
      owner: repository.owner,
      repo: repository.name,
      pull_number: 14,
    });
    const forked = {
      ...data,
      head: { ...data.head, repo: { ...data.head.repo, full_name: "mallory/fork" } },
    };
    fake.addFault({ route: "pulls/get", status: 200, body: forked });
    await say(repository, 14, "alice", "/rfsn fix");
    expect(lastReply(repository, 14)).toMatch(/does not repair pull requests from forks/);
    expect(dispatchesOf(repository)).toHaveLength(0);
  });

  it("keeps the one sticky comment of a request and edits it in place: queued, running, result", async () => {
    const repository = newRepository();
    openPullRequest(repository, "feature/sticky", 5);
    await say(repository, 5, "mia", "/rfsn fix");
    const requestId = requestIdOf(dispatchesOf(repository)[0]);
    const sticky = () => botComments(repository, 5);
    expect(sticky()).toHaveLength(1);
    const commentId = sticky()[0]?.id;
    const bodies = [sticky()[0]?.body ?? ""];
    expect(bodies[0]).toContain(`<!-- rfsn:summary request=${requestId} -->`);
    expect(bodies[0]).toContain("**Repair queued**");

    // GitHub's events of the run the App dispatched (and bound to the request by the run id GitHub returned).
    const dispatched = dispatchesOf(repository)[0];
    const repairRun = {
      requestId,
      runId: dispatched?.runId ?? 0,
      sha: headOf(repository),
      branch: repository.defaultBranch,
    };
    await post("workflow_run", repairRunEvent(target(repository), { ...repairRun, action: "requested" }));
    await post("workflow_run", repairRunEvent(target(repository), { ...repairRun, action: "in_progress" }));
    expect(sticky()).toHaveLength(1);
    expect(sticky()[0]?.id).toBe(commentId);
    bodies.push(sticky()[0]?.body ?? "");
    expect(bodies[1]).toContain("**Repair running**");
    expect(bodies[1]).toContain(`/actions/runs/${repairRun.runId}`);

    // What the App's publisher does when the run completed and the fix pull request is open.
    const report = emptyRepairReport({
      sessionId: "s-1",
      outcome: "fixed",
      outcomeReason: "all failing tests pass",
      startedAt: new Date(0).toISOString(),
    });
    const diff =
      "diff --git a/src/feature.js b/src/feature.js\n--- a/src/feature.js\n+++ b/src/feature.js\n@@ -1 +1 @@\n-module.exports = 5;\n+module.exports = 6;\n";
    report.patch = {
      diff,
      files: ["src/feature.js"],
      operator: "off_by_one",
      rationale: "the constant is off by one",
    };
    const octokit = (await server.probot.auth(1)) as unknown as Octokit;
    const request = server.deps.requests.get(requestId);
    if (!request) throw new Error("request vanished");
    const openedBefore = server.deps.controls.pullRequestsOpenedSince(1, 0);
    const announced = await announceRepairResult(octokit, server.deps, {
      repository: { owner: repository.owner, repo: repository.name, fullName: repository.fullName },
      installationId: 1,
      request,
      report,
      publishedDiff: diff,
      pullRequest: { number: 99, url: `https://github.com/${repository.fullName}/pull/99` },
    });
    expect(announced.commentWritten).toBe(true);
    expect(server.deps.controls.pullRequestsOpenedSince(1, 0)).toBe(openedBefore + 1);
    // The fix is one line the pull request added: offered as a one-click suggestion on that line of its head.
    expect(announced.suggestion.posted).toBe(true);
    expect(reviewCommentsOf(repository)).toEqual([
      expect.objectContaining({
        pullNumber: 5,
        commitId: request.headSha,
        path: "src/feature.js",
        line: 1,
        body: expect.stringContaining("```suggestion\nmodule.exports = 6;\n```"),
      }),
    ]);
    expect(sticky()).toHaveLength(1);
    expect(sticky()[0]?.id).toBe(commentId);
    bodies.push(sticky()[0]?.body ?? "");
    expect(bodies[2]?.split("\n")[2]).toMatch(/^✅ \*\*Fixed\*\*/);
    expect(bodies[2]).toContain("```diff\ndiff --git a/src/feature.js");
    expect(bodies[2]).toMatch(
      /<details>\n<summary>Figures and phase chart<\/summary>[\s\S]*### Figures[\s\S]*<\/details>/,
    );
    expect(bodies[2]?.indexOf("```diff")).toBeLessThan(bodies[2]?.indexOf("<details>") ?? 0);
    expect(new Set(bodies).size).toBe(3);
  });

  it("posts no suggestion for a fix outside the pull request's diff or on an issue", async () => {
    const repository = newRepository();
    openPullRequest(repository, "feature/outside", 11);
    await say(repository, 11, "alice", "/rfsn fix");
    repository.ensureIssue(12, false);
    await say(repository, 12, "alice", "/rfsn fix");
    const [onPull, onIssue] = dispatchesOf(repository).map((entry) =>
      server.deps.requests.get(requestIdOf(entry)),
    );
    if (!onPull || !onIssue) throw new Error("requests missing");
    const report = emptyRepairReport({
      sessionId: "s-2",
      outcome: "fixed",
      outcomeReason: "",
      startedAt: new Date(0).toISOString(),
    });
    const outside = "--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-# service\n+# Service\n";
    const octokit = (await server.probot.auth(1)) as unknown as Octokit;
    const announce = (request: typeof onPull) =>
      announceRepairResult(octokit, server.deps, {
        repository: { owner: repository.owner, repo: repository.name, fullName: repository.fullName },
        installationId: 1,
        request,
        report,
        publishedDiff: outside,
        pullRequest: null,
      });
    expect((await announce(onPull)).suggestion).toEqual({
      posted: false,
      reason: "README.md is not changed by the pull request",
    });
    expect((await announce(onIssue)).suggestion).toEqual({
      posted: false,
      reason: "#12 is not a pull request",
    });
    expect(reviewCommentsOf(repository)).toEqual([]);
    expect(lastReply(repository, 12)).toContain("✅ **Fixed**");
  });

  it("answers a failure on a pull request's head on that pull request", async () => {
    const repository = newRepository({ config: "watch:\n  branches: [main, feature/ci]\n" });
    const sha = openPullRequest(repository, "feature/ci", 6);
    await ciFailure(repository, sha, [6]);
    const [dispatch] = dispatchesOf(repository);
    expect(dispatch?.inputs).toMatchObject({
      "failing-commit": sha,
      trigger: "ci-failure",
      "comment-target": "6",
    });
    expect(botComments(repository, 6)).toHaveLength(1);
    expect(lastReply(repository, 6)).toContain("**Repair queued**");
    await say(repository, 6, "alice", "/rfsn status");
    expect(lastReply(repository, 6)).toContain(`\`${requestIdOf(dispatch)}\` (ci-failure)`);
  });
});

describe("off switches", () => {
  it("pauses and resumes automatic repairs (maintainers only), with each refusal in /rfsn status and the metrics", async () => {
    const repository = newRepository();
    repository.ensureIssue(1, false);
    await say(repository, 1, "alice", "/rfsn pause");
    expect(lastReply(repository, 1)).toMatch(/needs the maintain or admin role/);
    await say(repository, 1, "bob", "/rfsn pause");
    expect(server.deps.controls.pauseOfRepository(repository.fullName)).toBeNull();

    await say(repository, 1, "mia", "/rfsn pause");
    expect(server.deps.controls.pauseOfRepository(repository.fullName)).toMatchObject({ pausedBy: "mia" });
    const before = await refusalCount("paused");
    await ciFailure(repository);
    expect(dispatchesOf(repository)).toHaveLength(0);
    expect(await refusalCount("paused")).toBe(before + 1);
    await say(repository, 1, "alice", "/rfsn status");
    expect(lastReply(repository, 1)).toMatch(/\*\*paused\*\* \(by @mia/);
    expect(lastReply(repository, 1)).toMatch(/Last refusal .*ci-failure.*\*\*paused\*\*/);

    // An explicit request from a writer still runs while automatic repairs are paused.
    await say(repository, 1, "alice", "/rfsn fix");
    expect(dispatchesOf(repository)).toHaveLength(1);

    await say(repository, 1, "mia", "/rfsn resume");
    expect(server.deps.controls.pauseOfRepository(repository.fullName)).toBeNull();
    const next = fake.addBranch(repository.owner, repository.name, "main", { "src/a.js": "1\n" });
    await ciFailure(repository, next);
    expect(dispatchesOf(repository)).toHaveLength(2);
  });

  it("refuses every trigger with enabled: false", async () => {
    const repository = newRepository({ config: "enabled: false\n" });
    repository.ensureIssue(2, false);
    const before = await refusalCount("disabled");
    await ciFailure(repository);
    await say(repository, 2, "alice", "/rfsn fix");
    expect(dispatchesOf(repository)).toHaveLength(0);
    expect(lastReply(repository, 2)).toMatch(
      /did not start a repair: RFSN is turned off for this repository/,
    );
    expect(await refusalCount("disabled")).toBe(before + 2);
    await say(repository, 2, "alice", "/rfsn status");
    expect(lastReply(repository, 2)).toMatch(/Last refusal .*comment.*\*\*disabled\*\*/);
  });

  it("honours the per-trigger toggles of .github/rfsn.yml", async () => {
    const before = await refusalCount("trigger_off");
    const noCi = newRepository({ config: "triggers:\n  ci_failure: false\n" });
    noCi.ensureIssue(1, false);
    await ciFailure(noCi);
    expect(dispatchesOf(noCi)).toHaveLength(0);
    await say(noCi, 1, "alice", "/rfsn status");
    expect(lastReply(noCi, 1)).toMatch(/\*\*trigger_off\*\* — the `ci_failure` trigger is off/);
    await say(noCi, 1, "alice", "/rfsn fix");
    expect(dispatchesOf(noCi)).toHaveLength(1);

    const noComment = newRepository({ config: "triggers:\n  comment: false\n" });
    noComment.ensureIssue(1, false);
    await say(noComment, 1, "alice", "/rfsn fix");
    expect(dispatchesOf(noComment)).toHaveLength(0);
    expect(lastReply(noComment, 1)).toMatch(/the `comment` trigger is off/);
    await ciFailure(noComment);
    expect(dispatchesOf(noComment)).toHaveLength(1);
    expect(await refusalCount("trigger_off")).toBe(before + 2);
  });

  it("stops at the installation's hourly cap on opened pull requests, other installations unaffected", async () => {
    const capped = newRepository({ installationId: 41 });
    const other = newRepository({ installationId: 42 });
    capped.ensureIssue(1, false);
    recordOpenedPullRequest(server.deps, 41, capped.fullName, 100);
    await ciFailure(capped);
    expect(dispatchesOf(capped)).toHaveLength(1);

    recordOpenedPullRequest(server.deps, 41, capped.fullName, 101);
    recordOpenedPullRequest(server.deps, 41, capped.fullName, 101);
    const before = await refusalCount("hourly_pr_cap");
    const next = fake.addBranch(capped.owner, capped.name, "main", { "src/b.js": "2\n" });
    await ciFailure(capped, next);
    await say(capped, 1, "alice", "/rfsn fix");
    expect(dispatchesOf(capped)).toHaveLength(1);
    expect(await refusalCount("hourly_pr_cap")).toBe(before + 2);
    expect(lastReply(capped, 1)).toMatch(/opened 2 pull request\(s\) for this installation in the last hour/);
    await say(capped, 1, "alice", "/rfsn status");
    expect(lastReply(capped, 1)).toMatch(/\*\*hourly_pr_cap\*\*/);

    await ciFailure(other);
    expect(dispatchesOf(other)).toHaveLength(1);
  });
});
