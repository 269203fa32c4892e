// The whole story on one machine: signed webhook → App → dispatch → bundled Action on a real clone → branch, PR, comment, check run.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AppServer } from "../../src/app/app-server.js";
import { type Database, openDatabase } from "../../src/store/database.js";
import { repairRunEvent } from "../fixtures/app/repair-run-payloads.js";
import { issueCommentCreated, postWebhook, workflowRunCompleted } from "../fixtures/app/webhook-payloads.js";
import { startTestAppServer } from "../helpers/app-server.js";
import {
  type FakeGitHub,
  type FakeRepository,
  type StoredDispatch,
  startFakeGitHub,
} from "../helpers/fake-github/index.js";
import { git, repositoryFromFixture } from "../helpers/git-fixtures.js";
import { runRepairWorkflow } from "../helpers/repair-workflow-runner.js";

const SECRET = "story-secret";
const TOKEN = "ghs_storyTestToken0123456789abcdefABCDEF";

let fake: FakeGitHub;
let app: AppServer;
let database: Database;
let directory: string;
/** The repair workflow's runs, by request id, as the runner would execute them. */
const runs = new Map<string, Promise<{ code: number | null; output: string }>>();
const bares = new Map<string, string>();

/**
 * What `.github/workflows/rfsn.yml` does on the runner, with GitHub's semantics: the dispatched run's GITHUB_SHA is the
 * tip of the dispatched branch (not the failing commit); the repair job checks out the failing commit and has no
 * token; the publish job checks nothing out and commits on the failing commit.
 */
async function runDispatchedWorkflow(
  dispatch: StoredDispatch,
): Promise<{ code: number | null; output: string }> {
  const inputs = dispatch.inputs as Record<string, string | undefined>;
  // The CONTRACT's `failing-commit` input; an App that predates it sends the failing commit as `ref`.
  const failingCommit = inputs["failing-commit"] ?? inputs.ref ?? "";
  const run = await runRepairWorkflow({
    fake,
    dispatch: { ...dispatch, inputs: { ...dispatch.inputs, "failing-commit": failingCommit } },
    bare: bares.get(dispatch.repo) ?? "",
    token: TOKEN,
  });
  return {
    code: run.publish?.code ?? run.repair.code,
    output: `${run.repair.output}\n${run.publish?.output ?? ""}`,
  };
}

beforeAll(async () => {
  fake = await startFakeGitHub();
  fake.onDispatch((dispatch) => {
    const requestId = String(dispatch.inputs["request-id"]);
    runs.set(requestId, runDispatchedWorkflow(dispatch));
  });
  directory = mkdtempSync(join(tmpdir(), "rfsn-story-"));
  database = openDatabase(join(directory, "app.db"));
  app = await startTestAppServer({
    webhookSecret: SECRET,
    githubBaseUrl: `${fake.url}/api/v3`,
    database,
    version: "0.0.0-story",
  });
});

afterAll(async () => {
  await app.close();
  database.close();
  await fake.close();
  rmSync(directory, { recursive: true, force: true });
});

afterEach(() => {
  fake.assertNoViolations();
});

/** A repository on the fake GitHub whose git data is a bare repository holding the quickstart project (a real bug). */
function storyRepository(name: string): {
  repository: FakeRepository;
  bare: string;
  sha: string;
  workspace: string;
} {
  const { bare, sha, workspace } = repositoryFromFixture("examples/quickstart");
  const repository = fake.addRepository({
    owner: "octo",
    name,
    gitRemote: bare,
    permissions: { alice: "write" },
    workflows: ["rfsn.yml", "ci.yml"],
  });
  // The fake's main branch is the real commit, so that webhooks, check runs and the Action agree on the sha.
  repository.commits.set(sha, new Map([["README.md", "# quickstart\n"]]));
  repository.branches.set("main", sha);
  bares.set(name, bare);
  return { repository, bare, sha, workspace };
}

/** Someone merges into main after CI failed: the dispatched run's GITHUB_SHA is this new tip, not the failing commit. */
function moveMainOn(repository: FakeRepository, workspace: string, bare: string): string {
  writeFileSync(join(workspace, "NOTES.md"), "merged after the failure\n");
  git(workspace, "add", "NOTES.md");
  git(workspace, "commit", "--quiet", "-m", "notes");
  git(workspace, "push", "--quiet", "origin", "main");
  return repository.importGit(bare, "main", "main");
}

async function post(event: string, payload: unknown) {
  const answer = await postWebhook(app.url, SECRET, event, payload, { deliveryId: randomUUID() });
  await app.idle();
  return answer;
}

