import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { applyFilePatch, parseUnifiedDiff } from "../../src/core/diff.js";
import type { RankedLocation, TestCaseResult } from "../../src/core/types.js";
import { createLlmProposer, type LlmSettings } from "../../src/repair/llm-settings.js";
import type { PreviousAttempt, ProposerRequest } from "../../src/repair/session-proposer.js";
import type { LlmProviderName } from "../../src/runtime/llm/llm-client.js";
import { SecretValue } from "../../src/runtime/llm/secret-value.js";
import { openDatabase } from "../../src/store/database.js";
import {
  type FakeLlmServer,
  type ScriptedReply,
  startFakeLlmServer,
} from "../helpers/fake-llm/fake-llm-server.js";

const fixtures = join(import.meta.dirname, "../fixtures/llm");
const answer = (name: string) => readFileSync(join(fixtures, "answers", name), "utf8");
const source = readFileSync(join(fixtures, "shipping-project/src/pricing.js"), "utf8");
const KEY = "sk-proposer-test-key-abcdef0123456789";

const failing: TestCaseResult[] = [
  {
    id: "test/pricing.test.js:orders under 50 pay 4.99 shipping",
    name: "orders under 50 pay 4.99 shipping",
    status: "failed",
    message: "AssertionError: expected 24.99, got 20",
    frames: [{ file: "src/pricing.js", line: 11, functionName: "orderTotal" }],
  },
];
const locations: RankedLocation[] = [
  { file: "src/pricing.js", startLine: 11, endLine: 11, score: 0.9, reasons: ["stack frame"] },
];

function proposerRequest(previousAttempts: PreviousAttempt[] = []): ProposerRequest {
  let id = 0;
  return {
    failing,
    locations,
    readSource: async (file) => (file === "src/pricing.js" ? source : undefined),
    previousAttempts,
    gateRejections: [],
    nextId: () => `p${++id}`,
    remainingMs: 60_000,
  };
}

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function proposerFor(
  provider: LlmProviderName,
  script: ScriptedReply[],
  overrides: Partial<LlmSettings> = {},
  database?: ReturnType<typeof openDatabase>,
) {
  server = await startFakeLlmServer({ script, expectedKey: KEY });
  const events: string[] = [];
  const settings: LlmSettings = {
    provider,
    model: provider === "openai" ? "gpt-4.1-mini" : "claude-haiku-4-5",
    baseUrl: provider === "openai" ? server.openaiBaseUrl : server.anthropicBaseUrl,
    apiKey: new SecretValue(KEY),
    maxCalls: 10,
    maxTokens: 60_000,
    maxCostUsd: 1,
    timeoutMs: 2_000,
    ...overrides,
  };
  const proposer = createLlmProposer(settings, {
    retry: { maxRetries: 1, baseDelayMs: 10, maxDelayMs: 50 },
    onEvent: (message) => events.push(message),
    ...(database ? { cacheDatabase: database } : {}),
  });
  return { proposer, server, events };
}

function applyProposal(diff: string): string {
  const [patch] = parseUnifiedDiff(diff);
  if (!patch) throw new Error("no patch");
  return applyFilePatch(source, patch);
}

