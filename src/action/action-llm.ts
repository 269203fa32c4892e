// The Action's LLM proposer: provider, model and base URL from the inputs then the repository config; the key only from the input.
import { getIDToken } from "@actions/core";
import type { RfsnConfig } from "../core/config/schema.js";
import { createLlmProposer, type LlmFlags, resolveLlmSettings } from "../repair/llm-settings.js";
import type { SessionProposer } from "../repair/session-proposer.js";
import { APP_RELAY_MODEL, appRelayBaseUrl, createAppRelayClient } from "../runtime/llm/app-relay-client.js";
import { SecretValue } from "../runtime/llm/secret-value.js";
import type { Database } from "../store/database.js";
import type { ActionInputs } from "./inputs.js";

/**
 * `llm-provider: app`: the runner holds no key. Completions come from the RFSN App's relay, authenticated by the job's
 * GitHub OIDC token (audience `rfsn`, needs `permissions: id-token: write`); the App checks the token's repository, run
 * and workflow against the run it dispatched and enforces the installation's budgets.
 */
function appRelayLlm(
  inputs: LlmInputs,
  config: RfsnConfig["llm"],
  options: {
    cacheDatabase?: Database;
    onEvent?: (message: string) => void;
    getIdToken?: (audience: string) => Promise<string>;
  },
): ActionLlm {
  if (!inputs.appUrl)
    return { create: () => [], notes: ["LLM off: llm-provider app needs the app-url input"] };
  let baseUrl: string;
  try {
    const url = new URL(appRelayBaseUrl(inputs.appUrl));
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("not http");
    baseUrl = url.toString().replace(/\/+$/, "");
  } catch {
    return {
      create: () => [],
      notes: [`LLM off: app-url ${JSON.stringify(inputs.appUrl)} is not an http(s) URL`],
    };
  }
  if (config.maxCalls === 0) return { create: () => [], notes: ["LLM off: llm.max_calls is 0"] };
  const timeoutMs = config.timeoutSeconds * 1000;
  const model = inputs.llmModel || APP_RELAY_MODEL;
  const getIdToken = options.getIdToken ?? ((audience: string) => getIDToken(audience));
  return {
    create: () => [
      createLlmProposer(
        {
          provider: "openai",
          model,
          baseUrl,
          // The bearer is the job's OIDC token, fetched per call by the client below; this placeholder is never sent.
          apiKey: new SecretValue("oidc"),
          maxCalls: config.maxCalls,
          maxTokens: config.maxTokens,
          maxCostUsd: config.maxCostUsd,
          timeoutMs,
        },
        {
          client: createAppRelayClient({ appUrl: inputs.appUrl, getIdToken, timeoutMs, model }),
          ...(options.cacheDatabase ? { cacheDatabase: options.cacheDatabase } : {}),
          ...(options.onEvent ? { onEvent: options.onEvent } : {}),
        },
      ),
    ],
    notes: [`LLM: the RFSN App at ${new URL(baseUrl).host} (OIDC-authenticated relay; no key on the runner)`],
  };
}

export interface ActionLlm {
  /** Fresh proposers for one session (each with its own budget); empty when the LLM is off. */
  create: () => SessionProposer[];
  /** Report lines saying what was chosen or why the LLM is off ("LLM off: no key"). */
  notes: string[];
}

export const NO_KEY_NOTE = "LLM off: no key";
export const CONFIG_BASE_URL_IGNORED_NOTE =
  "llm.base_url of .github/rfsn.yml was ignored: a repository's config never chooses where the key is sent";

type LlmInputs = Pick<ActionInputs, "llmProvider" | "llmModel" | "llmBaseUrl" | "llmApiKey" | "appUrl">;

/**
 * Resolves the LLM like `rfsn repair` does (same proposer, cache, budgets and report lines), except that the key is
 * the `llm-api-key` input alone (never an environment variable a workflow or a test could set), and a base URL from
 * the repository's config is dropped whenever a key is present.
 */
export function actionLlm(
  inputs: LlmInputs,
  config: RfsnConfig["llm"],
  options: {
    cacheDatabase?: Database;
    onEvent?: (message: string) => void;
    /** `core.getIDToken` unless a test passes its own (`llm-provider: app`). */
    getIdToken?: (audience: string) => Promise<string>;
  } = {},
): ActionLlm {
  if (inputs.llmProvider === "app") return appRelayLlm(inputs, config, options);
  const flags: LlmFlags = {
    ...(inputs.llmProvider ? { llm: inputs.llmProvider } : {}),
    ...(inputs.llmModel ? { model: inputs.llmModel } : {}),
    ...(inputs.llmBaseUrl ? { baseUrl: inputs.llmBaseUrl } : {}),
  };
  const notes: string[] = [];
  const key = inputs.llmApiKey;
  let repositoryConfig = config;
  if (key && config.baseUrl) {
    repositoryConfig = { ...config, baseUrl: "" };
    if (!inputs.llmBaseUrl) notes.push(CONFIG_BASE_URL_IGNORED_NOTE);
  }
  const provider = flags.llm ?? repositoryConfig.provider;
  if (provider === "off") return { create: () => [], notes };
  if (!key) return { create: () => [], notes: [...notes, NO_KEY_NOTE] };
  const env = { OPENAI_API_KEY: key, ANTHROPIC_API_KEY: key };
  const resolution = resolveLlmSettings({ config: repositoryConfig, flags, env });
  const settings = resolution.settings;
  if (!settings) return { create: () => [], notes: [...notes, resolution.reason] };
  return {
    create: () => [
      createLlmProposer(settings, {
        ...(options.cacheDatabase ? { cacheDatabase: options.cacheDatabase } : {}),
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      }),
    ],
    notes: [...notes, `LLM: ${settings.provider} ${settings.model} at ${new URL(settings.baseUrl).host}`],
  };
}
