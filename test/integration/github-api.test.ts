// Every src/github function against the local fake GitHub, which checks each call against GitHub's OpenAPI description.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RepositoryConfigCache } from "../../src/app/repository-config.js";
import {
  createRepairCheckRun,
  findCheckRunByExternalId,
  REPAIR_CHECK_NAME,
  updateCheckRun,
} from "../../src/github/check-runs.js";
import { addReaction, replyToComment, upsertComment } from "../../src/github/comments.js";
import {
  dispatchRepairWorkflow,
  hasWorkflow,
  WorkflowMissingError,
  WorkflowNotDispatchableError,
} from "../../src/github/dispatch.js";
import { createOctokit, type Octokit } from "../../src/github/octokit.js";
import { canWrite, collaboratorPermission } from "../../src/github/permissions.js";
import {
  findPullRequestForCommit,
  openRepairPullRequest,
  PullRequestError,
  pullRequestsForBranch,
} from "../../src/github/pull-requests.js";
import {
  BranchExistsError,
  openOnboardingPullRequest,
  readRepositoryFile,
} from "../../src/github/repository-files.js";
import { type FakeGitHub, faults, startFakeGitHub } from "../helpers/fake-github/index.js";

let fake: FakeGitHub;
let octokit: Octokit;
let repoCounter = 0;
let owner = "octo-org";
let repo = "";

beforeAll(async () => {
  fake = await startFakeGitHub();
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  repoCounter += 1;
  repo = `service-${repoCounter}`;
  owner = "octo-org";
  fake.addRepository({
    owner,
    name: repo,
    defaultBranch: "main",
    permissions: { maintainer: "maintain", alice: "write", bob: "read", triager: "triage", carol: "none" },
    files: {
      "README.md": "# service\n",
      ".github/rfsn.yml": "max_iterations: 4\n",
      "src/app.js": "module.exports = 1;\n",
    },
    workflows: ["rfsn.yml", { file: "push-only.yml", dispatchable: false }],
  });
  octokit = createOctokit({ token: "ghs_test", baseUrl: fake.url, paceWrites: false, retries: 1 });
});

afterEach(() => {
  fake.clearFaults();
  fake.assertNoViolations();
});

describe("dispatching the repair workflow", () => {
  it("records the dispatch with its ref and inputs", async () => {
    const result = await dispatchRepairWorkflow(octokit, {
      owner,
      repo,
      ref: "main",
      inputs: { request_id: "r-1", sha: "abc" },
    });
    expect(result.runId).toBeNull();
    const dispatch = fake.dispatches.find((entry) => entry.repo === repo);
    expect(dispatch).toMatchObject({
      workflow: "rfsn.yml",
      ref: "main",
      inputs: { request_id: "r-1", sha: "abc" },
    });
  });

  it("asks GitHub for the new run's id, and asks again without the parameter where the server does not know it", async () => {
    const named = await dispatchRepairWorkflow(octokit, {
      owner,
      repo,
      ref: "main",
      inputs: { request_id: "r-details" },
      returnRunDetails: true,
    });
    const stored = fake.dispatches.find((entry) => entry.inputs.request_id === "r-details");
    expect(named).toMatchObject({
      runId: stored?.runId,
      runUrl: expect.stringContaining(`/actions/runs/${stored?.runId}`),
    });
    fake.addFault(
      faults.validationFailed(
        "actions/create-workflow-dispatch",
        'Invalid request.\n\n"return_run_details" is not a permitted key.',
      ),
    );
    const older = await dispatchRepairWorkflow(octokit, {
      owner,
      repo,
      ref: "main",
      inputs: { request_id: "r-ghes" },
      returnRunDetails: true,
    });
    expect(older).toEqual({ runId: null, runUrl: null });
    expect(fake.dispatches.filter((entry) => entry.inputs.request_id === "r-ghes")).toHaveLength(1);
  });

  it("calls the onDispatch hook so an end-to-end test can start the Action", async () => {
    const seen = new Promise<string>((resolve) =>
      fake.onDispatch((dispatch) => resolve(dispatch.inputs.request_id as string)),
    );
    await dispatchRepairWorkflow(octokit, { owner, repo, ref: "main", inputs: { request_id: "hooked" } });
    await expect(seen).resolves.toBe("hooked");
  });

  it("raises WorkflowMissingError when the repository has no rfsn.yml", async () => {
    await expect(
      dispatchRepairWorkflow(octokit, { owner, repo, workflowFile: "absent.yml", ref: "main", inputs: {} }),
    ).rejects.toBeInstanceOf(WorkflowMissingError);
  });

  it("raises WorkflowNotDispatchableError for a workflow without workflow_dispatch or an unknown ref", async () => {
    const notDispatchable = dispatchRepairWorkflow(octokit, {
      owner,
      repo,
      workflowFile: "push-only.yml",
      ref: "main",
      inputs: {},
    });
    await expect(notDispatchable).rejects.toBeInstanceOf(WorkflowNotDispatchableError);
    await expect(notDispatchable).rejects.toThrow(/workflow_dispatch/);
    const unknownRef = dispatchRepairWorkflow(octokit, { owner, repo, ref: "no-such-branch", inputs: {} });
    await expect(unknownRef).rejects.toThrow(/No ref found for: no-such-branch/);
  });

  it("tells whether the workflow exists", async () => {
    expect(await hasWorkflow(octokit, { owner, repo })).toBe(true);
    expect(await hasWorkflow(octokit, { owner, repo, workflowFile: "missing.yml" })).toBe(false);
  });

  it("retries once after a 502 and then succeeds", async () => {
    fake.addFault(faults.serverError("actions/create-workflow-dispatch", 502, 1));
    await dispatchRepairWorkflow(octokit, { owner, repo, ref: "main", inputs: { request_id: "after-502" } });
    const attempts = fake.requests.filter(
      (request) => request.operationId === "actions/create-workflow-dispatch" && request.path.includes(repo),
    );
    expect(attempts.map((attempt) => attempt.status)).toEqual([502, 204]);
  });
});

