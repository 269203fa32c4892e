// The App's LLM relay over real HTTP: a dispatched, running repair run's OIDC token gets answers; every other token is refused unforwarded.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createActionsTokenVerifier } from "../../src/app/actions-oidc.js";
import type { AppServer } from "../../src/app/app-server.js";
import { RELAY_CHAT_PATH } from "../../src/app/llm-relay.js";
import { createAppRelayClient } from "../../src/runtime/llm/app-relay-client.js";
import { createOpenAiClient } from "../../src/runtime/llm/openai-client.js";
import { SecretValue } from "../../src/runtime/llm/secret-value.js";
import { type Database, openDatabase } from "../../src/store/database.js";
import { utcDay } from "../../src/store/llm-relay-usage.js";
import { startTestAppServer } from "../helpers/app-server.js";
import { actionsClaims, type FakeGitHub, startFakeGitHub } from "../helpers/fake-github/index.js";
import { type FakeLlmServer, startFakeLlmServer } from "../helpers/fake-llm/fake-llm-server.js";

const APP_KEY = "sk-app-own-key-0123456789";
const SHA = "a".repeat(40);

let fake: FakeGitHub;
let llm: FakeLlmServer;
let app: AppServer;
let database: Database;
let directory: string;
let runCounter = 700;

beforeAll(async () => {
  fake = await startFakeGitHub();
  llm = await startFakeLlmServer({
    expectedKey: APP_KEY,
    fallback: (request) => ({
      kind: "answer",
      text: `answer to ${request.prompt.length} chars`,
      inputTokens: 100,
      outputTokens: 20,
    }),
  });
  directory = mkdtempSync(join(tmpdir(), "rfsn-relay-"));
  database = openDatabase(join(directory, "app.db"));
  app = await startTestAppServer({
    webhookSecret: "relay-secret",
    githubBaseUrl: fake.url,
    database,
    appSlug: "rfsn",
    llmRelay: {
      verify: createActionsTokenVerifier({ issuer: fake.oidc.issuer, audience: "rfsn" }),
      upstream: createOpenAiClient({
        model: "gpt-4o-mini",
        baseUrl: llm.openaiBaseUrl,
        apiKey: new SecretValue(APP_KEY),
        timeoutMs: 10_000,
      }),
      budgets: { callsPerDay: 1000, tokensPerDay: 1_000_000, dollarsPerDay: 100 },
      price: (_model, input, output) => (input + output) / 1000,
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

/** A request the App dispatched for `repository`, bound to a fresh run id (as the first workflow_run event does). */
function dispatchedRun(
  repository: string,
  options: { bind?: boolean } = {},
): { runId: number; requestId: string } {
  const runId = ++runCounter;
  const { request } = app.deps.requests.createIfAbsent({
    repo: repository,
    headSha: SHA,
    trigger: "ci-failure",
    dedupeKey: `${repository}@${SHA}:relay-${runId}`,
    status: "running",
  });
  app.deps.dispatches.record({
    requestId: request.id,
    repo: repository,
    failingCommit: SHA,
    branch: "main",
    pullRequest: null,
    headRepo: null,
    maintainerCanModify: null,
    baseBranch: "main",
    workflowPath: ".github/workflows/rfsn.yml",
    dispatchRef: "main",
  });
  if (options.bind ?? true) expect(app.deps.dispatches.bindRun(request.id, runId, null)).toBe(true);
  return { runId, requestId: request.id };
}

async function ask(token: string, content = "why does the cart total fail?") {
  const response = await fetch(`${app.url}${RELAY_CHAT_PATH}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: "whatever-the-runner-wants",
      messages: [
        { role: "system", content: "You repair code." },
        { role: "user", content },
      ],
      max_tokens: 200,
      temperature: 0,
    }),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    cache: response.headers.get("x-rfsn-cache"),
  };
}

describe("the App's LLM relay", () => {
  it("answers a running dispatched run through the runner's OpenAI client with the job's OIDC token, using the App's own key", async () => {
    const { runId } = dispatchedRun("octo/shop");
    const env = fake.oidc.runnerEnvironment(actionsClaims({ repository: "octo/shop", runId }));
    const before = llm.requests.length;
    // What `core.getIDToken("rfsn")` does on a runner: ask the runner's token endpoint for the audience.
    const getIdToken = async (audience: string) => {
      const response = await fetch(`${env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=${audience}`, {
        headers: { authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
      });
      return ((await response.json()) as { value: string }).value;
    };
    const client = createAppRelayClient({ appUrl: app.url, getIdToken, timeoutMs: 10_000 });
    const completion = await client.complete({
      system: "You repair code.",
      messages: [{ role: "user", content: "fix src/cart.js" }],
      maxTokens: 100,
      temperature: 0,
    });
    expect(completion.text).toMatch(/^answer to \d+ chars$/);
    expect(completion).toMatchObject({ inputTokens: 100, outputTokens: 20, model: "gpt-4o-mini" });
    expect(llm.requests.length).toBe(before + 1);
    const upstream = llm.requests.at(-1);
    expect(upstream?.headers.authorization).toBe(`Bearer ${APP_KEY}`);
    expect(upstream?.model).toBe("gpt-4o-mini");
    expect(app.deps.dispatches.findByRun("octo/shop", runId)).toBeDefined();
    expect(fake.oidc.issued).toHaveLength(1);
  });

  it("answers the same prompt again from the cache without asking the provider, and counts the call", async () => {
    const { runId } = dispatchedRun("octo/cache");
    const token = await fake.oidc.mint(actionsClaims({ repository: "octo/cache", runId }));
    const first = await ask(token, "cache me");
    expect(first).toMatchObject({ status: 200, cache: "miss" });
    const before = llm.requests.length;
    const second = await ask(token, "cache me");
    expect(second).toMatchObject({ status: 200, cache: "hit" });
    expect((second.body.choices as Array<{ message: { content: string } }>)[0]?.message.content).toBe(
      (first.body.choices as Array<{ message: { content: string } }>)[0]?.message.content,
    );
    expect(llm.requests.length).toBe(before);
  });

  describe("refuses, without calling the provider,", () => {
    const refusals: Array<[string, () => Promise<string>, number, RegExp]> = [
      [
        "a token of another repository",
        async () =>
          fake.oidc.mint(actionsClaims({ repository: "eve/shop", runId: dispatchedRun("octo/a").runId })),
        403,
        /not a repair run the App dispatched/,
      ],
      [
        "a token of another run of the same repository",
        async () => {
          const { runId } = dispatchedRun("octo/b");
          return fake.oidc.mint(actionsClaims({ repository: "octo/b", runId: runId + 5000 }));
        },
        403,
        /not a repair run/,
      ],
      [
        "a token of another workflow in the same run's repository",
        async () =>
          fake.oidc.mint(
            actionsClaims({
              repository: "octo/c",
              runId: dispatchedRun("octo/c").runId,
              workflowPath: ".github/workflows/ci.yml",
            }),
          ),
        403,
        /workflow/,
      ],
      [
        "a token whose job comes from a reusable workflow elsewhere",
        async () =>
          fake.oidc.mint(
            actionsClaims({
              repository: "octo/c2",
              runId: dispatchedRun("octo/c2").runId,
              extra: { job_workflow_ref: "eve/tools/.github/workflows/steal.yml@refs/heads/main" },
            }),
          ),
        403,
        /workflow/,
      ],
      [
        "a token of the right workflow on another branch",
        async () =>
          fake.oidc.mint(
            actionsClaims({
              repository: "octo/d",
              runId: dispatchedRun("octo/d").runId,
              ref: "refs/heads/evil",
            }),
          ),
        403,
        /workflow/,
      ],
      [
        "an expired token",
        async () =>
          fake.oidc.mint(actionsClaims({ repository: "octo/e", runId: dispatchedRun("octo/e").runId }), {
            expiresInSeconds: -120,
          }),
        401,
        /expired/,
      ],
      [
        "a token for another audience",
        async () =>
          fake.oidc.mint(actionsClaims({ repository: "octo/f", runId: dispatchedRun("octo/f").runId }), {
            audience: "https://github.com/octo",
          }),
        401,
        /aud/,
      ],
      [
        "a token signed by another key",
        async () =>
          fake.oidc.mint(actionsClaims({ repository: "octo/g", runId: dispatchedRun("octo/g").runId }), {
            foreignKey: true,
          }),
        401,
        /cannot be verified/,
      ],
      [
        "a token from another issuer",
        async () =>
          fake.oidc.mint(actionsClaims({ repository: "octo/g2", runId: dispatchedRun("octo/g2").runId }), {
            issuer: "https://token.example.com",
          }),
        401,
        /iss/,
      ],
      [
        "a token of a run the App never bound (no workflow_run event named it)",
        async () => {
          dispatchedRun("octo/h", { bind: false });
          return fake.oidc.mint(actionsClaims({ repository: "octo/h", runId: 999_999 }));
        },
        403,
        /not a repair run/,
      ],
      [
        "a token of a finished run",
        async () => {
          const { runId, requestId } = dispatchedRun("octo/i");
          app.deps.dispatches.markFinished(requestId);
          return fake.oidc.mint(actionsClaims({ repository: "octo/i", runId }));
        },
        403,
        /finished/,
      ],
      ["no token at all", async () => "", 401, /Bearer/],
      ["a string that is not a JWT", async () => "sk-not-a-jwt", 401, /cannot be verified/],
    ];
    for (const [what, token, status, message] of refusals) {
      it(what, async () => {
        const minted = await token();
        const before = llm.requests.length;
        const answer = await ask(minted);
        expect(answer.status).toBe(status);
        expect(String((answer.body.error as { message?: string }).message)).toMatch(message);
        expect(llm.requests.length).toBe(before);
      });
    }

    it("a run whose installation spent its daily budget (429 until midnight UTC)", async () => {
      const { runId } = dispatchedRun("broke/shop");
      const usage = new (await import("../../src/store/llm-relay-usage.js")).LlmRelayUsageStore(database);
      usage.record("broke", utcDay(Date.now()), { calls: 0, tokens: 0, dollars: 100 });
      const before = llm.requests.length;
      const response = await fetch(`${app.url}${RELAY_CHAT_PATH}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${await fake.oidc.mint(actionsClaims({ repository: "broke/shop", runId }))}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
      });
      expect(response.status).toBe(429);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
        /budget is used up/,
      );
      expect(llm.requests.length).toBe(before);
    });
  });

  it("counts calls against the budget so that the call after the last allowed one is refused", async () => {
    const { runId } = dispatchedRun("thrifty/shop");
    const usage = new (await import("../../src/store/llm-relay-usage.js")).LlmRelayUsageStore(database);
    usage.record("thrifty", utcDay(Date.now()), { calls: 999, tokens: 0, dollars: 0 });
    const token = await fake.oidc.mint(actionsClaims({ repository: "thrifty/shop", runId }));
    expect((await ask(token, "one more")).status).toBe(200);
    const before = llm.requests.length;
    expect((await ask(token, "and another")).status).toBe(429);
    expect(llm.requests.length).toBe(before);
    expect(usage.usage("thrifty", utcDay(Date.now()))).toMatchObject({ calls: 1000, tokens: 120 });
  });

  it("records the phase a running dispatched run reports, and refuses phase reports without a valid token", async () => {
    const { runId, requestId } = dispatchedRun("octo/phases");
    const report = async (authorization: string, phase: string) =>
      (
        await fetch(`${app.url}/rfsn/v1/phase`, {
          method: "POST",
          headers: { authorization, "content-type": "application/json" },
          body: JSON.stringify({ phase }),
        })
      ).status;
    const token = await fake.oidc.mint(actionsClaims({ repository: "octo/phases", runId }));
    expect(await report(`Bearer ${token}`, "localize")).toBe(204);
    expect(app.deps.dispatches.get(requestId)?.phase).toBe("localize");
    expect(await report(`Bearer ${token}`, "exfiltrate")).toBe(400);
    const forged = await fake.oidc.mint(actionsClaims({ repository: "octo/phases", runId }), {
      foreignKey: true,
    });
    expect(await report(`Bearer ${forged}`, "verify")).toBe(401);
    expect(app.deps.dispatches.get(requestId)?.phase).toBe("localize");
  });
});
