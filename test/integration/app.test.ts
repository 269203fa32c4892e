// The App over real HTTP: signed real payloads → `rfsn serve`'s server → the fake GitHub (OpenAPI-checked) and a real SQLite file.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AppServer, AppServerOptions } from "../../src/app/app-server.js";
import { emptyRepairReport } from "../../src/core/report.js";
import { repairArtifactFiles } from "../../src/github/publisher/index.js";
import { type Database, openDatabase } from "../../src/store/database.js";
import { repairRunEvent } from "../fixtures/app/repair-run-payloads.js";
import {
  checkSuiteCompleted,
  installationCreated,
  installationRepositoriesAdded,
  issueCommentCreated,
  postWebhook,
  workflowRunCompleted,
} from "../fixtures/app/webhook-payloads.js";
import { startTestAppServer } from "../helpers/app-server.js";
import { type FakeGitHub, type FakeRepository, startFakeGitHub } from "../helpers/fake-github/index.js";

const SECRET = "test-webhook-secret";
const FIXTURES = join(import.meta.dirname, "../fixtures/app");

let fake: FakeGitHub;
let server: AppServer;
let database: Database;
let directory: string;
let counter = 0;

async function startServer(db: Database, extra: Partial<AppServerOptions> = {}): Promise<AppServer> {
  return startTestAppServer({
    webhookSecret: SECRET,
    githubBaseUrl: `${fake.url}/api/v3`,
    database: db,
    ...extra,
  });
}

