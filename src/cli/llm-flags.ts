// The `--llm`, `--llm-model` and `--llm-base-url` flags shared by `rfsn repair` and `rfsn bench`.
import type { RfsnConfig } from "../core/config/schema.js";
import { createLlmProposer, type LlmFlags, resolveLlmSettings } from "../repair/llm-settings.js";
import type { SessionProposer } from "../repair/session-proposer.js";
import type { Database } from "../store/database.js";
import { UsageError } from "./arguments.js";

export const LLM_FLAG_OPTIONS = {
  llm: { type: "string" },
  "llm-model": { type: "string" },
  "llm-base-url": { type: "string" },
} as const;

export const LLM_USAGE = "[--llm openai|anthropic|off] [--llm-model NAME] [--llm-base-url URL]";

export const LLM_HELP = `  --llm PROVIDER          openai, anthropic or off (default: .github/rfsn.yml \`llm.provider\`, which defaults to off)
  --llm-model NAME        model (default: gpt-4.1-mini for openai, claude-haiku-4-5 for anthropic)
  --llm-base-url URL      API root (default: OPENAI_BASE_URL / ANTHROPIC_BASE_URL, else the provider's)
The API key is read only from the environment: OPENAI_API_KEY or ANTHROPIC_API_KEY (docs/install.md, "The LLM key").`;

/** Turns a resolver's reason into a sentence that also says which setting changes it. */
export function actionableLlmNote(reason: string): string {
  const missingKey = /^LLM off: (\w+_API_KEY) not set$/.exec(reason);
  if (missingKey) {
    return `${reason}: export ${missingKey[1]}=<key> to let the LLM propose patches (the deterministic operators run either way)`;
  }
  return reason;
}

export function llmFlags(values: { llm?: string; "llm-model"?: string; "llm-base-url"?: string }): LlmFlags {
  const provider = values.llm;
  if (provider !== undefined && provider !== "openai" && provider !== "anthropic" && provider !== "off") {
    throw new UsageError(`--llm must be openai, anthropic or off (got ${provider})`);
  }
  return {
    ...(provider ? { llm: provider } : {}),
    ...(values["llm-model"] ? { model: values["llm-model"] } : {}),
    ...(values["llm-base-url"] ? { baseUrl: values["llm-base-url"] } : {}),
  };
}

/** A factory of fresh LLM proposers (one per session, each with its own budget), or null with the reason it is off. */
export function llmProposerFactory(
  config: RfsnConfig["llm"],
  flags: LlmFlags,
  options: { cacheDatabase?: Database; onEvent?: (message: string) => void } = {},
): { create: () => SessionProposer[]; note: string | null } {
  const resolution = resolveLlmSettings({ config, flags, env: process.env });
  const settings = resolution.settings;
  if (!settings) return { create: () => [], note: actionableLlmNote(resolution.reason) };
  return {
    create: () => [
      createLlmProposer(settings, {
        ...(options.cacheDatabase ? { cacheDatabase: options.cacheDatabase } : {}),
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      }),
    ],
    note: `LLM: ${settings.provider} ${settings.model}`,
  };
}
