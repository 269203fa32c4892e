// The shared publisher against the fake GitHub: commits with the failing commit as parent, re-gates, refuses what it must.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { emptyRepairReport } from "../../src/core/report.js";
import { createOctokit, type Octokit } from "../../src/github/octokit.js";
import {
  ArtifactRejectedError,
  BOT_AUTHOR,
  downloadRepairArtifact,
  PatchRejectedError,
  PublishError,
  type PublishRequest,
  publishRepair,
  repairArtifactFiles,
} from "../../src/github/publisher/index.js";
import { type FakeGitHub, startFakeGitHub } from "../helpers/fake-github/index.js";
import { git } from "../helpers/git-fixtures.js";

let fake: FakeGitHub;
let octokit: Octokit;
const owner = "octo";
let counter = 0;

beforeAll(async () => {
  fake = await startFakeGitHub();
  octokit = createOctokit({ token: "ghs_publisher", baseUrl: fake.url, paceWrites: false, retries: 0 });
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => fake.assertNoViolations());

const BUGGY =
  "export function add(a, b) {\n  return a - b;\n}\n\nexport function twice(a) {\n  return a * 2;\n}\n";
const FIX =
  "--- a/src/math.js\n+++ b/src/math.js\n@@ -1,3 +1,3 @@\n export function add(a, b) {\n-  return a - b;\n+  return a + b;\n }\n";

interface LocalRepository {
  dir: string;
  name: string;
  failing: string;
}

/** A real git repository with the buggy file (plus whatever `extra` adds), imported into the fake with git's shas. */
function localRepository(extra?: (dir: string) => void): LocalRepository {
  counter += 1;
  const name = `publish-${counter}`;
  const dir = mkdtempSync(join(tmpdir(), "rfsn-publisher-"));
  git(dir, "init", "--quiet", "--initial-branch=main");
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src/math.js"), BUGGY);
  writeFileSync(join(dir, "run.sh"), "#!/bin/sh\necho run\n", { mode: 0o755 });
  extra?.(dir);
  git(dir, "add", "-A");
  git(dir, "commit", "--quiet", "-m", "introduce the bug");
  const failing = git(dir, "rev-parse", "HEAD");
  fake.addRepository({ owner, name, defaultBranch: "main" });
  fake.repository(owner, name).importGit(join(dir, ".git"), "HEAD", "main");
  return { dir, name, failing };
}

function request(local: LocalRepository, overrides: Partial<PublishRequest> = {}): PublishRequest {
  return {
    owner,
    repo: local.name,
    failingCommit: local.failing,
    diff: FIX,
    protectedPaths: [],
    branch: `rfsn/fix/${local.failing.slice(0, 7)}-r1`,
    base: "main",
    draft: true,
    title: "fix: add",
    body: "body",
    commitMessage: "fix: add adds\n",
    labels: ["rfsn"],
    ...overrides,
  };
}

/** Copies the fix commit into the local repository (git recomputes every id) and returns git's view of it. */
function inGit(local: LocalRepository, commit: string) {
  const exported = fake.repository(owner, local.name).git.exportToGit(join(local.dir, ".git"), commit);
  return {
    id: exported,
    parents: git(local.dir, "rev-list", "--parents", "-n", "1", exported).split(" ").slice(1),
    file: (path: string) => git(local.dir, "show", `${exported}:${path}`),
    changed: git(local.dir, "diff", "--name-only", local.failing, exported).split("\n").filter(Boolean),
    author: git(local.dir, "show", "-s", "--format=%an <%ae>", exported),
    mode: (path: string) => git(local.dir, "ls-tree", exported, path).split(" ")[0],
  };
}

function writes(name: string) {
  return fake.requests.filter(
    (r) => r.path.startsWith(`/repos/${owner}/${name}/`) && r.method !== "GET" && r.status < 400,
  );
}

describe("publishRepair", () => {
  it("commits the patch on the failing commit through the git data API, as git itself would hash it", async () => {
    const local = localRepository();
    const result = await publishRepair(octokit, request(local));
    const commit = inGit(local, result.commit);
    expect(commit.id).toBe(result.commit);
    expect(commit.parents).toEqual([local.failing]);
    expect(commit.file("src/math.js")).toContain("return a + b;");
    expect(commit.changed).toEqual(["src/math.js"]);
    expect(commit.author).toBe(`${BOT_AUTHOR.name} <${BOT_AUTHOR.email}>`);
    expect(commit.mode("run.sh")).toBe("100755");
    const repository = fake.repository(owner, local.name);
    expect(repository.branches.get(request(local).branch)).toBe(result.commit);
    const pull = repository.pulls.get(result.pullRequest.number);
    expect(pull).toMatchObject({ base: "main", draft: true, headSha: result.commit });
    expect(repository.issues.get(result.pullRequest.number)?.labels).toEqual(["rfsn"]);
    const operations = writes(local.name).map((r) => r.operationId);
    expect(operations).toEqual([
      "git/create-blob",
      "git/create-tree",
      "git/create-commit",
      "git/create-ref",
      "pulls/create",
      "issues/add-labels",
    ]);
    const tree = fake.requests.find(
      (r) => r.operationId === "git/create-tree" && r.path.includes(local.name),
    );
    expect((tree?.body as { base_tree?: string } | undefined)?.base_tree).toBe(
      git(local.dir, "rev-parse", `${local.failing}^{tree}`),
    );
  });

  it("builds on the failing commit even when the default branch has moved on", async () => {
    const local = localRepository();
    writeFileSync(join(local.dir, "later.txt"), "a later change\n");
    git(local.dir, "add", "-A");
    git(local.dir, "commit", "--quiet", "-m", "later");
    const tip = fake.repository(owner, local.name).importGit(join(local.dir, ".git"), "HEAD", "main");
    expect(tip).not.toBe(local.failing);
    const result = await publishRepair(octokit, request(local, { draft: false }));
    const commit = inGit(local, result.commit);
    expect(commit.parents).toEqual([local.failing]);
    expect(() => commit.file("later.txt")).toThrow();
    expect(fake.repository(owner, local.name).pulls.get(result.pullRequest.number)?.draft).toBe(false);
  });

  it("creates a new file the diff adds, and deletes one it removes", async () => {
    const local = localRepository((dir) => writeFileSync(join(dir, "src/old.js"), "export const old = 1;\n"));
    const diff = `${FIX}--- /dev/null\n+++ b/src/helper.js\n@@ -0,0 +1 @@\n+export const helper = 1;\n--- a/src/old.js\n+++ /dev/null\n@@ -1 +0,0 @@\n-export const old = 1;\n`;
    const result = await publishRepair(octokit, request(local, { diff }));
    const commit = inGit(local, result.commit);
    expect(commit.changed.sort()).toEqual(["src/helper.js", "src/math.js", "src/old.js"]);
    expect(commit.file("src/helper.js")).toBe("export const helper = 1;");
  });

  it("refuses a patch that does not apply, and writes nothing", async () => {
    const local = localRepository();
    const stale = FIX.replace(" export function add(a, b) {", " export function add(x, y) {");
    const error = await publishRepair(octokit, request(local, { diff: stale })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PatchRejectedError);
    expect((error as PatchRejectedError).message).toMatch(/does not (apply|match)/);
    expect(writes(local.name)).toEqual([]);
  });

  const refused: Array<[string, string, (dir: string) => void, RegExp]> = [
    [
      "a path that is not in the failing commit's tree",
      FIX.replaceAll("src/math.js", "src/missing.js"),
      () => {},
      /not in the failing commit's tree/,
    ],
    [
      "a symbolic link",
      "--- a/src/link.js\n+++ b/src/link.js\n@@ -1 +1 @@\n-math.js\n+../../../etc/passwd\n",
      (dir) => symlinkSync("math.js", join(dir, "src/link.js")),
      /symbolic link/,
    ],
    [
      "a new file below a symbolic link",
      "--- /dev/null\n+++ b/linked/evil.js\n@@ -0,0 +1 @@\n+export const x = 1;\n",
      (dir) => symlinkSync("/tmp", join(dir, "linked")),
      /linked is a symbolic link/,
    ],
    [
      "a path with ..",
      "--- a/src/../../x.js\n+++ b/src/../../x.js\n@@ -1 +1 @@\n-a\n+b\n",
      () => {},
      /\.\. segment/,
    ],
    [
      "a protected path (CI configuration)",
      "--- /dev/null\n+++ b/.github/workflows/evil.yml\n@@ -0,0 +1 @@\n+on: push\n",
      () => {},
      /protected_path/,
    ],
    [
      "a test file",
      "--- a/test/math.test.js\n+++ b/test/math.test.js\n@@ -1 +1 @@\n-expect(add(1, 2)).toBe(3);\n+expect(add(1, 2)).toBe(-1);\n",
      (dir) => {
        mkdirSync(join(dir, "test"));
        writeFileSync(join(dir, "test/math.test.js"), "expect(add(1, 2)).toBe(3);\n");
      },
      /protected_path|test_tampering/,
    ],
    [
      "a forbidden pattern",
      FIX.replace("+  return a + b;", "+  return eval('a + b');"),
      () => {},
      /forbidden_pattern/,
    ],
  ];
  for (const [what, diff, extra, message] of refused) {
    it(`refuses ${what}, and writes nothing`, async () => {
      const local = localRepository(extra);
      const error = await publishRepair(octokit, request(local, { diff })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PatchRejectedError);
      expect((error as Error).message).toMatch(message);
      expect(writes(local.name)).toEqual([]);
    });
  }

  it("refuses a submodule path", async () => {
    const local = localRepository();
    const repository = fake.repository(owner, local.name);
    const failing = repository.git.commits.get(local.failing);
    const items = repository.git.pathsOf(failing?.tree ?? "");
    items.set("vendor/lib", { mode: "160000", type: "commit", sha: local.failing });
    const tree = repository.git.treeFromPaths(items);
    const person = { name: "Dev", email: "dev@example.com", date: "2026-12-01T00:00:00Z" };
    const withSubmodule = repository.git.putCommit({
      tree,
      parents: [local.failing],
      message: "add submodule\n",
      author: person,
      committer: person,
    });
    const diff = "--- a/vendor/lib\n+++ b/vendor/lib\n@@ -1 +1 @@\n-a\n+b\n";
    const error = await publishRepair(octokit, request(local, { failingCommit: withSubmodule, diff })).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/vendor\/lib is a submodule/);
  });

  it("applies the repository's own protected paths", async () => {
    const local = localRepository();
    const error = await publishRepair(octokit, request(local, { protectedPaths: ["src/**"] })).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/protected_path/);
  });

  it("moves its own rfsn/fix branch but never one whose tip someone else made", async () => {
    const local = localRepository();
    const first = await publishRepair(octokit, request(local));
    const again = await publishRepair(octokit, request(local, { commitMessage: "fix: again\n" }));
    expect(again.commit).not.toBe(first.commit);
    expect(again.pullRequest.number).toBe(first.pullRequest.number);
    const repository = fake.repository(owner, local.name);
    const branch = request(local).branch;
    expect(repository.branches.get(branch)).toBe(again.commit);

    writeFileSync(join(local.dir, "human.txt"), "a human's work\n");
    git(local.dir, "add", "-A");
    git(local.dir, "commit", "--quiet", "-m", "human work");
    const human = repository.importGit(join(local.dir, ".git"), "HEAD", branch);
    const error = await publishRepair(octokit, request(local, { commitMessage: "fix: third\n" })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PublishError);
    expect((error as Error).message).toMatch(/not made by RFSN/);
    expect(repository.branches.get(branch)).toBe(human);
  });

  it("publishes only to rfsn/fix/ branches and only onto a known commit", async () => {
    const local = localRepository();
    await expect(publishRepair(octokit, request(local, { branch: "main" }))).rejects.toThrow(/rfsn\/fix/);
    await expect(publishRepair(octokit, request(local, { branch: "rfsn/fix/../main" }))).rejects.toThrow(
      /rfsn\/fix/,
    );
    await expect(publishRepair(octokit, request(local, { failingCommit: "a".repeat(40) }))).rejects.toThrow(
      /is not in/,
    );
    fake.takeViolations();
    expect(writes(local.name)).toEqual([]);
  });
});

