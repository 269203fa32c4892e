// App mode end to end: failing CI webhook → App dispatch → repair job with no token and no LLM key asking the App's
// OIDC relay → artifact → workflow_run completed → the App commits onto the failing commit and opens the PR.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createActionsTokenVerifier } from "../../src/app/actions-oidc.js";
import type { AppServer } from "../../src/app/app-server.js";
import { readRepairArtifact, unzipArtifact } from "../../src/github/publisher/index.js";
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
const SANDBOX_PRESENT = existsSync("src/runtime/sandbox/session-sandbox.ts");

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

interface AttackTargets {
  lootDir: string;
  listener: string;
  appKey: string;
  idTokenUrl: string;
  relayUrl: string;
}

/** The shipping fixture plus an attacker's test that always passes (and where to send what it finds). */
function withAttacker(targets: AttackTargets): string {
  const dir = mkdtempSync(join(tmpdir(), "rfsn-attacker-fixture-"));
  cpSync("test/fixtures/llm/shipping-project", dir, { recursive: true });
  cpSync("test/fixtures/app/attacker/attacker.test.js", join(dir, "test", "attacker.test.js"));
  writeFileSync(join(dir, "attack-targets.json"), `${JSON.stringify(targets, null, 2)}\n`);
  return dir;
}

/** The App-mode story on one repository: webhook → dispatch → repair step (no token, no key) → completed → publish. */
async function appModeStory(name: string, options: { attacker?: AttackTargets } = {}) {
  const fixture = options.attacker ? withAttacker(options.attacker) : "test/fixtures/llm/shipping-project";
  const { workspace, bare, sha: failing } = repositoryFromFixture(fixture);
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
  if (!dispatch) throw new Error("no dispatch");
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
  const artifact = fake.repository(OWNER, name).artifacts.find((entry) => entry.runId === dispatch.runId);
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
  await post("workflow_run", repairRunEvent(target, { requestId, runId: dispatch.runId, sha: dispatch.sha }));
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
  const opened = fake.requests.find((r) => r.operationId === "pulls/create" && r.path.includes(`/${name}/`));
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
  return { repair, repository, pull, artifact, bare, failing };
}

describe("App mode, end to end", () => {
  it("repairs a red main through the App: the repair job holds no write token and no LLM key, the App publishes with its installation token", async () => {
    await appModeStory("shipping");
  }, 240_000);

  // Needs the sandbox (h/sandbox, src/runtime/sandbox/): without it the attacker's test reads the job's OIDC and
  // artifact credentials from /proc/<pid>/environ of the Action's process, which is what this test must catch.
  it.skipIf(!SANDBOX_PRESENT)(
    "an attacker's test in the suite finds no secret through any channel, and the bug is still fixed",
    async () => {
      const hits: string[] = [];
      const listener = createServer((request, response) => {
        let body = "";
        request.on("data", (chunk) => {
          body += chunk;
        });
        request.on("end", () => {
          hits.push(body);
          response.end("ok");
        });
      });
      await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
      const lootDir = mkdtempSync(join(tmpdir(), "rfsn-loot-"));
      const relayBefore = llm.requests.length;
      try {
        const { repair, repository, pull, artifact, bare, failing } = await appModeStory(
          "shipping-attacked",
          {
            attacker: {
              lootDir,
              listener: `http://127.0.0.1:${(listener.address() as AddressInfo).port}/`,
              appKey: APP_LLM_KEY,
              idTokenUrl: `${fake.url}/_services/token/idtoken?api-version=2.0`,
              relayUrl: `${app.url}/rfsn/llm/v1/chat/completions`,
            },
          },
        );
        const secrets = [
          APP_LLM_KEY,
          repair.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN ?? "",
          repair.env.ACTIONS_RUNTIME_TOKEN ?? "",
          ...fake.issuedTokens,
        ].filter((secret) => secret.length >= 8);
        const channels: Record<string, string> = {
          "stdout and stderr": repair.output,
          "job summary": repair.summary,
          "pull request": `${pull?.title}\n${pull?.body ?? ""}`,
          comments: repository.comments.map((comment) => comment.body).join("\n"),
          "check runs": JSON.stringify(repository.checkRuns),
          artifact: artifact ? Buffer.from(artifact.zip).toString("latin1") : "",
          "the listener on 127.0.0.1": hits.join("\n"),
          "files the attacker wrote": readdirSync(lootDir)
            .map((file) => readFileSync(join(lootDir, file), "utf8"))
            .join("\n"),
        };
        for (const [channel, text] of Object.entries(channels))
          for (const secret of secrets)
            expect(text.includes(secret), `${channel} holds a secret`).toBe(false);
        expect(hits).toEqual([]);
        // The attacker's test did run (and pass) in the baseline: the shipping suite alone has 2 passing tests.
        const uploaded = readRepairArtifact(unzipArtifact(Buffer.from(artifact?.zip ?? Buffer.alloc(0))));
        expect(uploaded.report.baseline.passingCount).toBe(3);
        // No completion was bought with a stolen token: every prompt the provider saw was RFSN's own.
        expect(llm.requests.slice(relayBefore).some((request) => request.prompt.includes("ATTACKER"))).toBe(
          false,
        );
        // The checkout's git config was not rewritten, and no receive-pack of the attacker's ran.
        expect(existsSync(join(lootDir, "receivepack-ran"))).toBe(false);
        const checkout = repair.env.GITHUB_WORKSPACE ?? "";
        expect(git(checkout, "config", "--get", "remote.origin.url")).toBe(`file://${bare}`);
        expect(() => git(checkout, "config", "--get", "remote.origin.receivepack")).toThrow();
        expect(repository.git.commits.get(pull?.headSha ?? "")?.parents).toEqual([failing]);
      } finally {
        listener.close();
        rmSync(lootDir, { recursive: true, force: true });
      }
    },
    300_000,
  );
});