/** GitHub's workflow_run events for the dispatched repair run, around the run itself. */
async function runDispatchedRepair(repository: FakeRepository, sha: string) {
  const [dispatch] = fake.dispatches.filter((entry) => entry.repo === repository.name);
  expect(dispatch).toBeDefined();
  const requestId = String(dispatch?.inputs["request-id"]);
  const target = { owner: repository.owner, repo: repository.name };
  const repairRun = { sha: dispatch?.sha ?? sha, runId: dispatch?.runId ?? 1, requestId };
  expect(
    (await post("workflow_run", repairRunEvent(target, { ...repairRun, action: "requested" }))).status,
  ).toBe(202);
  expect(repository.checkRuns[0]?.status).toBe("in_progress");
  const run = await runs.get(requestId);
  expect(run?.code, run?.output).toBe(0);
  // In App mode the workflow has no publish job: the App publishes once GitHub says the run completed.
  await post("workflow_run", repairRunEvent(target, { ...repairRun, conclusion: "success" }));
  return { requestId, dispatch, run };
}

describe("the whole story", () => {
  it("repairs a red main branch from a workflow_run failure: dispatch, Action, branch, PR, comment, check run", async () => {
    const { repository, bare, sha, workspace } = storyRepository("shop-ci");
    const tip = moveMainOn(repository, workspace, bare);
    const answer = await post(
      "workflow_run",
      workflowRunCompleted({ owner: "octo", repo: "shop-ci" }, { sha, runId: 8080 }),
    );
    expect(answer.status).toBe(202);
    expect(repository.checkRuns).toMatchObject([{ name: "RFSN repair", headSha: sha, status: "queued" }]);

    const { requestId, dispatch } = await runDispatchedRepair(repository, sha);
    expect(dispatch?.sha).toBe(tip);
    expect(tip).not.toBe(sha);
    expect(dispatch?.inputs).toMatchObject({
      ref: "main",
      "failing-commit": sha,
      publisher: "app",
      trigger: "ci-failure",
      "failed-run-id": "8080",
    });

    const branch = `rfsn/fix/${sha.slice(0, 7)}-${requestId}`;
    const pushed = repository.git.exportToGit(bare, repository.branches.get(branch) ?? "");
    expect(git(bare, "rev-parse", `${pushed}^`)).toBe(sha);
    expect(git(bare, "diff", "--name-only", sha, pushed)).toBe("src/cart.js");
    const pull = [...repository.pulls.values()].find((candidate) => candidate.head === branch);
    expect(pull).toMatchObject({ base: "main", state: "open" });
    expect(
      repository.comments.some((comment) => comment.body.includes(`rfsn:summary request=${requestId}`)),
    ).toBe(true);
    expect(repository.checkRuns[0]).toMatchObject({
      status: "completed",
      conclusion: "success",
      detailsUrl: expect.stringContaining(`/pull/${pull?.number}`),
    });
    expect(repository.checkRuns[0]?.output.summary).toContain(`/actions/runs/${dispatch?.runId}`);
    expect(app.deps.requests.get(requestId)?.status).toBe("completed");
  });

  it("repairs a pull request's head from a `/rfsn fix` comment by a writer, with 👀, a PR onto its branch and a comment", async () => {
    const { repository, bare, sha } = storyRepository("shop-pr");
    git(bare, "branch", "feature/cart", sha);
    repository.branches.set("feature/cart", sha);
    repository.ensureIssue(5, true, "Cart totals");
    repository.pulls.set(5, {
      number: 5,
      title: "Cart totals",
      body: null,
      head: "feature/cart",
      headSha: sha,
      base: "main",
      draft: false,
      state: "open",
      user: "alice",
    });
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    repository.comments.push({
      id: 4242,
      issueNumber: 5,
      body: "/rfsn fix --no-llm",
      user: "alice",
      createdAt: now,
      updatedAt: now,
    });
    const payload = issueCommentCreated(
      { owner: "octo", repo: "shop-pr" },
      { issueNumber: 5, pullRequest: true, author: "alice", commentId: 4242, body: "/rfsn fix --no-llm" },
    );
    expect((await post("issue_comment", payload)).status).toBe(202);
    expect(repository.reactions).toMatchObject([{ commentId: 4242, content: "eyes" }]);

    const { requestId, dispatch } = await runDispatchedRepair(repository, sha);
    expect(dispatch?.inputs).toMatchObject({
      ref: "feature/cart",
      "failing-commit": sha,
      trigger: "comment",
      "comment-target": "5",
      "base-branch": "feature/cart",
      llm: "off",
    });
    const branch = `rfsn/fix/${sha.slice(0, 7)}-${requestId}`;
    const made = repository.git.exportToGit(bare, repository.branches.get(branch) ?? "");
    expect(git(bare, "rev-parse", `${made}^`)).toBe(sha);
    expect(git(bare, "diff", "--name-only", sha, made)).toBe("src/cart.js");
    const pull = [...repository.pulls.values()].find((candidate) => candidate.head === branch);
    expect(pull?.base).toBe("feature/cart");
    const summary = repository.comments.find(
      (comment) => comment.issueNumber === 5 && comment.body.includes(`rfsn:summary request=${requestId}`),
    );
    expect(summary?.body).toMatch(/fixed/i);
    expect(repository.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "success" });
    expect(repository.checkRuns[0]?.detailsUrl).toContain(`/pull/${pull?.number}`);
  });
});