describe("the fake's git objects", () => {
  it("rebuild a real repository's trees with git's ids (imports check each tree against git)", () => {
    const local = localRepository((dir) => {
      mkdirSync(join(dir, "a/b"), { recursive: true });
      writeFileSync(join(dir, "a/b/c.txt"), "c\n");
      writeFileSync(join(dir, "a.txt"), "a\n");
      symlinkSync("a.txt", join(dir, "a-link"));
    });
    const repository = fake.repository(owner, local.name);
    const tree = repository.git.commits.get(local.failing)?.tree;
    expect(tree).toBe(execFileSync("git", ["-C", local.dir, "rev-parse", "HEAD^{tree}"]).toString().trim());
  });
});

describe("downloadRepairArtifact", () => {
  it("follows GitHub's redirect to the archive and reads the artifact of that run only", async () => {
    const local = localRepository();
    const report = {
      ...emptyRepairReport({
        sessionId: "s",
        outcome: "fixed",
        outcomeReason: "r",
        startedAt: "2026-12-07T13:00:00Z",
      }),
      patch: { diff: FIX, operator: "binary_operator" as const, rationale: "r", files: ["src/math.js"] },
    };
    fake.storeArtifact(
      owner,
      local.name,
      77,
      "rfsn-repair",
      repairArtifactFiles(report, local.failing, "77"),
    );
    fake.storeArtifact(
      owner,
      local.name,
      78,
      "rfsn-repair",
      repairArtifactFiles(report, local.failing, "78"),
    );
    fake.storeArtifact(owner, local.name, 77, "other", { "x.txt": "x" });
    const artifact = await downloadRepairArtifact(octokit, { owner, repo: local.name, runId: 77 });
    expect(artifact.patch).toBe(FIX);
    expect(artifact.digest.runId).toBe("77");
    expect(fake.requests.map((r) => r.operationId)).toContain("actions/download-artifact");
    await expect(downloadRepairArtifact(octokit, { owner, repo: local.name, runId: 79 })).rejects.toThrow(
      /0 unexpired artifacts/,
    );
  });

  it("reads what the real @actions/artifact client uploaded to the fake results service", async () => {
    const local = localRepository();
    const report = {
      ...emptyRepairReport({
        sessionId: "s",
        outcome: "fixed",
        outcomeReason: "r",
        startedAt: "2026-12-07T13:00:00Z",
      }),
      patch: { diff: FIX, operator: "binary_operator" as const, rationale: "r", files: ["src/math.js"] },
    };
    const dir = mkdtempSync(join(tmpdir(), "rfsn-upload-"));
    const paths = [...repairArtifactFiles(report, local.failing, "91")].map(([name, bytes]) => {
      writeFileSync(join(dir, name), bytes);
      return join(dir, name);
    });
    const saved = { ...process.env };
    Object.assign(process.env, fake.artifactUploadEnvironment(owner, local.name, 91));
    try {
      await new DefaultArtifactClient().uploadArtifact("rfsn-repair", paths, dir);
      await expect(new DefaultArtifactClient().uploadArtifact("rfsn-repair", paths, dir)).rejects.toThrow();
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
    const artifact = await downloadRepairArtifact(octokit, { owner, repo: local.name, runId: 91 });
    expect(artifact.patch).toBe(FIX);
    expect(artifact.digest.runId).toBe("91");
  });

  it("rejects a tampered archive", async () => {
    const local = localRepository();
    const files = repairArtifactFiles(
      emptyRepairReport({
        sessionId: "s",
        outcome: "not_fixed",
        outcomeReason: "r",
        startedAt: "2026-12-07T13:00:00Z",
      }),
      local.failing,
      "80",
    );
    files.set("patch.diff", Buffer.from(FIX));
    fake.storeArtifact(owner, local.name, 80, "rfsn-repair", files);
    await expect(downloadRepairArtifact(octokit, { owner, repo: local.name, runId: 80 })).rejects.toThrow(
      ArtifactRejectedError,
    );
  });
});
