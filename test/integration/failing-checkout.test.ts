// Before a repair the checkout's HEAD becomes the failing commit: kept, checked out, or fetched; never over local changes.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkoutFailingCommit, FailingCommitCheckoutError } from "../../src/runtime/failing-checkout.js";
import { git } from "../helpers/git-fixtures.js";

/** A bare origin with two commits on main; returns both and a full clone at main. */
function origin() {
  const root = mkdtempSync(join(tmpdir(), "rfsn-failing-checkout-"));
  const bare = join(root, "origin.git");
  const work = join(root, "work");
  git(root, "init", "--quiet", "--bare", "--initial-branch=main", bare);
  git(root, "init", "--quiet", "--initial-branch=main", work);
  writeFileSync(join(work, "a.txt"), "one\n");
  git(work, "add", "-A");
  git(work, "commit", "--quiet", "-m", "one");
  const first = git(work, "rev-parse", "HEAD");
  writeFileSync(join(work, "a.txt"), "two\n");
  git(work, "commit", "--quiet", "-am", "two");
  git(work, "remote", "add", "origin", `file://${bare}`);
  git(work, "push", "--quiet", "origin", "main");
  return { root, bare, work, first, second: git(work, "rev-parse", "HEAD") };
}

describe("checkoutFailingCommit", () => {
  it("keeps HEAD when it is the failing commit, or when none is given", async () => {
    const { work, second } = origin();
    expect(await checkoutFailingCommit(work, second)).toEqual({ commit: second, moved: "no" });
    expect(await checkoutFailingCommit(work, "")).toEqual({ commit: second, moved: "no" });
  });

  it("checks out a failing commit the clone has, detached", async () => {
    const { work, first } = origin();
    expect(await checkoutFailingCommit(work, first)).toEqual({ commit: first, moved: "checked_out" });
    expect(git(work, "rev-parse", "HEAD")).toBe(first);
  });

  it("fetches it into a depth-1 clone that lacks it", async () => {
    const { root, bare, first } = origin();
    git(root, "clone", "--quiet", "--depth", "1", `file://${bare}`, "shallow");
    const shallow = join(root, "shallow");
    expect(await checkoutFailingCommit(shallow, first)).toEqual({ commit: first, moved: "fetched" });
  });

  it("refuses local changes, a commit id that is not one, and a commit origin does not have", async () => {
    const { work, first } = origin();
    writeFileSync(join(work, "a.txt"), "edited\n");
    await expect(checkoutFailingCommit(work, first)).rejects.toThrow(/local changes/);
    git(work, "checkout", "--quiet", "--", "a.txt");
    await expect(checkoutFailingCommit(work, "main")).rejects.toThrow(FailingCommitCheckoutError);
    await expect(checkoutFailingCommit(work, "b".repeat(40))).rejects.toThrow(/fetching the failing commit/);
  });
});