describe.each(["openai", "anthropic"] as const)("the LLM proposer with %s", (provider) => {
  it("turns a search/replace answer into a proposal whose diff applies and fixes the code", async () => {
    const { proposer, server } = await proposerFor(provider, [
      { kind: "answer", text: answer("search-replace.txt"), inputTokens: 900, outputTokens: 60 },
    ]);
    const proposals = await proposer.propose(proposerRequest());
    expect(proposals).toHaveLength(1);
    const [proposal] = proposals;
    expect(proposal).toMatchObject({
      id: "p1",
      origin: "llm",
      operator: "llm",
      phase: "patch",
      intent: "fix_bug",
      location: { file: "src/pricing.js", startLine: 11 },
    });
    expect(proposal?.rationale).toMatch(/missing the 4\.99 shipping fee/);
    expect(applyProposal(proposal?.diff ?? "")).toContain(
      "  if (total < 50) total += 4.99;\n  return total;",
    );
    const prompt = server.requests[0]?.prompt ?? "";
    expect(prompt).toContain("AssertionError: expected 24.99, got 20");
    expect(prompt).toMatch(/11 \|\s+return total;/);
    expect(prompt).not.toContain(KEY);
    expect(proposer.usage()).toMatchObject({
      provider,
      calls: 1,
      inputTokens: 900,
      outputTokens: 60,
      tokens: 960,
      proposals: 1,
    });
  });

  it("feeds an unusable answer back and asks again in the same round", async () => {
    const { proposer, server } = await proposerFor(provider, [
      { kind: "answer", text: answer("garbage.txt") },
      { kind: "answer", text: answer("diff-wrong-counts.txt") },
    ]);
    const proposals = await proposer.propose(proposerRequest());
    expect(proposals).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.prompt).toContain(
      "An earlier answer could not be used: the answer contained neither",
    );
    expect(proposer.events.map((event) => event.kind)).toEqual(["unparseable_answer", "proposal"]);
    expect(proposer.usage()).toMatchObject({ calls: 2, unparseableAnswers: 1 });
  });

  it("passes the gate's rejection of an earlier LLM patch into the next prompt", async () => {
    const { proposer, server } = await proposerFor(provider, [
      { kind: "answer", text: answer("search-replace.txt") },
    ]);
    await proposer.propose(
      proposerRequest([
        {
          operator: "llm",
          rationale: "LLM edit of .github/workflows/ci.yml:1",
          verdict: "gate:protected_path",
          detail: ".github/workflows/ci.yml is protected",
        },
      ]),
    );
    expect(server.requests[0]?.prompt).toContain("gate:protected_path");
    expect(server.requests[0]?.prompt).toContain(".github/workflows/ci.yml is protected");
  });

  it("records a server that keeps failing, goes on after one failure and stops after three in a row", async () => {
    const failures: ScriptedReply[] = Array.from({ length: 6 }, () => ({ kind: "server_error" }));
    const { proposer, events } = await proposerFor(provider, failures);
    expect(await proposer.propose(proposerRequest())).toEqual([]);
    expect(proposer.exhausted()).toBeNull();
    await proposer.propose(proposerRequest());
    await proposer.propose(proposerRequest());
    expect(proposer.exhausted()).toMatch(/^LLM unavailable: 3 requests in a row failed \(last: .*HTTP 500/);
    expect(proposer.usage()).toMatchObject({ failedCalls: 3 });
    expect(events.some((event) => event.includes("after 2 attempts"))).toBe(true);
    expect(await proposer.propose(proposerRequest())).toEqual([]);
  });

  it("stops for good on a rejected key", async () => {
    const { proposer } = await proposerFor(provider, [{ kind: "client_error", status: 401 }]);
    expect(await proposer.propose(proposerRequest())).toEqual([]);
    expect(proposer.exhausted()).toMatch(/^LLM unavailable: .*rejected the credentials \(HTTP 401\)/);
    expect(proposer.exhausted()).not.toContain(KEY);
  });

  it("gives up on a hanging server at the timeout and can ask again", async () => {
    const { proposer } = await proposerFor(
      provider,
      [{ kind: "hang" }, { kind: "answer", text: answer("search-replace.txt") }],
      { timeoutMs: 300 },
    );
    expect(await proposer.propose(proposerRequest())).toEqual([]);
    expect(proposer.events[0]).toMatchObject({
      kind: "error",
      detail: expect.stringMatching(/did not answer within/),
    });
    expect(await proposer.propose(proposerRequest())).toHaveLength(1);
  });

  it("ends with a budget reason once max_calls is used", async () => {
    const { proposer } = await proposerFor(
      provider,
      [
        { kind: "answer", text: answer("garbage.txt") },
        { kind: "answer", text: answer("garbage.txt") },
      ],
      { maxCalls: 2 },
    );
    expect(await proposer.propose(proposerRequest())).toEqual([]);
    expect(proposer.exhausted()).toBe("LLM budget: 2 calls used (max_calls 2)");
    expect(proposer.usage()).toMatchObject({ stopped: "LLM budget: 2 calls used (max_calls 2)" });
  });
});

it("answers a repeated prompt from the cache, across proposers sharing a database, without spending budget", async () => {
  const database = openDatabase(":memory:");
  const first = await proposerFor(
    "openai",
    [{ kind: "answer", text: answer("search-replace.txt") }],
    {},
    database,
  );
  expect(await first.proposer.propose(proposerRequest())).toHaveLength(1);
  await server?.close();
  const second = await proposerFor("openai", [], {}, database);
  second.server.script.push({ kind: "server_error" });
  const proposals = await second.proposer.propose(proposerRequest());
  expect(proposals).toHaveLength(1);
  expect(second.server.requests).toHaveLength(0);
  expect(second.proposer.usage()).toMatchObject({ calls: 0, cachedCalls: 1, tokens: 0 });
  database.close();
});
