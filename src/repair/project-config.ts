// Reads a project's `.github/rfsn.yml` (defaults when absent) and maps it to repair-session settings.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseRepositoryConfig } from "../core/config/parse.js";
import type { RfsnConfig } from "../core/config/schema.js";
import { DEFAULT_CONFIG } from "../core/config/schema.js";
import type { RepairSessionOptions } from "./session.js";

export const CONFIG_PATH = ".github/rfsn.yml";

export async function loadProjectConfig(projectDir: string): Promise<RfsnConfig> {
  let text: string;
  try {
    text = await readFile(join(projectDir, CONFIG_PATH), "utf8");
  } catch {
    return DEFAULT_CONFIG;
  }
  return parseRepositoryConfig(text, CONFIG_PATH);
}

/** Session settings from the config file; explicit overrides (flags, Action inputs) win. */
export function sessionSettingsFromConfig(
  config: RfsnConfig,
): Pick<
  RepairSessionOptions,
  "testCommand" | "jobs" | "maxIterations" | "timeBudgetMs" | "protectedPaths" | "limits" | "sandbox"
> {
  return {
    ...(config.testCommand ? { testCommand: config.testCommand } : {}),
    ...(config.limits.jobs > 0 ? { jobs: config.limits.jobs } : {}),
    ...(config.limits.maxIterations !== null ? { maxIterations: config.limits.maxIterations } : {}),
    timeBudgetMs: config.limits.timeBudgetMinutes * 60_000,
    protectedPaths: config.protectedPaths,
    limits: { maxFiles: config.limits.maxFiles, maxChangedLines: config.limits.maxChangedLines },
    // Only the network comes from the repository; allowing no sandbox at all is the operator's call.
    sandbox: { network: config.sandbox.network },
  };
}
