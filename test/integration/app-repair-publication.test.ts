// App mode on the fake GitHub: dispatch records the truth, the App publishes a finished run's artifact and its check run tells the outcome.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AppServer } from "../../src/app/app-server.js";
import { emptyRepairReport, type RepairReport } from "../../src/core/report.js";
import { repairArtifactFiles } from "../../src/github/publisher/index.js";
import { type Database, openDatabase } from "../../src/store/database.js";
import { repairRunEvent } from "../fixtures/app/repair-run-payloads.js";
import { postWebhook, workflowRunCompleted } from "../fixtures/app/webhook-payloads.js";
import { startTestAppServer } from "../helpers/app-server.js";
import {
  type FakeGitHub,
  type FakeRepository,
  faults,
  startFakeGitHub,
} from "../helpers/fake-github/index.js";
import { git } from "../helpers/git-fixtures.js";

const SECRET = "publication-secret";
const OWNER = "octo";
const BUGGY = "export function add(a, b) {\n  return a - b;\n}\n";
const FIX =
  "--- a/src/math.js\n+++ b/src/math.js\n@@ -1,3 +1,3 @@\n export function add(a, b) {\n-  return a - b;\n+  return a + b;\n }\n";

let fake: FakeGitHub;
let app: AppServer;
let database: Database;
let directory: string;
let counter = 0;

beforeAll(async () => {
  fake = await startFakeGitHub();
  directory = mkdtempSync(join(tmpdir(), "rfsn-app-publication-"));
  database = openDatabase(join(directory, "app.db"));
  app = await startTestAppServer({
    webhookSecret: SECRET,
    githubBaseUrl: `${fake.url}/api/v3`,
    database,
    appSlug: "rfsn",
  });
});

afterAll(async () => {
  await app.close();
  database.close();
  await fake.close();
  rmSync(directory, { recursive: true, force: true });
});

afterEach(() => fake.assertNoViolations());

/** A real git repository holding the bug, imported into the fake with git's own shas; main's tip is the failing commit. */
function repository(): { repo: string; failing: string; fake: FakeRepository } {
  counter += 1;
  const repo = `shop-${counter}`;
  const dir = mkdtempSync(join(directory, "repo-"));
  git(dir, "init", "--quiet", "--initial-branch=main");
  mkdirSync(join(dir, "src"));
  mkdirSync(join(dir, "test"));
  writeFileSync(join(dir, "src/math.js"), BUGGY);
  writeFileSync(join(dir, "test/math.test.js"), "import { add } from '../src/math.js';\n");
  git(dir, "add", "-A");
  git(dir, "commit", "--quiet", "-m", "introduce the bug");
  const stored = fake.addRepository({
    owner: OWNER,
    name: repo,
    defaultBranch: "main",
    workflows: ["rfsn.yml", "ci.yml"],
    permissions: { alice: "write" },
  });
  const failing = stored.importGit(join(dir, ".git"), "HEAD", "main");
  return { repo, failing, fake: stored };
}

async function post(event: string, payload: unknown): Promise<void> {
  const answer = await postWebhook(app.url, SECRET, event, payload);
  expect(answer.status).toBe(202);
  await app.idle();
}

function report(outcome: RepairReport["outcome"], fields: Partial<RepairReport> = {}): RepairReport {
  return {
    ...emptyRepairReport({
      sessionId: `s-${outcome}`,
      outcome,
      outcomeReason: `the session ended ${outcome}`,
      startedAt: "2026-12-07T13:00:00Z",
    }),
    ...fields,
  };
}

const FIXED = () =>
  report("fixed", {
    patch: { diff: FIX, operator: "binary_operator", rationale: "add adds", files: ["src/math.js"] },
  });

/** A failing CI run on main → the App dispatches; returns the dispatch as the fake saw it and the App's record. */
async function failAndDispatch() {
  const target = repository();
  await post(
    "workflow_run",
    workflowRunCompleted({ owner: OWNER, repo: target.repo }, { sha: target.failing, runId: 9000 + counter }),
  );
  const dispatch = fake.dispatches.find((entry) => entry.repo === target.repo);
  expect(dispatch).toBeDefined();
  const requestId = String(dispatch?.inputs["request-id"]);
  return { ...target, dispatch: dispatch as NonNullable<typeof dispatch>, requestId };
}

