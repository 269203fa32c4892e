// Commits a verified patch on a new local branch in a separate worktree, leaving the checkout untouched.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commitAll, type GitIdentity, git } from "./git.js";
import { applyPatchToDirectory } from "./repository-transfer.js";

export interface PreparedBranch {
  dir: string;
  branch: string;
  commit: string;
  dispose: () => Promise<void>;
}

export async function prepareRepairBranch(input: {
  repositoryDir: string;
  branch: string;
  baseCommit: string;
  diff: string;
  message: string;
  author: GitIdentity;
}): Promise<PreparedBranch> {
  if (!input.branch.startsWith("rfsn/"))
    throw new Error(`refusing to create ${input.branch}: RFSN only creates rfsn/ branches`);
  const parent = await mkdtemp(join(tmpdir(), "rfsn-branch-"));
  const dir = join(parent, "tree");
  await git(["worktree", "add", "--quiet", "-b", input.branch, dir, input.baseCommit], input.repositoryDir);
  const dispose = async () => {
    await git(["worktree", "remove", "--force", dir], input.repositoryDir, { check: false });
    await rm(parent, { recursive: true, force: true });
  };
  try {
    await applyPatchToDirectory(dir, input.diff);
    const commit = await commitAll(dir, input.message, input.author);
    return { dir, branch: input.branch, commit, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