describe("collaborator permissions", () => {
  it("reads role_name so maintain and triage are told apart", async () => {
    expect(await collaboratorPermission(octokit, owner, repo, "maintainer")).toBe("maintain");
    expect(await collaboratorPermission(octokit, owner, repo, "triager")).toBe("triage");
    expect(await collaboratorPermission(octokit, owner, repo, "alice")).toBe("write");
    expect(await collaboratorPermission(octokit, owner, repo, "bob")).toBe("read");
    expect(await collaboratorPermission(octokit, owner, repo, "carol")).toBe("none");
  });

  it("treats an unknown user as none", async () => {
    expect(await collaboratorPermission(octokit, owner, repo, "stranger")).toBe("none");
  });

  it("grants write only to write, maintain and admin", () => {
    expect(
      ["admin", "maintain", "write", "triage", "read", "none"].map((role) => canWrite(role as "admin")),
    ).toEqual([true, true, true, false, false, false]);
  });
});

describe("repair pull requests", () => {
  it("opens a draft pull request and labels it", async () => {
    fake.addBranch(owner, repo, "rfsn/fix/abc1234-1", { "src/app.js": "module.exports = 2;\n" });
    const opened = await openRepairPullRequest(octokit, {
      owner,
      repo,
      head: "rfsn/fix/abc1234-1",
      base: "main",
      title: "fix: repair",
      body: "body",
      draft: true,
      labels: ["rfsn", "automated-fix"],
    });
    expect(opened).toMatchObject({
      number: 1,
      created: true,
      labelError: null,
      headRef: "rfsn/fix/abc1234-1",
    });
    expect(opened.url).toBe(`https://github.com/${owner}/${repo}/pull/1`);
    const pull = fake.repository(owner, repo).pulls.get(1);
    expect(pull?.draft).toBe(true);
    expect(fake.repository(owner, repo).issues.get(1)?.labels).toEqual(["rfsn", "automated-fix"]);
  });

  it("returns the existing pull request when GitHub answers 422 already exists", async () => {
    fake.addBranch(owner, repo, "rfsn/fix/dup");
    const first = await openRepairPullRequest(octokit, {
      owner,
      repo,
      head: "rfsn/fix/dup",
      base: "main",
      title: "t",
      body: "b",
    });
    const second = await openRepairPullRequest(octokit, {
      owner,
      repo,
      head: "rfsn/fix/dup",
      base: "main",
      title: "t",
      body: "b",
    });
    expect(second.created).toBe(false);
    expect(second.number).toBe(first.number);
    expect(fake.repository(owner, repo).pulls.size).toBe(1);
  });

  it("still returns the pull request when labelling fails", async () => {
    fake.addBranch(owner, repo, "rfsn/fix/labels");
    fake.addFault({
      route: "issues/add-labels",
      status: 403,
      body: { message: "Resource not accessible by integration" },
    });
    const opened = await openRepairPullRequest(octokit, {
      owner,
      repo,
      head: "rfsn/fix/labels",
      base: "main",
      title: "t",
      body: "b",
      labels: ["rfsn"],
    });
    expect(opened.created).toBe(true);
    expect(opened.labelError).toMatch(/not accessible/);
  });

  it("explains a head branch that was never pushed", async () => {
    const attempt = openRepairPullRequest(octokit, {
      owner,
      repo,
      head: "rfsn/fix/missing",
      base: "main",
      title: "t",
      body: "b",
    });
    await expect(attempt).rejects.toBeInstanceOf(PullRequestError);
    await expect(attempt).rejects.toThrow(/rfsn\/fix\/missing into main/);
  });

  it("finds pull requests by branch and by commit", async () => {
    const sha = fake.addBranch(owner, repo, "rfsn/fix/find");
    await openRepairPullRequest(octokit, {
      owner,
      repo,
      head: "rfsn/fix/find",
      base: "main",
      title: "t",
      body: "b",
    });
    const byBranch = await pullRequestsForBranch(octokit, { owner, repo, branch: "rfsn/fix/find" });
    expect(byBranch.map((pull) => pull.headRef)).toEqual(["rfsn/fix/find"]);
    expect(await pullRequestsForBranch(octokit, { owner, repo, branch: "other" })).toEqual([]);
    expect((await findPullRequestForCommit(octokit, { owner, repo, sha }))?.headSha).toBe(sha);
    expect(await findPullRequestForCommit(octokit, { owner, repo, sha: "0".repeat(40) })).toBeNull();
  });
});

