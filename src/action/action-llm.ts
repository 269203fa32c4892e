// The Action's LLM proposer: provider, model and base URL from the inputs then the repository config; the key only from the input.
import type { RfsnConfig } from "../core/config/schema.js";
import { createLlmProposer, type LlmFlags, resolveLlmSettings } from "../repair/llm-settings.js";
import type { SessionProposer } from "../repair/session-proposer.js";
import type { Database } from "../store/database.js";
import type { ActionInputs } from "./inputs.js";

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
  options: { cacheDatabase?: Database; onEvent?: (message: string) => void } = {},
): ActionLlm {
  if (inputs.llmProvider === "app") {
    // TODO(lead): h/app adds the client that asks the RFSN App for completions (OIDC-authenticated, `app-url`);
    // wire it here after merging. Until then the App provider is reported as unavailable, never silently ignored.
    return {
      create: () => [],
      notes: [
        `LLM off: llm-provider app (App at ${inputs.appUrl || "no app-url"}) is not available in this build`,
      ],
    };
  }
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
