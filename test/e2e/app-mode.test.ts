// App mode end to end: failing CI webhook → App dispatch → repair job with no token and no LLM key asking the App's
// OIDC relay → artifact → workflow_run completed → the App commits onto the failing commit and opens the PR.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createActionsTokenVerifier } from "../../src/app/actions-oidc.js";
import type { AppServer } from "../../src/app/app-server.js";
import { createOpenAiClient } from "../../src/runtime/llm/openai-client.js";
import { SecretValue } from "../../src/runtime/llm/secret-value.js";
import { type Database, openDatabase } from "../../src/store/database.js";
import { repairRunEvent } from "../fixtures/app/repair-run-payloads.js";
import { postWebhook, workflowRunCompleted } from "../fixtures/app/webhook-payloads.js";
import { startTestAppServer } from "../helpers/app-server.js";
import {
  actionsClaims,
  type FakeGitHub,
  type StoredDispatch,
  startFakeGitHub,
} from "../helpers/fake-github/index.js";
import { type FakeLlmServer, startFakeLlmServer } from "../helpers/fake-llm/fake-llm-server.js";
import { git, repositoryFromFixture } from "../helpers/git-fixtures.js";
import { checkoutCommit, runActionStep } from "../helpers/repair-workflow-runner.js";

const SECRET = "app-mode-secret";
const APP_LLM_KEY = "sk-app-only-llm-key-5f2a9c0d7e";
const OWNER = "octo";

let fake: FakeGitHub;
let llm: FakeLlmServer;
let app: AppServer;
let database: Database;
let directory: string;
const dispatched = new Map<string, StoredDispatch>();

beforeAll(async () => {
  fake = await startFakeGitHub();
  fake.onDispatch((dispatch) => {
    dispatched.set(dispatch.repo, dispatch);
  });
  const answer = readFileSync("test/fixtures/llm/answers/search-replace.txt", "utf8");
  llm = await startFakeLlmServer({
    expectedKey: APP_LLM_KEY,
    fallback: (request) =>
      request.prompt.includes("return total;")
        ? { kind: "answer", text: answer, inputTokens: 900, outputTokens: 60 }
        : { kind: "answer", text: "no idea" },
  });
  directory = mkdtempSync(join(tmpdir(), "rfsn-app-mode-"));
  database = openDatabase(join(directory, "app.db"));
  app = await startTestAppServer({
    webhookSecret: SECRET,
    githubBaseUrl: `${fake.url}/api/v3`,
    database,
    appSlug: "rfsn",
    llmRelay: {
      verify: createActionsTokenVerifier({ issuer: fake.oidc.issuer, audience: "rfsn" }),
      upstream: createOpenAiClient({
        model: "gpt-4.1-mini",
        baseUrl: llm.openaiBaseUrl,
        apiKey: new SecretValue(APP_LLM_KEY),
        timeoutMs: 30_000,
      }),
      budgets: { callsPerDay: 100, tokensPerDay: 1_000_000, dollarsPerDay: 10 },
      price: (_model, input, output) => (input * 0.4 + output * 1.6) / 1_000_000,
    },
  });
});

afterAll(async () => {
  await app.close();
  database.close();
  await llm.close();
  await fake.close();
  rmSync(directory, { recursive: true, force: true });
});

afterEach(() => fake.assertNoViolations());

async function post(event: string, payload: unknown): Promise<void> {
  expect((await postWebhook(app.url, SECRET, event, payload)).status).toBe(202);
  await app.idle();
}

