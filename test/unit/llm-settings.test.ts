import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/core/config/schema.js";
import { DEFAULT_MODELS, resolveLlmSettings } from "../../src/repair/llm-settings.js";
import { LlmRequestError } from "../../src/runtime/llm/llm-client.js";
import { retryAfterFromHeaders, retryDelayMs, withRetries } from "../../src/runtime/llm/request-retry.js";

const config = (overrides: Partial<ReturnType<typeof defaultConfig>["llm"]> = {}) => ({
  ...defaultConfig().llm,
  ...overrides,
});

describe("resolving LLM settings", () => {
  it("is off by default, with a reason for the progress output", () => {
    expect(resolveLlmSettings({ config: config(), env: { OPENAI_API_KEY: "sk-test" } })).toEqual({
      settings: null,
      reason: "LLM off (llm.provider is off)",
    });
    expect(
      resolveLlmSettings({ config: config({ provider: "openai" }), flags: { llm: "off" }, env: {} }).reason,
    ).toBe("LLM off (--llm off)");
  });

  it("is off when the provider's key is missing, naming the variable", () => {
    expect(resolveLlmSettings({ config: config(), flags: { llm: "openai" }, env: {} }).reason).toBe(
      "LLM off: OPENAI_API_KEY not set",
    );
    expect(
      resolveLlmSettings({ config: config({ provider: "anthropic" }), env: { OPENAI_API_KEY: "x" } }).reason,
    ).toBe("LLM off: ANTHROPIC_API_KEY not set");
  });

  it("takes flags over config over the SDK environment variables over defaults", () => {
    const env = { OPENAI_API_KEY: "sk-secret-123", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" };
    const fromEnv = resolveLlmSettings({ config: config({ provider: "openai" }), env }).settings;
    expect(fromEnv).toMatchObject({
      provider: "openai",
      model: DEFAULT_MODELS.openai,
      baseUrl: "http://127.0.0.1:9/v1",
      maxCalls: 10,
      timeoutMs: 60_000,
    });
    const fromConfig = resolveLlmSettings({
      config: config({ provider: "openai", model: "gpt-4o", baseUrl: "http://127.0.0.1:8/v1/" }),
      env,
    }).settings;
    expect(fromConfig).toMatchObject({ model: "gpt-4o", baseUrl: "http://127.0.0.1:8/v1" });
    const fromFlags = resolveLlmSettings({
      config: config({ provider: "openai", model: "gpt-4o" }),
      flags: { llm: "anthropic", model: "claude-sonnet-4-5", baseUrl: "http://127.0.0.1:7" },
      env: { ...env, ANTHROPIC_API_KEY: "ak" },
    }).settings;
    expect(fromFlags).toMatchObject({
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      baseUrl: "http://127.0.0.1:7",
    });
    expect(
      resolveLlmSettings({ config: config({ provider: "anthropic" }), env: { ANTHROPIC_API_KEY: "ak" } })
        .settings?.baseUrl,
    ).toBe("https://api.anthropic.com");
  });

  it("never shows the key when the settings are printed or serialised", () => {
    const settings = resolveLlmSettings({
      config: config({ provider: "openai" }),
      env: { OPENAI_API_KEY: "sk-secret-123" },
    }).settings;
    expect(settings?.apiKey.reveal()).toBe("sk-secret-123");
    expect(JSON.stringify(settings)).not.toContain("sk-secret-123");
    expect(inspect(settings, { depth: 5 })).not.toContain("sk-secret-123");
    expect(`${settings?.apiKey}`).toBe("[redacted]");
    expect(settings?.apiKey.redact("key sk-secret-123 leaked")).toBe("key [redacted] leaked");
  });

  it("rejects a base URL that is not http(s) and a zero call budget", () => {
    expect(
      resolveLlmSettings({
        config: config({ provider: "openai" }),
        flags: { baseUrl: "file:///etc" },
        env: { OPENAI_API_KEY: "k" },
      }).reason,
    ).toMatch(/not an http\(s\) URL/);
    expect(
      resolveLlmSettings({
        config: config({ provider: "openai", maxCalls: 0 }),
        env: { OPENAI_API_KEY: "k" },
      }).reason,
    ).toBe("LLM off: llm.max_calls is 0");
  });
});

describe("retrying requests", () => {
  const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });

  it("reads retry-after-ms, retry-after seconds and retry-after dates", () => {
    expect(retryAfterFromHeaders(headers({ "retry-after-ms": "250" }))).toBe(250);
    expect(retryAfterFromHeaders(headers({ "retry-after": "2" }))).toBe(2_000);
    expect(retryAfterFromHeaders(headers({ "retry-after": new Date(10_000).toUTCString() }), 4_000)).toBe(
      6_000,
    );
    expect(retryAfterFromHeaders(headers({ "retry-after": "soon" }))).toBeUndefined();
    expect(retryAfterFromHeaders(undefined)).toBeUndefined();
  });

  it("backs off exponentially, honours retry-after and caps every wait", () => {
    const policy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000, sleep: async () => {} };
    const server = new LlmRequestError("x", "server");
    expect([0, 1, 2, 5].map((retry) => retryDelayMs(server, retry, policy))).toEqual([100, 200, 400, 1_000]);
    expect(retryDelayMs(new LlmRequestError("x", "rate_limited", { retryAfterMs: 300 }), 0, policy)).toBe(
      300,
    );
    expect(retryDelayMs(new LlmRequestError("x", "rate_limited", { retryAfterMs: 60_000 }), 0, policy)).toBe(
      1_000,
    );
  });

  it("retries 429 and 5xx until success, but never a 4xx", async () => {
    const waits: number[] = [];
    const policy = {
      maxRetries: 3,
      baseDelayMs: 10,
      maxDelayMs: 1_000,
      sleep: async (ms: number) => void waits.push(ms),
    };
    const failures = [
      new LlmRequestError("busy", "rate_limited", { retryAfterMs: 5 }),
      new LlmRequestError("down", "server"),
    ];
    await expect(
      withRetries(async () => {
        const failure = failures.shift();
        if (failure) throw failure;
        return "ok";
      }, policy),
    ).resolves.toBe("ok");
    expect(waits).toEqual([5, 20]);

    let calls = 0;
    const refused = withRetries(async () => {
      calls += 1;
      throw new LlmRequestError("bad request", "client", { status: 400 });
    }, policy);
    await expect(refused).rejects.toMatchObject({ kind: "client", attempts: 1 });
    expect(calls).toBe(1);

    const exhausted = withRetries(async () => {
      throw new LlmRequestError("down", "server", { status: 500 });
    }, policy);
    await expect(exhausted).rejects.toMatchObject({ kind: "server", attempts: 4 });
  });
});
