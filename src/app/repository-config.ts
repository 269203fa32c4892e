// Loads `.github/rfsn.yml` at a commit: the parsed settings, the defaults when the file is absent, or the ConfigError (kept per commit).
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

/** A full commit id: what a commit's files are read at never changes. */
const COMMIT_ID = /^[0-9a-f]{40}$/;

/**
 * The settings read at commits, kept by repository and commit (the least recently used go beyond `capacity`): the
 * events of one failing commit (a `workflow_run` per workflow, its `check_suite`, `/rfsn fix` comments) read the
 * file once. Refs that are not commit ids (branch names) are always read afresh; failed reads are not kept.
 */
export class RepositoryConfigCache {
  private readonly kept = new Map<string, LoadedConfig>();

  constructor(private readonly capacity = 500) {}

  async load(octokit: Octokit, owner: string, repo: string, ref: string): Promise<LoadedConfig> {
    if (!COMMIT_ID.test(ref)) return await loadRepositoryConfig(octokit, owner, repo, ref);
    const key = `${owner}/${repo}@${ref}`.toLowerCase();
    const kept = this.kept.get(key);
    if (kept) {
      this.kept.delete(key);
      this.kept.set(key, kept);
      return kept;
    }
    const loaded = await loadRepositoryConfig(octokit, owner, repo, ref);
    this.kept.set(key, loaded);
    const oldest = this.kept.keys().next().value;
    if (this.kept.size > this.capacity && oldest !== undefined) this.kept.delete(oldest);
    return loaded;
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

/** The settings at `ref`, through the App's cache when it has one. */
export function configAt(
  cache: RepositoryConfigCache | undefined,
  octokit: Octokit,
  owner: string,
  repo: string,
  ref: string,
): Promise<LoadedConfig> {
  return cache ? cache.load(octokit, owner, repo, ref) : loadRepositoryConfig(octokit, owner, repo, ref);
}
