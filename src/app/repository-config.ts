// Loads `.github/rfsn.yml` at a commit: the parsed settings, the defaults when the file is absent, or the ConfigError.
import type { Octokit } from "@octokit/rest";
import { ConfigError, DEFAULT_CONFIG_FILE, parseRepositoryConfig } from "../core/config/parse.js";
import { defaultConfig, type RfsnConfig } from "../core/config/schema.js";
import { readRepositoryFile } from "../github/repository-files.js";

export type LoadedConfig =
  | { ok: true; config: RfsnConfig; present: boolean }
  | { ok: false; error: ConfigError };

export async function loadRepositoryConfig(
  octokit: Octokit,
  owner: string,
  repo: string,
  ref: string,
): Promise<LoadedConfig> {
  const text = await readRepositoryFile(octokit, { owner, repo, path: DEFAULT_CONFIG_FILE, ref });
  if (text === null) return { ok: true, config: defaultConfig(), present: false };
  try {
    return { ok: true, config: parseRepositoryConfig(text, DEFAULT_CONFIG_FILE), present: true };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, error };
    throw error;
  }
}

/** A Markdown explanation of a broken config with a link to the offending line. */
export function describeConfigError(
  error: ConfigError,
  fullName: string,
  ref: string,
): { title: string; summary: string; url: string } {
  const url = `https://github.com/${fullName}/blob/${ref}/${error.file}#L${error.line}`;
  const problems = error.problems.map(
    (problem) =>
      `- [${error.file} line ${problem.line}](https://github.com/${fullName}/blob/${ref}/${error.file}#L${problem.line}): ${problem.message}`,
  );
  return {
    title: `${error.file} line ${error.line}: invalid configuration`.slice(0, 250),
    summary: [
      `RFSN did not start a repair because \`${error.file}\` is invalid:`,
      "",
      ...problems,
      "",
      "Fix the file and push again (or comment `/rfsn fix`).",
    ].join("\n"),
    url,
  };
}