describe("App mode, end to end", () => {
  it("repairs a red main through the App: the repair job holds no write token and no LLM key, the App publishes with its installation token", async () => {
    const name = "shipping";
    const { workspace, bare, sha: failing } = repositoryFromFixture("test/fixtures/llm/shipping-project");
    // main moves on after the failure: the dispatched run's GITHUB_SHA is that later commit, not the failing one.
    writeFileSync(join(workspace, "NOTES.md"), "A later, unrelated change on main.\n");
    git(workspace, "add", "NOTES.md");
    git(workspace, "commit", "--quiet", "-m", "notes");
    git(workspace, "push", "--quiet", "origin", "main");
    const repository = fake.addRepository({
      owner: OWNER,
      name,
      defaultBranch: "main",
      workflows: ["rfsn.yml", "ci.yml"],
      installationId: 1,
    });
    repository.importGit(bare, "main", "main");

    // 1. GitHub reports the failed CI run of the failing commit (a real workflow_run payload, adapted).
    await post(
      "workflow_run",
      workflowRunCompleted({ owner: OWNER, repo: name }, { sha: failing, runId: 31337 }),
    );
    const dispatch = dispatched.get(name);
    expect(dispatch?.inputs).toMatchObject({ "failing-commit": failing, publisher: "app", ref: "main" });
    if (!dispatch) return;
    expect(dispatch.sha).not.toBe(failing);
    const requestId = String(dispatch.inputs["request-id"]);
    const target = { owner: OWNER, repo: name };
    await post(
      "workflow_run",
      repairRunEvent(target, { requestId, runId: dispatch.runId, sha: dispatch.sha, action: "requested" }),
    );

    // 2. The repair job: the template's checkout of the failing commit, the Action's repair step, no token, no key.
    const jobToken = actionsClaims({
      repository: `${OWNER}/${name}`,
      runId: dispatch.runId,
      sha: dispatch.sha,
    });
    const before = llm.requests.length;
    const repair = await runActionStep({
      fake,
      dispatch,
      workspace: checkoutCommit(bare, failing),
      inputs: {
        step: "repair",
        "failing-commit": failing,
        ref: "main",
        trigger: "ci-failure",
        "request-id": requestId,
        "test-command": "node --test",
        "llm-provider": "app",
        "app-url": app.url,
      },
      env: {
        ...fake.artifactUploadEnvironment(OWNER, name, dispatch.runId),
        ...fake.oidc.runnerEnvironment(jobToken),
      },
    });
    expect(repair.code, repair.output).toBe(0);
    expect(repair.outputs.outcome).toBe("fixed");
    expect(
      Object.keys(repair.env).filter(
        (key) =>
          /TOKEN$|KEY$/i.test(key) &&
          key !== "ACTIONS_ID_TOKEN_REQUEST_TOKEN" &&
          key !== "ACTIONS_RUNTIME_TOKEN",
      ),
    ).toEqual([]);
    expect(Object.values(repair.env).some((value) => value.includes(APP_LLM_KEY))).toBe(false);
    // The model was asked through the App, with the App's key, authenticated by the job's OIDC token.
    expect(llm.requests.length).toBeGreaterThan(before);
    expect(llm.requests.every((request) => request.headers.authorization === `Bearer ${APP_LLM_KEY}`)).toBe(
      true,
    );
    expect(fake.oidc.issued.length).toBeGreaterThanOrEqual(1);
    expect(repair.output).not.toContain(APP_LLM_KEY);

    // While it ran, the job reported its phases to the App, which showed them on the check run.
    const shown = fake.requests
      .filter((r) => r.operationId === "checks/update" && r.path.includes(`/${name}/`))
      .map((r) => (r.body as { output?: { title?: string } } | undefined)?.output?.title ?? "");
    expect(shown).toContain("Repair running: reproduce");

    // 3. GitHub reports the repair run completed; the App downloads the artifact and publishes.
    await post(
      "workflow_run",
      repairRunEvent(target, { requestId, runId: dispatch.runId, sha: dispatch.sha }),
    );
    const pulls = [...repository.pulls.values()];
    expect(pulls).toHaveLength(1);
    const pull = pulls[0];
    expect(pull?.head).toMatch(/^rfsn\/fix\//);
    const commit = repository.git.commits.get(pull?.headSha ?? "");
    expect(commit?.parents).toEqual([failing]);
    expect(
      fake.requests.some((r) => r.operationId === "git/create-commit" && r.path.includes(`/${name}/`)),
    ).toBe(true);
    const exported = repository.git.exportToGit(bare, pull?.headSha ?? "");
    expect(git(bare, "diff", "--name-only", failing, exported)).toBe("src/pricing.js");
    const opened = fake.requests.find(
      (r) => r.operationId === "pulls/create" && r.path.includes(`/${name}/`),
    );
    expect(fake.issuedTokens.some((token) => opened?.authorization?.endsWith(token))).toBe(true);
    expect(repository.checkRuns[0]).toMatchObject({
      status: "completed",
      conclusion: "success",
      output: { title: "Fixed" },
    });
    expect(repository.checkRuns[0]?.detailsUrl).toContain(`/pull/${pull?.number}`);

    // 4. Once the run is over, its OIDC token no longer buys completions.
    const late = await fetch(`${app.url}/rfsn/llm/v1/chat/completions`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${await fake.oidc.mint(jobToken)}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ messages: [{ role: "user", content: "one more?" }] }),
    });
    expect(late.status).toBe(403);
  }, 240_000);
});
