// Makes the checkout's HEAD the failing commit before a repair: verifies it, fetching and checking it out when needed.
import { git } from "./git.js";

export class FailingCommitCheckoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FailingCommitCheckoutError";
  }
}

export interface FailingCheckout {
  /** The commit the repair works on: HEAD after this ran. */
  commit: string;
  /** What changed HEAD: nothing, a checkout of an object already present, or a fetch then a checkout. */
  moved: "no" | "checked_out" | "fetched";
}

async function gitText(args: string[], dir: string): Promise<string> {
  return (await git(args, dir)).stdout.trim();
}

/**
 * Ensures HEAD of `dir` is `failingCommit` ("" keeps HEAD). A checkout elsewhere (the dispatched branch's tip, a
 * shallow clone without the commit) is fetched from `origin` and checked out detached; local changes refuse it.
 */
export async function checkoutFailingCommit(dir: string, failingCommit: string): Promise<FailingCheckout> {
  const head = await gitText(["rev-parse", "--verify", "HEAD^{commit}"], dir).catch(() => "");
  if (!failingCommit) {
    if (!head) throw new FailingCommitCheckoutError(`${dir} has no commit checked out`);
    return { commit: head, moved: "no" };
  }
  if (!/^[0-9a-f]{40}$/.test(failingCommit))
    throw new FailingCommitCheckoutError(`failing commit "${failingCommit}" is not a 40-hex commit id`);
  if (head === failingCommit) return { commit: head, moved: "no" };
  const status = await gitText(["status", "--porcelain", "--untracked-files=no"], dir);
  if (status)
    throw new FailingCommitCheckoutError(
      `the checkout has local changes; RFSN will not replace them with the failing commit ${failingCommit.slice(0, 7)}`,
    );
  const present =
    (await git(["cat-file", "-e", `${failingCommit}^{commit}`], dir, { check: false })).exitCode === 0;
  if (!present) {
    const fetched = await git(["fetch", "--quiet", "--no-tags", "--depth=1", "origin", failingCommit], dir, {
      check: false,
      timeoutMs: 300_000,
    });
    if (fetched.exitCode !== 0)
      throw new FailingCommitCheckoutError(
        `the checkout is at ${head.slice(0, 7) || "nothing"} and fetching the failing commit ${failingCommit} from origin failed: ${fetched.stderr.trim().slice(0, 300)}`,
      );
  }
  await git(["checkout", "--quiet", "--detach", failingCommit], dir);
  const now = await gitText(["rev-parse", "HEAD"], dir);
  if (now !== failingCommit)
    throw new FailingCommitCheckoutError(`HEAD is ${now} after checking out ${failingCommit}`);
  return { commit: now, moved: present ? "checked_out" : "fetched" };
}
