// A GitHubLog for tests that keeps the warnings it is given.
import type { GitHubLog } from "../../src/github/octokit.js";

export function recordingLog(): GitHubLog & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    debug: () => {},
    info: () => {},
    warn: (message) => warnings.push(message),
    error: () => {},
  };
}