beforeAll(async () => {
  fake = await startFakeGitHub();
  directory = mkdtempSync(join(tmpdir(), "rfsn-app-"));
  database = openDatabase(join(directory, "app.db"));
  server = await startServer(database);
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

function newRepository(
  options: { files?: Record<string, string>; workflows?: string[] } = {},
): FakeRepository {
  counter += 1;
  return fake.addRepository({
    owner: "octo-org",
    name: `service-${counter}`,
    permissions: { alice: "write", mia: "maintain", bob: "read", tri: "triage" },
    files: { "README.md": "# service\n", ...(options.files ?? {}) },
    workflows: options.workflows ?? ["rfsn.yml", "ci.yml"],
  });
}

function target(repository: FakeRepository) {
  return { owner: repository.owner, repo: repository.name };
}

function headOf(repository: FakeRepository): string {
  return repository.branches.get(repository.defaultBranch) ?? "";
}

/** The fake GitHub must know a comment before RFSN can react to it. */
const seeded = new Set<number>();

function comment(repository: FakeRepository, options: Parameters<typeof issueCommentCreated>[1]) {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  seeded.add(options.commentId);
  repository.comments.push({
    id: options.commentId,
    issueNumber: options.issueNumber,
    body: options.body,
    user: options.author,
    createdAt: now,
    updatedAt: now,
  });
  return issueCommentCreated({ owner: repository.owner, repo: repository.name }, options);
}

function replies(repository: FakeRepository) {
  return repository.comments.filter((entry) => entry.user === "rfsn[bot]" && !seeded.has(entry.id));
}

/** Posts like GitHub, then waits for the App's background queue to process what it acknowledged. */
async function post(event: string, payload: unknown, options: Parameters<typeof postWebhook>[4] = {}) {
  const answer = await postWebhook(server.url, SECRET, event, payload, options);
  await server.idle();
  return answer;
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

describe("workflow_run failures", () => {
  it("dispatches the repair workflow once with the documented inputs and queues a check run", async () => {
    const repository = newRepository();
    const sha = headOf(repository);
    const answer = await post("workflow_run", workflowRunCompleted(target(repository), { sha, runId: 777 }));
    expect(answer.status).toBe(202);
    expect(
      repository.dispatches.length + fake.dispatches.filter((d) => d.repo === repository.name).length,
    ).toBeGreaterThan(0);
    const [dispatch] = fake.dispatches.filter((entry) => entry.repo === repository.name);
    expect(dispatch).toMatchObject({
      workflow: "rfsn.yml",
      ref: "main",
      inputs: {
        ref: "main",
        "failing-commit": sha,
        publisher: "app",
        "failed-run-id": "777",
        trigger: "ci-failure",
        "base-branch": "main",
        llm: "on",
        "comment-target": "",
      },
    });
    const requestId = String(dispatch?.inputs["request-id"]);
    const [checkRun] = repository.checkRuns;
    expect(checkRun).toMatchObject({
      name: "RFSN repair",
      headSha: sha,
      status: "queued",
      externalId: `octo-org/${repository.name}@${sha}:ci-failure`,
    });
    expect(server.deps.requests.get(requestId)).toMatchObject({
      status: "dispatched",
      checkRunId: checkRun?.id,
    });
  });

  it("ignores successes, RFSN's own branches and sender, forks and unwatched branches", async () => {
    const repository = newRepository();
    const sha = headOf(repository);
    const cases = [
      workflowRunCompleted(target(repository), { sha, conclusion: "success" }),
      workflowRunCompleted(target(repository), { sha, branch: "rfsn/fix/abc-1" }),
      workflowRunCompleted(target(repository), { sha, sender: "rfsn[bot]" }),
      workflowRunCompleted(target(repository), { sha, headRepository: "mallory/service-fork" }),
      workflowRunCompleted(target(repository), { sha, branch: "feature/unwatched" }),
      workflowRunCompleted(target(repository), {
        sha,
        workflowPath: ".github/workflows/rfsn.yml",
        displayTitle: "not ours",
      }),
    ];
    for (const payload of cases) expect((await post("workflow_run", payload)).status).toBe(202);
    expect(fake.dispatches.filter((entry) => entry.repo === repository.name)).toHaveLength(0);
    expect(repository.checkRuns).toHaveLength(0);
  });

  it("dispatches exactly once for 100 redeliveries of one event and for the same failure under new delivery ids", async () => {
    const repository = newRepository();
    const payload = workflowRunCompleted(target(repository), { sha: headOf(repository) });
    const deliveryId = crypto.randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => post("workflow_run", payload, { deliveryId })),
    );
    expect(answers.filter((answer) => answer.status === 202)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(99);
    for (let index = 0; index < 3; index += 1) await post("workflow_run", payload);
    expect(fake.dispatches.filter((entry) => entry.repo === repository.name)).toHaveLength(1);
    expect(repository.checkRuns).toHaveLength(1);
  });

  it("does not dispatch when another replica already created the check run with this external id", async () => {
    const repository = newRepository();
    const sha = headOf(repository);
    repository.checkRuns.push({
      id: 424242,
      name: "RFSN repair",
      headSha: sha,
      externalId: `octo-org/${repository.name}@${sha}:ci-failure`,
      status: "queued",
      conclusion: null,
      detailsUrl: null,
      startedAt: null,
      completedAt: null,
      output: { title: null, summary: null, text: null },
    });
    await post("workflow_run", workflowRunCompleted(target(repository), { sha }));
    expect(fake.dispatches.filter((entry) => entry.repo === repository.name)).toHaveLength(0);
  });

  it("respects the watch lists, auto_repair and the daily limit of .github/rfsn.yml", async () => {
    const repository = newRepository({
      files: { ".github/rfsn.yml": readFileSync(join(FIXTURES, "one-run-per-day.yml"), "utf8") },
    });
    const first = headOf(repository);
    const second = fake.addBranch(repository.owner, repository.name, "main", { "src/a.js": "1\n" });
    await post("workflow_run", workflowRunCompleted(target(repository), { sha: first }));
    await post("workflow_run", workflowRunCompleted(target(repository), { sha: second }));
    expect(fake.dispatches.filter((entry) => entry.repo === repository.name)).toHaveLength(1);

    const quiet = newRepository({ files: { ".github/rfsn.yml": "auto_repair: false\n" } });
    await post("workflow_run", workflowRunCompleted(target(quiet), { sha: headOf(quiet) }));
    const narrow = newRepository({ files: { ".github/rfsn.yml": "watch:\n  workflows: [lint.yml]\n" } });
    await post("workflow_run", workflowRunCompleted(target(narrow), { sha: headOf(narrow) }));
    expect(
      fake.dispatches.filter((entry) => entry.repo === quiet.name || entry.repo === narrow.name),
    ).toHaveLength(0);
  });

  it("answers a broken config with a check run pointing at the offending line", async () => {
    const repository = newRepository({
      files: { ".github/rfsn.yml": readFileSync(join(FIXTURES, "broken-rfsn.yml"), "utf8") },
    });
    const sha = headOf(repository);
    await post("workflow_run", workflowRunCompleted(target(repository), { sha }));
    await post(
      "workflow_run",
      workflowRunCompleted(target(repository), {
        sha,
        workflowName: "Lint",
        workflowPath: ".github/workflows/lint.yml",
      }),
    );
    expect(fake.dispatches.filter((entry) => entry.repo === repository.name)).toHaveLength(0);
    expect(repository.checkRuns).toHaveLength(1);
    const [run] = repository.checkRuns;
    expect(run?.conclusion).toBe("action_required");
    expect(run?.output.title).toContain(".github/rfsn.yml line 4");
    expect(run?.detailsUrl).toMatch(/rfsn\.yml#L4$/);
  });

  it("drives the check run from the repair workflow's own runs: in progress, then completed with a link", async () => {
    const repository = newRepository();
    const sha = headOf(repository);
    await post("workflow_run", workflowRunCompleted(target(repository), { sha }));
    const dispatch = fake.dispatches.find((entry) => entry.repo === repository.name);
    const requestId = String(dispatch?.inputs["request-id"]);
    const runId = dispatch?.runId ?? 0;
    const repairRun = { sha, runId, requestId };
    await post("workflow_run", repairRunEvent(target(repository), { ...repairRun, action: "in_progress" }));
    expect(repository.checkRuns[0]).toMatchObject({
      status: "in_progress",
      detailsUrl: expect.stringContaining(`/actions/runs/${runId}`),
    });
    expect(server.deps.requests.get(requestId)?.status).toBe("running");
    const notFixed = emptyRepairReport({
      sessionId: "s",
      outcome: "not_fixed",
      outcomeReason: "no candidate passed the tests",
      startedAt: "2026-12-07T13:00:00Z",
    });
    fake.storeArtifact(
      repository.owner,
      repository.name,
      runId,
      "rfsn-repair",
      repairArtifactFiles(notFixed, sha, String(runId)),
    );
    await post("workflow_run", repairRunEvent(target(repository), { ...repairRun, conclusion: "success" }));
    // A run that ended well but found no fix is not a green check.
    expect(repository.checkRuns[0]).toMatchObject({
      status: "completed",
      conclusion: "neutral",
      detailsUrl: expect.stringContaining(`/actions/runs/${runId}`),
    });
    expect(server.deps.requests.get(requestId)?.status).toBe("completed");
  });
});

describe("check_suite failures", () => {
  it("repairs failures of non-Actions CI and leaves GitHub Actions suites to workflow_run", async () => {
    const repository = newRepository();
    const sha = headOf(repository);
    await post("check_suite", checkSuiteCompleted(target(repository), { sha, appSlug: "github-actions" }));
    expect(fake.dispatches.filter((entry) => entry.repo === repository.name)).toHaveLength(0);
    await post("check_suite", checkSuiteCompleted(target(repository), { sha, appSlug: "circleci-checks" }));
    const dispatches = fake.dispatches.filter((entry) => entry.repo === repository.name);
    expect(dispatches).toHaveLength(1);
    expect(dispatches[0]?.inputs).toMatchObject({
      ref: "main",
      "failing-commit": sha,
      trigger: "ci-failure",
      "failed-run-id": "",
    });
  });
});

describe("/rfsn comments", () => {
  it("repairs a pull request's head for a writer, with the options, and reacts with 👀", async () => {
    const repository = newRepository();
    const headSha = openPullRequest(repository, "feature/login", 7);
    const payload = comment(repository, {
      issueNumber: 7,
      pullRequest: true,
      author: "alice",
      commentId: 9001,
      body: 'Please\n/rfsn fix --test "npm test -- --grep login" --max-iterations 5 --no-llm',
    });
    expect((await post("issue_comment", payload)).status).toBe(202);
    const [dispatch] = fake.dispatches.filter((entry) => entry.repo === repository.name);
    expect(dispatch?.inputs).toMatchObject({
      ref: "feature/login",
      "failing-commit": headSha,
      trigger: "comment",
      "comment-target": "7",
      "base-branch": "feature/login",
      "test-command": "npm test -- --grep login",
      "max-iterations": "5",
      llm: "off",
    });
    expect(repository.reactions).toMatchObject([{ commentId: 9001, content: "eyes" }]);
  });

  it("repairs the default branch when the comment is on an issue", async () => {
    const repository = newRepository();
    repository.ensureIssue(3, false);
    await post(
      "issue_comment",
      comment(repository, { issueNumber: 3, author: "mia", commentId: 9002, body: "/rfsn fix" }),
    );
    const [dispatch] = fake.dispatches.filter((entry) => entry.repo === repository.name);
    expect(dispatch?.inputs).toMatchObject({
      ref: "main",
      "failing-commit": headOf(repository),
      "base-branch": "main",
      "comment-target": "3",
    });
  });

  it("answers people without write access with one 😕 reaction only: no reply that could repeat their text", async () => {
    const repository = newRepository();
    repository.ensureIssue(4, false);
    const lure = "/rfsn fix\n@everyone urgent: log in at https://evil.example/login to keep your account";
    for (const [author, commentId] of [
      ["bob", 9003],
      ["tri", 9004],
      ["stranger", 9005],
    ] as const) {
      await post("issue_comment", comment(repository, { issueNumber: 4, author, commentId, body: lure }));
    }
    expect(fake.dispatches.filter((entry) => entry.repo === repository.name)).toHaveLength(0);
    expect(replies(repository)).toHaveLength(0);
    expect(
      repository.comments.some((entry) => entry.user === "rfsn[bot]" && entry.body.includes("evil")),
    ).toBe(false);
    expect(repository.reactions.map((reaction) => [reaction.commentId, reaction.content])).toEqual([
      [9003, "confused"],
      [9004, "confused"],
      [9005, "confused"],
    ]);
  });

  it("explains instead of dispatching for a pull request from a fork", async () => {
    const repository = newRepository();
    openPullRequest(repository, "feature/fork", 8);
    const octokit = (await server.probot.auth(1)) as unknown as {
      rest: { pulls: { get: (p: object) => Promise<{ data: Record<string, unknown> }> } };
    };
    const { data } = await octokit.rest.pulls.get({
      owner: repository.owner,
      repo: repository.name,
      pull_number: 8,
    });
    const head = data.head as Record<string, unknown>;
    const forked = {
      ...data,
      head: { ...head, repo: { ...(head.repo as object), full_name: "mallory/fork" } },
    };
    fake.addFault({ route: "pulls/get", status: 200, body: forked });
    await post(
      "issue_comment",
      comment(repository, {
        issueNumber: 8,
        pullRequest: true,
        author: "alice",
        commentId: 9006,
        body: "/rfsn fix",
      }),
    );
    expect(fake.dispatches.filter((entry) => entry.repo === repository.name)).toHaveLength(0);
    expect(replies(repository).at(-1)?.body).toMatch(/does not repair pull requests from forks/);
  });

  it("answers help, unknown commands, status and cancel", async () => {
    const repository = newRepository();
    repository.ensureIssue(5, false);
    const say = (body: string, commentId: number) =>
      post("issue_comment", comment(repository, { issueNumber: 5, author: "alice", commentId, body }));
    await say("/rfsn help", 9101);
    expect(replies(repository).at(-1)?.body).toContain("/rfsn fix --no-llm");
    await say("/rfsn frobnicate", 9102);
    expect(replies(repository).at(-1)?.body).toMatch(/unknown command `frobnicate`[\s\S]*RFSN commands/);
    await say("/rfsn status", 9103);
    expect(replies(repository).at(-1)?.body).toMatch(/no repair request/);
    await say("/rfsn fix", 9104);
    const requestId = String(
      fake.dispatches.find((entry) => entry.repo === repository.name)?.inputs["request-id"],
    );
    await say("/rfsn status", 9105);
    expect(replies(repository).at(-1)?.body).toContain(`\`${requestId}\``);
    expect(replies(repository).at(-1)?.body).toContain("**dispatched**");
    await say("/rfsn cancel", 9106);
    expect(replies(repository).at(-1)?.body).toContain(`Cancelled repair request \`${requestId}\``);
    expect(server.deps.requests.get(requestId)?.status).toBe("cancelled");
    expect(repository.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "cancelled" });
    await say("/rfsn cancel", 9107);
    expect(replies(repository).at(-1)?.body).toMatch(/^[\s\S]*Nothing to cancel/);
    expect(repository.reactions.filter((reaction) => reaction.content === "eyes")).toHaveLength(7);
  });

  it("ignores comments without a command and RFSN's own comments", async () => {
    const repository = newRepository();
    repository.ensureIssue(6, false);
    await post(
      "issue_comment",
      comment(repository, { issueNumber: 6, author: "alice", commentId: 9201, body: "looks good" }),
    );
    await post(
      "issue_comment",
      comment(repository, { issueNumber: 6, author: "rfsn[bot]", commentId: 9202, body: "/rfsn fix" }),
    );
    expect(replies(repository)).toHaveLength(0);
    expect(fake.dispatches.filter((entry) => entry.repo === repository.name)).toHaveLength(0);
  });
});

describe("onboarding", () => {
  it("opens one onboarding pull request for a repository without the workflow, however many triggers", async () => {
    const repository = newRepository({ workflows: ["ci.yml"] });
    const first = headOf(repository);
    await post("workflow_run", workflowRunCompleted(target(repository), { sha: first }));
    const second = fake.addBranch(repository.owner, repository.name, "main", { "src/b.js": "2\n" });
    await post("workflow_run", workflowRunCompleted(target(repository), { sha: second }));
    await post("installation_repositories", installationRepositoriesAdded([`octo-org/${repository.name}`]));
    const pulls = [...repository.pulls.values()];
    expect(pulls).toHaveLength(1);
    expect(pulls[0]?.head).toBe("rfsn/onboarding");
    const files = repository.filesAt("rfsn/onboarding");
    expect(files?.get(".github/workflows/rfsn.yml")).toContain("workflow_dispatch");
    expect(files?.get(".github/rfsn.yml")).toContain("auto_repair: true");
    expect(repository.checkRuns[0]).toMatchObject({ conclusion: "action_required" });
  });

  it("onboards on installation and skips repositories that already have the workflow", async () => {
    const bare = newRepository({ workflows: [] });
    const ready = newRepository();
    const payload = installationCreated([`octo-org/${bare.name}`, `octo-org/${ready.name}`]);
    await post("installation", payload);
    await post("installation", payload);
    expect(bare.pulls.size).toBe(1);
    expect(ready.pulls.size).toBe(0);
  });
});

describe("the HTTP surface", () => {
  it("rejects a bad signature with 401 and does nothing", async () => {
    const repository = newRepository();
    const before = fake.requests.length;
    const answer = await post(
      "workflow_run",
      workflowRunCompleted(target(repository), { sha: headOf(repository) }),
      { signature: `sha256=${"0".repeat(64)}` },
    );
    expect(answer.status).toBe(401);
    const unsigned = await post("workflow_run", {}, { signature: "" });
    expect(unsigned.status).toBe(401);
    expect(fake.requests.length).toBe(before);
  });

  it("survives malformed payloads and unknown events without acting", async () => {
    const repository = newRepository();
    const before = fake.requests.length;
    expect((await post("workflow_run", null, { rawBody: "{not json" })).status).toBe(400);
    expect((await post("workflow_run", { action: "completed", workflow_run: { id: "x" } })).status).toBe(202);
    expect((await post("issue_comment", { action: "created", comment: null, repository: 3 })).status).toBe(
      202,
    );
    expect(
      (await post("installation", { action: "created", installation: { id: 1 }, repositories: "all" }))
        .status,
    ).toBe(202);
    expect(
      (await post("star", { action: "created", repository: { full_name: `octo-org/${repository.name}` } }))
        .status,
    ).toBe(202);
    expect(fake.requests.length).toBe(before);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it("serves /health with the database check, version and uptime, and /metrics with the App counters", async () => {
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", database: "ok", version: "0.0.0-test" });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/rfsn_app_webhooks_total\{event="workflow_run",action="completed"\} \d+/);
    expect(metrics).toMatch(/rfsn_app_decisions_total\{result="dispatched"\} \d+/);
    expect(metrics).toMatch(/rfsn_app_dispatches_total\{status="ok"\} \d+/);
    expect(metrics).toMatch(/rfsn_github_api_calls_total\{status="2xx"\} \d+/);
    expect((await fetch(`${server.url}/nowhere`)).status).toBe(404);
  });

  it("answers 503 on /health when the database is gone", async () => {
    const db = openDatabase(join(directory, "health.db"));
    const other = await startServer(db, { appSlug: "rfsn" });
    db.close();
    const health = await fetch(`${other.url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: "unavailable", database: "unreachable" });
    await other.close();
  });
});

describe("lifecycle", () => {
  it("finishes an in-flight webhook before a graceful close resolves, and refuses new ones meanwhile", async () => {
    const db = openDatabase(join(directory, "shutdown.db"));
    let finished = false;
    const slow = await startServer(db, {
      appSlug: "rfsn",
      appFunction: (app) => {
        app.on("workflow_run", async () => {
          await new Promise((resolve) => setTimeout(resolve, 400));
          finished = true;
        });
      },
    });
    const inFlight = postWebhook(slow.url, SECRET, "workflow_run", { action: "completed" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(slow.inFlight()).toBe(1);
    const closing = slow.close();
    const answer = await inFlight;
    await closing;
    expect(answer.status).toBe(202);
    expect(finished).toBe(true);
    await expect(fetch(`${slow.url}/health`)).rejects.toThrow();
    db.close();
  });

  it("fails requests a crash left accepted, closes their check run, and never dispatches them again", async () => {
    const db = openDatabase(join(directory, "recovery.db"));
    const repository = newRepository();
    const sha = headOf(repository);
    const first = await startServer(db, { appSlug: "rfsn" });
    const stale = first.deps.requests.createIfAbsent({
      repo: `octo-org/${repository.name}`,
      headSha: sha,
      trigger: "ci-failure",
      dedupeKey: `octo-org/${repository.name}@${sha}:ci-failure`,
    }).request;
    const octokit = (await first.probot.auth(1)) as unknown as {
      rest: { checks: { create: (p: object) => Promise<{ data: { id: number } }> } };
    };
    const { data } = await octokit.rest.checks.create({
      owner: repository.owner,
      repo: repository.name,
      name: "RFSN repair",
      head_sha: sha,
      status: "queued",
    });
    first.deps.requests.setCheckRunId(stale.id, data.id);
    await first.close();

    const restarted = await startServer(db, { appSlug: "rfsn", staleAfterMs: 0 });
    await restarted.recovered;
    expect(restarted.deps.requests.get(stale.id)).toMatchObject({ status: "failed" });
    expect(repository.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "cancelled" });
    await postWebhook(
      restarted.url,
      SECRET,
      "workflow_run",
      workflowRunCompleted(target(repository), { sha }),
    );
    await restarted.idle();
    expect(fake.dispatches.filter((entry) => entry.repo === repository.name)).toHaveLength(0);
    await restarted.close();
    db.close();
  });
});