describe("comments", () => {
  it("creates the summary comment once and then edits it in place", async () => {
    fake.addIssue(owner, repo, 7);
    const first = await upsertComment(octokit, {
      owner,
      repo,
      issueNumber: 7,
      body: "first run",
      marker: "<!-- rfsn:report -->",
    });
    const second = await upsertComment(octokit, {
      owner,
      repo,
      issueNumber: 7,
      body: "second run",
      marker: "<!-- rfsn:report -->",
    });
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ id: first.id, created: false });
    const comments = fake.repository(owner, repo).comments.filter((comment) => comment.issueNumber === 7);
    expect(comments.map((comment) => comment.body)).toEqual(["<!-- rfsn:report -->\nsecond run"]);
  });

  it("finds its marker beyond the first page of comments", async () => {
    fake.addIssue(owner, repo, 8);
    await upsertComment(octokit, { owner, repo, issueNumber: 8, body: "mine", marker: "<!-- m -->" });
    for (let index = 0; index < 105; index += 1) {
      fake.repository(owner, repo).comments.push({
        id: 90_000 + index,
        issueNumber: 8,
        body: `chatter ${index}`,
        user: "x",
        createdAt: "2024-01-01T00:00:00Z",
        updatedAt: "2024-01-01T00:00:00Z",
      });
    }
    const again = await upsertComment(octokit, {
      owner,
      repo,
      issueNumber: 8,
      body: "mine v2",
      marker: "<!-- m -->",
    });
    expect(again.created).toBe(false);
  });

  it("adds an eyes reaction and replies quoting the command", async () => {
    fake.addIssue(owner, repo, 9);
    const command = await replyToComment(octokit, { owner, repo, issueNumber: 9, body: "/rfsn fix" });
    await addReaction(octokit, { owner, repo, commentId: command.id, content: "eyes" });
    await addReaction(octokit, { owner, repo, commentId: command.id, content: "eyes" });
    expect(fake.repository(owner, repo).reactions.map((reaction) => reaction.content)).toEqual(["eyes"]);
    const reply = await replyToComment(octokit, {
      owner,
      repo,
      issueNumber: 9,
      inReplyTo: { author: "alice", body: "/rfsn fix" },
      body: "On it.",
    });
    const stored = fake.repository(owner, repo).comments.find((comment) => comment.id === reply.id);
    expect(stored?.body).toBe("> /rfsn fix\n\n@alice On it.");
  });

  it("reports a comment on an issue that does not exist as a 404", async () => {
    await expect(
      upsertComment(octokit, { owner, repo, issueNumber: 999, body: "x", marker: "m" }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe("check runs", () => {
  it("creates a queued check run, finds it by external id and completes it", async () => {
    const sha = fake.repository(owner, repo).branches.get("main") ?? "";
    const created = await createRepairCheckRun(octokit, {
      owner,
      repo,
      headSha: sha,
      externalId: "req-42",
      detailsUrl: "https://example.com/run",
    });
    expect(created).toMatchObject({ status: "queued", externalId: "req-42", conclusion: null });
    await createRepairCheckRun(octokit, { owner, repo, headSha: sha, externalId: "req-43" });
    const found = await findCheckRunByExternalId(octokit, { owner, repo, ref: sha, externalId: "req-42" });
    expect(found?.id).toBe(created.id);
    expect(
      await findCheckRunByExternalId(octokit, { owner, repo, ref: "main", externalId: "req-44" }),
    ).toBeNull();
    const done = await updateCheckRun(octokit, {
      owner,
      repo,
      checkRunId: created.id,
      conclusion: "success",
      output: { title: "Fixed", summary: "A pull request is open." },
    });
    expect(done).toMatchObject({ status: "completed", conclusion: "success" });
    const stored = fake.repository(owner, repo).checkRuns.find((run) => run.id === created.id);
    expect(stored).toMatchObject({ name: REPAIR_CHECK_NAME, output: { title: "Fixed" } });
  });
});

describe("repository files and onboarding", () => {
  it("reads .github/rfsn.yml and returns null for a missing file or ref", async () => {
    expect(await readRepositoryFile(octokit, { owner, repo })).toBe("max_iterations: 4\n");
    expect(await readRepositoryFile(octokit, { owner, repo, path: "nope.txt" })).toBeNull();
    expect(await readRepositoryFile(octokit, { owner, repo, ref: "no-such-ref" })).toBeNull();
    await expect(readRepositoryFile(octokit, { owner, repo, path: "src" })).rejects.toThrow(/not a file/);
  });

  it("reads .github/rfsn.yml once per commit through the App's cache, and afresh for a branch name", async () => {
    const head = fake.repository(owner, repo).branches.get("main") ?? "";
    expect(head).toMatch(/^[0-9a-f]{40}$/);
    const contentReads = () =>
      fake.requests.filter((request) => request.path.startsWith(`/repos/${owner}/${repo}/contents/`)).length;
    const cache = new RepositoryConfigCache(1);
    const before = contentReads();
    const first = await cache.load(octokit, owner, repo, head);
    // This repository's file puts max_iterations at the top level, which the schema refuses: kept all the same.
    expect(first.ok).toBe(false);
    expect(await cache.load(octokit, owner, repo, head)).toBe(first);
    expect(contentReads() - before).toBe(1);
    await cache.load(octokit, owner, repo, "main");
    await cache.load(octokit, owner, repo, "main");
    expect(contentReads() - before).toBe(3);
    // Capacity 1: another commit pushes the first one out.
    await cache.load(octokit, owner, repo, "0".repeat(40));
    await cache.load(octokit, owner, repo, head);
    expect(contentReads() - before).toBe(5);
  });

  it("opens an onboarding pull request that adds and updates files on a new branch", async () => {
    const opened = await openOnboardingPullRequest(octokit, {
      owner,
      repo,
      defaultBranch: "main",
      branch: "rfsn/onboarding",
      files: {
        ".github/workflows/rfsn.yml": "on: workflow_dispatch\n",
        ".github/rfsn.yml": "max_iterations: 6\n",
      },
      title: "Set up RFSN",
      body: "Adds the workflow.",
    });
    expect(opened.created).toBe(true);
    expect(await readRepositoryFile(octokit, { owner, repo, ref: "rfsn/onboarding" })).toBe(
      "max_iterations: 6\n",
    );
    expect(await readRepositoryFile(octokit, { owner, repo })).toBe("max_iterations: 4\n");
    await expect(
      openOnboardingPullRequest(octokit, {
        owner,
        repo,
        defaultBranch: "main",
        branch: "rfsn/onboarding",
        files: {},
        title: "t",
        body: "b",
      }),
    ).rejects.toBeInstanceOf(BranchExistsError);
  });
});
