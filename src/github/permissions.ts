// Asks GitHub which role a user has on a repository, so the App only acts on commands from people who can write.
import type { GitHubClient } from "./octokit.js";
import { statusOf } from "./request-status.js";

export type RepositoryRole = "admin" | "maintain" | "write" | "triage" | "read" | "none";

const ROLES: readonly RepositoryRole[] = ["none", "read", "triage", "write", "maintain", "admin"];

function asRole(value: unknown): RepositoryRole | null {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value)
    ? (value as RepositoryRole)
    : null;
}

/** The user's role; `role_name` is preferred (it tells maintain and triage apart), a 404 means "none". */
export async function collaboratorPermission(
  octokit: GitHubClient,
  owner: string,
  repo: string,
  username: string,
): Promise<RepositoryRole> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username });
    return asRole((data as { role_name?: unknown }).role_name) ?? asRole(data.permission) ?? "none";
  } catch (error) {
    if (statusOf(error) === 404) return "none";
    throw error;
  }
}

/** True for maintain and admin: the roles that may pause and resume RFSN for a repository. */
export function canMaintain(role: RepositoryRole): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf("maintain");
}

/** True for write, maintain and admin. */
export function canWrite(role: RepositoryRole): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf("write");
}
