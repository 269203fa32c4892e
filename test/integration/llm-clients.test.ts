import { afterEach, describe, expect, it } from "vitest";
import { createLlmClient, type LlmSettings } from "../../src/repair/llm-settings.js";
import type { LlmProviderName, LlmRequest } from "../../src/runtime/llm/llm-client.js";
import { SecretValue } from "../../src/runtime/llm/secret-value.js";
import {
  type FakeLlmServer,
  type ScriptedReply,
  startFakeLlmServer,
} from "../helpers/fake-llm/fake-llm-server.js";

const KEY = "sk-fake-key-never-shown-0123456789";
const request: LlmRequest = {
  system: "You repair code.",
  messages: [{ role: "user", content: "Fix the bug please." }],
  maxTokens: 256,
  temperature: 0,
};

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(
  provider: LlmProviderName,
  script: ScriptedReply[],
  options: { timeoutMs?: number; maxRetries?: number } = {},
) {
  server = await startFakeLlmServer({ script, expectedKey: KEY });
  const waits: number[] = [];
  const settings: LlmSettings = {
    provider,
    model: provider === "openai" ? "gpt-4.1-mini" : "claude-haiku-4-5",
    baseUrl: provider === "openai" ? server.openaiBaseUrl : server.anthropicBaseUrl,
    apiKey: new SecretValue(KEY),
    maxCalls: 10,
    maxTokens: 60_000,
    maxCostUsd: 1,
    timeoutMs: options.timeoutMs ?? 5_000,
  };
  const client = createLlmClient(settings, {
    retry: {
      maxRetries: options.maxRetries ?? 2,
      baseDelayMs: 20,
      maxDelayMs: 200,
      sleep: (ms) => {
        waits.push(ms);
        return new Promise((resolve) => setTimeout(resolve, ms));
      },
    },
  });
  return { client, waits, server };
}

describe.each(["openai", "anthropic"] as const)("the %s client against the scripted server", (provider) => {
  it("returns the answer text and the token usage the server reports", async () => {
    const { client, server } = await clientFor(provider, [
      { kind: "answer", text: "the fix", inputTokens: 42, outputTokens: 7 },
    ]);
    const completion = await client.complete(request);
    expect(completion).toEqual({ text: "the fix", inputTokens: 42, outputTokens: 7, model: client.model });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.prompt).toContain("Fix the bug please.");
    expect(server.requests[0]?.prompt).toContain("You repair code.");
    expect(server.requests[0]?.prompt).not.toContain(KEY);
  });

  it("waits as long as a 429's retry-after says, then succeeds", async () => {
    const { client, waits, server } = await clientFor(provider, [
      { kind: "rate_limit", retryAfterMs: 60 },
      { kind: "answer", text: "after the wait" },
    ]);
    expect((await client.complete(request)).text).toBe("after the wait");
    expect(waits).toEqual([60]);
    expect(server.requests).toHaveLength(2);
  });

  it("retries a 500 with backoff and gives up with a clear error after the last retry", async () => {
    const { client, waits, server } = await clientFor(provider, [
      { kind: "server_error" },
      { kind: "server_error" },
      { kind: "server_error" },
      { kind: "answer", text: "too late" },
    ]);
    const failure = await client.complete(request).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: "LlmRequestError", kind: "server", status: 500, attempts: 3 });
    expect((failure as Error).message).toMatch(/failed with HTTP 500/);
    expect(waits).toEqual([20, 40]);
    expect(server.requests).toHaveLength(3);
  });

  it("does not retry a 400 and reports it", async () => {
    const { client, server } = await clientFor(provider, [
      { kind: "client_error", status: 400, message: "max_tokens too large" },
    ]);
    const failure = await client.complete(request).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "client", status: 400, attempts: 1 });
    expect((failure as Error).message).toMatch(/refused the request \(HTTP 400\): max_tokens too large/);
    expect(server.requests).toHaveLength(1);
  });

  it("times out a hanging request without retrying it", async () => {
    const { client, server } = await clientFor(
      provider,
      [{ kind: "hang" }, { kind: "answer", text: "never asked" }],
      { timeoutMs: 300 },
    );
    const started = Date.now();
    const failure = await client.complete(request).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "timeout" });
    expect((failure as Error).message).toMatch(/did not answer within/);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(server.requests).toHaveLength(1);
  });

  it("names the key variable on a rejected key but never shows the key", async () => {
    server = await startFakeLlmServer({ expectedKey: "another-key" });
    const client = createLlmClient({
      provider,
      model: "m",
      baseUrl: provider === "openai" ? server.openaiBaseUrl : server.anthropicBaseUrl,
      apiKey: new SecretValue(KEY),
      maxCalls: 1,
      maxTokens: 10_000,
      maxCostUsd: 1,
      timeoutMs: 5_000,
    });
    const failure = (await client.complete(request).catch((error: unknown) => error)) as Error;
    expect(failure).toMatchObject({ kind: "authentication", status: 401 });
    expect(failure.message).toContain(provider === "openai" ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY");
    expect(failure.message).not.toContain(KEY);
    expect(JSON.stringify(failure)).not.toContain(KEY);
  });

  it("reports a body that is not JSON as a failure rather than crashing", async () => {
    const { client } = await clientFor(
      provider,
      [{ kind: "invalid_json" }, { kind: "invalid_json" }, { kind: "invalid_json" }],
      { maxRetries: 0 },
    );
    const failure = await client.complete(request).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: "LlmRequestError" });
  });
});

it("cannot reach a closed port and says so", async () => {
  const client = createLlmClient(
    {
      provider: "openai",
      model: "m",
      baseUrl: "http://127.0.0.1:9/v1",
      apiKey: new SecretValue(KEY),
      maxCalls: 1,
      maxTokens: 10_000,
      maxCostUsd: 1,
      timeoutMs: 2_000,
    },
    { retry: { maxRetries: 0 } },
  );
  const failure = (await client.complete(request).catch((error: unknown) => error)) as Error;
  expect(failure).toMatchObject({ kind: "connection" });
  expect(failure.message).toMatch(/cannot reach openai/);
});