/** GitHub's requested/completed events of the dispatched repair run, with its artifact stored in between. */
async function finishRun(
  run: Awaited<ReturnType<typeof failAndDispatch>>,
  artifact: RepairReport | null,
  options: { conclusion?: string; failingCommit?: string; runId?: number } = {},
) {
  const runId = options.runId ?? run.dispatch.runId;
  const target = { owner: OWNER, repo: run.repo };
  const events = { requestId: run.requestId, runId, sha: run.dispatch.sha };
  await post("workflow_run", repairRunEvent(target, { ...events, action: "requested" }));
  if (artifact)
    fake.storeArtifact(
      OWNER,
      run.repo,
      runId,
      "rfsn-repair",
      repairArtifactFiles(artifact, options.failingCommit ?? run.failing, String(runId)),
    );
  await post(
    "workflow_run",
    repairRunEvent(target, { ...events, conclusion: options.conclusion ?? "success" }),
  );
}

describe("App-mode dispatch and publication", () => {
  it("records the failing commit, branch and workflow, dispatches with failing-commit and publisher: app, and binds the run GitHub names", async () => {
    const run = await failAndDispatch();
    expect(run.dispatch.inputs).toMatchObject({
      ref: "main",
      "failing-commit": run.failing,
      publisher: "app",
      trigger: "ci-failure",
    });
    expect(app.deps.dispatches.get(run.requestId)).toMatchObject({
      repo: `${OWNER}/${run.repo}`,
      failingCommit: run.failing,
      branch: "main",
      workflowPath: ".github/workflows/rfsn.yml",
      dispatchRef: "main",
      // GitHub answered the dispatch with the new run's id (return_run_details): bound before any event.
      runId: run.dispatch.runId,
    });
    await post(
      "workflow_run",
      repairRunEvent(
        { owner: OWNER, repo: run.repo },
        { requestId: run.requestId, runId: run.dispatch.runId, sha: run.dispatch.sha, action: "requested" },
      ),
    );
    expect(app.deps.dispatches.get(run.requestId)?.runId).toBe(run.dispatch.runId);
    expect(run.fake.checkRuns[0]).toMatchObject({
      status: "in_progress",
      output: { title: "Repair running" },
    });
  });

  it("publishes a fixed run through the git data API onto the failing commit after main moved on, and concludes success linking the PR", async () => {
    const run = await failAndDispatch();
    // Someone pushes to main while the repair runs: the dispatched run's head sha is no longer the failing commit.
    const moved = fake.addBranch(OWNER, run.repo, "main", { "NEWS.md": "moved on\n" });
    expect(moved).not.toBe(run.failing);
    await finishRun(run, FIXED());

    const pulls = [...run.fake.pulls.values()];
    expect(pulls).toHaveLength(1);
    const pull = pulls[0];
    expect(pull).toMatchObject({ base: "main", draft: true, state: "open" });
    expect(pull?.head).toMatch(/^rfsn\/fix\//);
    const commit = run.fake.git.commits.get(pull?.headSha ?? "");
    expect(commit?.parents).toEqual([run.failing]);
    const createCommit = fake.requests.find(
      (r) => r.operationId === "git/create-commit" && r.path.includes(run.repo),
    );
    expect(createCommit?.body).toMatchObject({ parents: [run.failing] });
    // The PR was opened with an installation token the App minted (so CI runs on it), not a workflow token.
    const opened = fake.requests.find((r) => r.operationId === "pulls/create" && r.path.includes(run.repo));
    expect(fake.issuedTokens.some((token) => opened?.authorization?.endsWith(token))).toBe(true);
    expect(run.fake.checkRuns[0]).toMatchObject({
      status: "completed",
      conclusion: "success",
      output: { title: "Fixed" },
    });
    expect(run.fake.checkRuns[0]?.detailsUrl).toContain(`/pull/${pull?.number}`);
    expect(app.deps.requests.get(run.requestId)?.status).toBe("completed");
  });

  it("publishes once when GitHub redelivers the completed event", async () => {
    const run = await failAndDispatch();
    await finishRun(run, FIXED());
    await post(
      "workflow_run",
      repairRunEvent(
        { owner: OWNER, repo: run.repo },
        { requestId: run.requestId, runId: run.dispatch.runId, sha: run.dispatch.sha },
      ),
    );
    expect(run.fake.pulls.size).toBe(1);
  });

  const outcomes: Array<[string, RepairReport, string, RegExp]> = [
    [
      "not_fixed → neutral with what was tried",
      report("not_fixed", {
        attempts: [
          {
            operator: "binary_operator",
            rationale: "swap - for +",
            verdict: "validation:tests_failed",
            file: "src/math.js",
          },
        ],
      }),
      "neutral",
      /What was tried:[\s\S]*binary_operator in `src\/math.js`: validation:tests_failed/,
    ],
    [
      "flaky → neutral naming the flaky tests",
      report("flaky", {
        baseline: {
          failing: [{ name: "cart > totals", status: "failed" } as never],
          passingCount: 3,
          suiteRunMs: 10,
        },
      }),
      "neutral",
      /Flaky tests:\n- `cart > totals`/,
    ],
    [
      "cannot_run → failure with the reason",
      report("cannot_run", { outcomeReason: "npm test: command not found" }),
      "failure",
      /npm test: command not found/,
    ],
  ];
  for (const [what, result, conclusion, summary] of outcomes) {
    it(`tells the truth for ${what}, and opens no PR`, async () => {
      const run = await failAndDispatch();
      await finishRun(run, result);
      expect(run.fake.pulls.size).toBe(0);
      expect(run.fake.checkRuns[0]?.conclusion).toBe(conclusion);
      expect(run.fake.checkRuns[0]?.output.summary).toMatch(summary);
    });
  }

  it("concludes cancelled for a cancelled run, without reading any artifact", async () => {
    const run = await failAndDispatch();
    await finishRun(run, FIXED(), { conclusion: "cancelled" });
    expect(run.fake.pulls.size).toBe(0);
    expect(run.fake.checkRuns[0]).toMatchObject({ conclusion: "cancelled" });
    expect(
      fake.requests.some(
        (r) => r.operationId === "actions/list-workflow-run-artifacts" && r.path.includes(run.repo),
      ),
    ).toBe(false);
  });

  it("reports a patch the publisher refuses (it edits a test file) as neutral with the reason, committing nothing", async () => {
    const run = await failAndDispatch();
    const tampering = report("fixed", {
      patch: {
        diff: "--- a/test/math.test.js\n+++ b/test/math.test.js\n@@ -1 +1 @@\n-import { add } from '../src/math.js';\n+// nothing to test\n",
        operator: "binary_operator",
        rationale: "x",
        files: ["test/math.test.js"],
      },
    });
    await finishRun(run, tampering);
    expect(run.fake.pulls.size).toBe(0);
    expect(
      fake.requests.some((r) => r.operationId === "git/create-commit" && r.path.includes(run.repo)),
    ).toBe(false);
    expect(run.fake.checkRuns[0]).toMatchObject({
      conclusion: "neutral",
      output: { title: "Patch refused by the publisher" },
    });
  });

  it("refuses an artifact made for another commit than the one the App recorded", async () => {
    const run = await failAndDispatch();
    await finishRun(run, FIXED(), { failingCommit: "b".repeat(40) });
    expect(run.fake.pulls.size).toBe(0);
    expect(run.fake.checkRuns[0]?.conclusion).toBe("failure");
    expect(run.fake.checkRuns[0]?.output.summary).toMatch(/made for commit b{40}/);
  });

  it("tries again on GitHub's redelivery when GitHub failed while the App was publishing", async () => {
    const run = await failAndDispatch();
    fake.addFault(faults.notFound("actions/list-workflow-run-artifacts"));
    await finishRun(run, FIXED());
    expect(run.fake.pulls.size).toBe(0);
    expect(run.fake.checkRuns[0]?.status).toBe("in_progress");
    await post(
      "workflow_run",
      repairRunEvent(
        { owner: OWNER, repo: run.repo },
        { requestId: run.requestId, runId: run.dispatch.runId, sha: run.dispatch.sha },
      ),
    );
    expect(run.fake.pulls.size).toBe(1);
    expect(run.fake.checkRuns[0]?.conclusion).toBe("success");
  });

  it("publishes nothing from a red run even when its artifact claims a fix (someone else may have uploaded it)", async () => {
    const run = await failAndDispatch();
    await finishRun(run, FIXED(), { conclusion: "failure" });
    expect(run.fake.pulls.size).toBe(0);
    expect(
      fake.requests.some((r) => r.operationId === "git/create-commit" && r.path.includes(run.repo)),
    ).toBe(false);
    expect(run.fake.checkRuns[0]?.conclusion).toBe("failure");
    expect(run.fake.checkRuns[0]?.output.summary).toMatch(/publishes a fix only from a run that succeeded/);
  });

  it("concludes failure when the run left no artifact", async () => {
    const run = await failAndDispatch();
    await finishRun(run, null, { conclusion: "failure" });
    expect(run.fake.checkRuns[0]).toMatchObject({
      conclusion: "failure",
      output: { title: "Repair run failed without a result" },
    });
  });

  describe("ignores runs that are not the one dispatched", () => {
    const impostors: Array<[string, Partial<Parameters<typeof repairRunEvent>[1]>]> = [
      ["started by a push", { event: "push" }],
      ["started by a human", { actor: "mallory" }],
      ["on another branch", { branch: "evil" }],
      ["of another workflow file", { workflowPath: ".github/workflows/evil.yml" }],
    ];
    for (const [what, change] of impostors) {
      it(what, async () => {
        const run = await failAndDispatch();
        const target = { owner: OWNER, repo: run.repo };
        fake.storeArtifact(
          OWNER,
          run.repo,
          run.dispatch.runId,
          "rfsn-repair",
          repairArtifactFiles(FIXED(), run.failing, String(run.dispatch.runId)),
        );
        await post(
          "workflow_run",
          repairRunEvent(target, {
            requestId: run.requestId,
            runId: run.dispatch.runId,
            sha: run.dispatch.sha,
            ...change,
          }),
        );
        expect(run.fake.pulls.size).toBe(0);
        expect(run.fake.checkRuns[0]?.status).toBe("queued");
        expect(app.deps.dispatches.get(run.requestId)?.runId).toBe(run.dispatch.runId);
      });
    }

    it("a second run claiming a request already bound to another run", async () => {
      const run = await failAndDispatch();
      const target = { owner: OWNER, repo: run.repo };
      await post(
        "workflow_run",
        repairRunEvent(target, {
          requestId: run.requestId,
          runId: run.dispatch.runId,
          sha: run.dispatch.sha,
          action: "requested",
        }),
      );
      const other = run.dispatch.runId + 1;
      fake.storeArtifact(
        OWNER,
        run.repo,
        other,
        "rfsn-repair",
        repairArtifactFiles(FIXED(), run.failing, String(other)),
      );
      await post(
        "workflow_run",
        repairRunEvent(target, { requestId: run.requestId, runId: other, sha: run.dispatch.sha }),
      );
      expect(run.fake.pulls.size).toBe(0);
      expect(run.fake.checkRuns[0]?.status).toBe("in_progress");
    });
  });
});

describe("fork pull requests", () => {
  /** A base repository and a fork whose branch `feature` adds the bug; PR #n in the base, from the fork. */
  function forkPullRequest(maintainerCanModify: boolean) {
    counter += 1;
    const repo = `shop-fork-${counter}`;
    const dir = mkdtempSync(join(directory, "fork-"));
    git(dir, "init", "--quiet", "--initial-branch=main");
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src/math.js"), "export function add(a, b) {\n  return a + b;\n}\n");
    git(dir, "add", "-A");
    git(dir, "commit", "--quiet", "-m", "good");
    git(dir, "checkout", "--quiet", "-b", "feature");
    writeFileSync(join(dir, "src/math.js"), BUGGY);
    git(dir, "commit", "--quiet", "-am", "refactor add (introduces the bug)");
    const base = fake.addRepository({ owner: OWNER, name: repo, workflows: ["rfsn.yml", "ci.yml"] });
    base.importGit(join(dir, ".git"), "main", "main");
    // GitHub keeps a pull request's head commits in the base repository too (refs/pull/<n>/head).
    const failing = base.importGit(join(dir, ".git"), "feature");
    const fork = fake.addRepository({ owner: "eve", name: repo, forkOf: `${OWNER}/${repo}` });
    fork.importGit(join(dir, ".git"), "feature", "feature");
    base.ensureIssue(12, true, "Refactor add");
    base.pulls.set(12, {
      number: 12,
      title: "Refactor add",
      body: null,
      head: "feature",
      headSha: failing,
      base: "main",
      draft: false,
      state: "open",
      user: "eve",
      headRepository: `eve/${repo}`,
      maintainerCanModify,
    });
    return { repo, failing, base, fork };
  }

  async function failOnFork(pr: ReturnType<typeof forkPullRequest>) {
    const payload = workflowRunCompleted(
      { owner: OWNER, repo: pr.repo },
      {
        sha: pr.failing,
        branch: "feature",
        headRepository: `eve/${pr.repo}`,
        runId: 9500 + counter,
        sender: "eve",
      },
    );
    (payload.workflow_run as Record<string, unknown>).event = "pull_request";
    await post("workflow_run", payload);
    const dispatch = fake.dispatches.find((entry) => entry.repo === pr.repo);
    expect(dispatch).toBeDefined();
    return {
      ...pr,
      fake: pr.base,
      dispatch: dispatch as NonNullable<typeof dispatch>,
      requestId: String(dispatch?.inputs["request-id"]),
    };
  }

  it("repairs the fork's commit and pushes the fix to the fork's branch when the author lets maintainers edit", async () => {
    const pr = forkPullRequest(true);
    const run = await failOnFork(pr);
    expect(run.dispatch.inputs).toMatchObject({
      ref: "feature",
      "failing-commit": pr.failing,
      publisher: "app",
    });
    expect(app.deps.dispatches.get(run.requestId)).toMatchObject({
      headRepo: `eve/${pr.repo}`,
      maintainerCanModify: true,
      pullRequest: 12,
      branch: "feature",
      baseBranch: "main",
    });
    await finishRun(run, FIXED());
    const tip = pr.fork.branches.get("feature") ?? "";
    expect(tip).not.toBe(pr.failing);
    expect(pr.fork.git.commits.get(tip)?.parents).toEqual([pr.failing]);
    expect(pr.base.pulls.size).toBe(1);
    expect(pr.base.checkRuns[0]).toMatchObject({ conclusion: "success" });
    expect(pr.base.checkRuns[0]?.output.summary).toMatch(/pushed the fix .* to the pull request's branch/);
  });

  it("opens a pull request in the base repository when the author does not let maintainers edit", async () => {
    const pr = forkPullRequest(false);
    const run = await failOnFork(pr);
    await finishRun(run, FIXED());
    expect(pr.fork.branches.get("feature")).toBe(pr.failing);
    const opened = [...pr.base.pulls.values()].find((pull) => pull.number !== 12);
    expect(opened).toMatchObject({ base: "main", state: "open" });
    expect(opened?.head).toMatch(/^rfsn\/fix\//);
    expect(opened?.body).toMatch(/from the fork eve\/shop-fork-\d+, which does not let maintainers push/);
    expect(pr.base.git.commits.get(opened?.headSha ?? "")?.parents).toEqual([pr.failing]);
    expect(pr.base.checkRuns[0]).toMatchObject({ conclusion: "success" });
  });

  it("opens a pull request here when the author withdrew the permission while the repair ran", async () => {
    const pr = forkPullRequest(true);
    const run = await failOnFork(pr);
    const pull = pr.base.pulls.get(12);
    if (pull) pull.maintainerCanModify = false;
    await finishRun(run, FIXED());
    expect(pr.fork.branches.get("feature")).toBe(pr.failing);
    expect(pr.base.pulls.size).toBe(2);
  });

  it("ignores a fork's failure when no open pull request has that commit as its head", async () => {
    const pr = forkPullRequest(true);
    const pull = pr.base.pulls.get(12);
    if (pull) pull.headSha = "c".repeat(40);
    const payload = workflowRunCompleted(
      { owner: OWNER, repo: pr.repo },
      { sha: pr.failing, branch: "feature", headRepository: `eve/${pr.repo}`, sender: "eve" },
    );
    await post("workflow_run", payload);
    expect(fake.dispatches.some((entry) => entry.repo === pr.repo)).toBe(false);
  });
});
