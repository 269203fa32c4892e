// The Action's LLM settings: inputs before the repository config, the key only from the input, never sent where the config says.
import { describe, expect, it } from "vitest";
import { actionLlm, CONFIG_BASE_URL_IGNORED_NOTE, NO_KEY_NOTE } from "../../src/action/action-llm.js";
import { opensAsDraft } from "../../src/action/pull-request-base.js";
import { DEFAULT_CONFIG } from "../../src/core/config/schema.js";

const none = { llmProvider: "", llmModel: "", llmBaseUrl: "", llmApiKey: "", appUrl: "" } as const;
const openaiConfig = { ...DEFAULT_CONFIG.llm, provider: "openai" as const };

describe("actionLlm", () => {
  it("is off and silent when neither the inputs nor the config turn it on", () => {
    const llm = actionLlm(none, DEFAULT_CONFIG.llm);
    expect(llm.create()).toEqual([]);
    expect(llm.notes).toEqual([]);
  });

  it('says "LLM off: no key" when the config or an input turns it on without a key', () => {
    expect(actionLlm(none, openaiConfig).notes).toEqual([NO_KEY_NOTE]);
    expect(actionLlm({ ...none, llmProvider: "anthropic" }, DEFAULT_CONFIG.llm).notes).toEqual([NO_KEY_NOTE]);
  });

  it("never takes a key from the environment", () => {
    process.env.OPENAI_API_KEY = "sk-from-the-environment-0123456789";
    try {
      expect(actionLlm(none, openaiConfig).notes).toEqual([NO_KEY_NOTE]);
    } finally {
      delete process.env.OPENAI_API_KEY;
    }
  });

  it("ignores the repository's base URL when a key is given, and says so", () => {
    const config = { ...openaiConfig, baseUrl: "https://attacker.example/v1" };
    const llm = actionLlm({ ...none, llmApiKey: "sk-input-key-0123456789" }, config);
    expect(llm.notes).toEqual([CONFIG_BASE_URL_IGNORED_NOTE, "LLM: openai gpt-4.1-mini at api.openai.com"]);
    expect(llm.create()).toHaveLength(1);
  });

  it("takes provider, model and base URL from the inputs before the config", () => {
    const llm = actionLlm(
      {
        ...none,
        llmProvider: "openai",
        llmModel: "local-model",
        llmBaseUrl: "http://127.0.0.1:9/v1",
        llmApiKey: "sk-input-key-0123456789",
      },
      { ...DEFAULT_CONFIG.llm, provider: "anthropic", model: "claude-x", baseUrl: "https://config.example" },
    );
    expect(llm.notes).toEqual(["LLM: openai local-model at 127.0.0.1:9"]);
  });

  it("is off when an input says off, whatever the config says", () => {
    const llm = actionLlm(
      { ...none, llmProvider: "off", llmApiKey: "sk-input-key-0123456789" },
      openaiConfig,
    );
    expect(llm.create()).toEqual([]);
  });

  it("asks the RFSN App with the job's OIDC token when llm-provider is app, and holds no key", async () => {
    const asked: string[] = [];
    const llm = actionLlm(
      { ...none, llmProvider: "app", appUrl: "https://rfsn.example/" },
      DEFAULT_CONFIG.llm,
      {
        getIdToken: async (audience) => {
          asked.push(audience);
          return "h.e30.s";
        },
      },
    );
    expect(llm.create()).toHaveLength(1);
    expect(llm.notes).toEqual([
      "LLM: the RFSN App at rfsn.example (OIDC-authenticated relay; no key on the runner)",
    ]);
    expect(asked).toEqual([]);
  });

  it("says why the App provider is off: no app-url, an app-url that is not http(s), or max_calls 0", () => {
    expect(actionLlm({ ...none, llmProvider: "app" }, DEFAULT_CONFIG.llm).notes).toEqual([
      "LLM off: llm-provider app needs the app-url input",
    ]);
    expect(
      actionLlm({ ...none, llmProvider: "app", appUrl: "ftp://x" }, DEFAULT_CONFIG.llm).notes[0],
    ).toMatch(/is not an http\(s\) URL/);
    expect(
      actionLlm({ ...none, llmProvider: "app", appUrl: "https://x" }, { ...DEFAULT_CONFIG.llm, maxCalls: 0 })
        .notes,
    ).toEqual(["LLM off: llm.max_calls is 0"]);
  });
});

describe("opensAsDraft", () => {
  const defaults = DEFAULT_CONFIG.pullRequests;
  it("opens automatic runs as drafts and explicit requests ready for review", () => {
    expect(opensAsDraft("true", "ci-failure", defaults)).toBe(true);
    expect(opensAsDraft("true", "comment", defaults)).toBe(false);
    expect(opensAsDraft("true", "manual", defaults)).toBe(false);
  });

  it("follows .github/rfsn.yml for both, and create-pr: draft for every PR", () => {
    const flipped = { draftAutomatic: false, draftOnRequest: true };
    expect(opensAsDraft("true", "ci-failure", flipped)).toBe(false);
    expect(opensAsDraft("true", "comment", flipped)).toBe(true);
    expect(opensAsDraft("draft", "comment", defaults)).toBe(true);
  });
});
