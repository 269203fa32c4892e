// Reads a repository's root file names and small root files through GitHub's contents API, for stack detection.
import type { GitHubClient } from "./octokit.js";
import { readRepositoryFile } from "./repository-files.js";
import { statusOf } from "./request-status.js";

/** The file source `detectStackFrom` reads, backed by the contents API at one ref. */
export function repositoryFileSource(
  octokit: GitHubClient,
  repository: { owner: string; repo: string; ref: string },
): { listRoot: () => Promise<string[]>; readFile: (path: string) => Promise<string | null> } {
  return {
    listRoot: async () => {
      try {
        // One call for the root listing: the tree of the branch (GitHub takes a branch name as `tree_sha`).
        const { data } = await octokit.rest.git.getTree({
          owner: repository.owner,
          repo: repository.repo,
          tree_sha: repository.ref,
        });
        return data.tree.map((entry) => (entry.type === "tree" ? `${entry.path}/` : (entry.path ?? "")));
      } catch (error) {
        if (statusOf(error) === 404) return [];
        throw error;
      }
    },
    readFile: (path) => readRepositoryFile(octokit, { ...repository, path }),
  };
}
