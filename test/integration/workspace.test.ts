// Opens real git repositories and directories, makes worktrees, applies diffs, and checks the user's checkout is never touched.
import { execFileSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  changedLinesFromDiff,
  changedLinesInRecentCommits,
  commitAll,
  createBranch,
  headCommit,
  InvalidBranchNameError,
  listIgnoredTopLevel,
  unquoteGitPath,
  workTreeFacts,
} from "../../src/runtime/git.js";
import {
  openRepository,
  PatchApplyError,
  PathEscapeError,
  pathsInDiff,
  type SourceRepository,
  WorkspaceError,
} from "../../src/runtime/workspace.js";

const temporary: string[] = [];
const opened: SourceRepository[] = [];

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

function run(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", ...args], {
    cwd,
    encoding: "utf8",
  });
}

function write(dir: string, path: string, text: string): void {
  mkdirSync(join(dir, path, ".."), { recursive: true });
  writeFileSync(join(dir, path), text);
}

/** A repository with one commit, an ignored node_modules, and some uncommitted work. */
function userRepository(): string {
  const dir = tempDir("rfsn-user-");
  run(dir, "init", "--quiet", "--initial-branch=main");
  write(dir, ".gitignore", "node_modules/\n*.log\n");
  write(dir, "src/math.js", "export function add(a, b) {\n  return a - b;\n}\n");
  write(dir, "README.md", "hello\n");
  run(dir, "add", "-A");
  run(dir, "commit", "--quiet", "-m", "first");
  write(dir, "node_modules/left-pad/index.js", "module.exports = 1;\n");
  return dir;
}

/** Everything about a checkout that RFSN promises not to change. */
function checkoutState(dir: string) {
  return {
    status: run(dir, "status", "--porcelain=v1", "--untracked-files=all"),
    index: run(dir, "ls-files", "--stage"),
    refs: run(dir, "for-each-ref", "--format=%(refname) %(objectname)"),
    head: run(dir, "rev-parse", "HEAD"),
    symbolicHead: run(dir, "symbolic-ref", "HEAD"),
    math: readFileSync(join(dir, "src/math.js"), "utf8"),
  };
}

async function open(dir: string, includeUncommitted = true): Promise<SourceRepository> {
  const repository = await openRepository(dir, { includeUncommitted });
  opened.push(repository);
  return repository;
}

const fixDiff = [
  "diff --git a/src/math.js b/src/math.js",
  "--- a/src/math.js",
  "+++ b/src/math.js",
  "@@ -1,3 +1,3 @@",
  " export function add(a, b) {",
  "-  return a - b;",
  "+  return a + b;",
  " }",
  "",
].join("\n");

afterEach(async () => {
  await Promise.all(opened.splice(0).map((repository) => repository.dispose()));
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("openRepository on a git work tree", () => {
  it("puts uncommitted and untracked changes in the worktree and leaves the user's tree, index and refs alone", async () => {
    const dir = userRepository();
    write(dir, "README.md", "hello, edited\n");
    write(dir, "src/staged.js", "export const staged = true;\n");
    run(dir, "add", "src/staged.js");
    write(dir, "src/new.js", "export const fresh = 1;\n");
    write(dir, "debug.log", "ignored\n");
    const before = checkoutState(dir);
    const indexBytes = readFileSync(join(dir, ".git/index"));

    const repository = await open(dir);
    const worktree = await repository.createWorktree();
    expect(readFileSync(join(worktree.dir, "README.md"), "utf8")).toBe("hello, edited\n");
    expect(readFileSync(join(worktree.dir, "src/staged.js"), "utf8")).toContain("staged");
    expect(readFileSync(join(worktree.dir, "src/new.js"), "utf8")).toContain("fresh");
    expect(existsSync(join(worktree.dir, "debug.log"))).toBe(false);
    expect(repository.baseCommit).not.toBe(before.head.trim());
    expect(run(dir, "rev-parse", `${repository.baseCommit}^`)).toBe(before.head);
    expect(await worktree.currentDiff()).toBe("");

    expect(readFileSync(join(dir, ".git/index")).equals(indexBytes)).toBe(true);
    const during = checkoutState(dir);
    expect(during.status).toBe(before.status);
    expect(during.index).toBe(before.index);
    expect(during.head).toBe(before.head);
    expect(during.symbolicHead).toBe(before.symbolicHead);
    expect(during.refs.split("\n").filter((line) => !line.startsWith("refs/rfsn/"))).toEqual(
      before.refs.split("\n"),
    );

    await repository.dispose();
    expect(checkoutState(dir)).toEqual(before);
    expect(existsSync(worktree.dir)).toBe(false);
    expect(run(dir, "worktree", "list", "--porcelain").match(/^worktree /gm)).toHaveLength(1);
  });

  it("uses HEAD itself as the base when the working tree is clean or uncommitted work is left out", async () => {
    const dir = userRepository();
    const head = run(dir, "rev-parse", "HEAD").trim();
    expect((await open(dir)).baseCommit).toBe(head);
    write(dir, "README.md", "changed\n");
    const repository = await open(dir, false);
    expect(repository.baseCommit).toBe(head);
    const worktree = await repository.createWorktree();
    expect(readFileSync(join(worktree.dir, "README.md"), "utf8")).toBe("hello\n");
  });

  it("copies a project that lives in a subdirectory of a work tree, so its paths stay relative to it", async () => {
    const dir = userRepository();
    const repository = await open(join(dir, "src"));
    expect(repository.root).not.toBe(execFileSync("realpath", [dir], { encoding: "utf8" }).trim());
    expect(repository.historyRoot).toBeNull();
    const worktree = await repository.createWorktree();
    expect(
      readdirSync(worktree.dir)
        .filter((name) => name !== ".git")
        .sort(),
    ).toEqual(readdirSync(join(dir, "src")).sort());
  });

  it("names the user's work tree as the history to read for a project at its top", async () => {
    const dir = userRepository();
    const repository = await open(dir);
    expect(repository.historyRoot).toBe(execFileSync("realpath", [dir], { encoding: "utf8" }).trim());
  });

  it("refuses a repository without commits unless uncommitted work is included", async () => {
    const dir = tempDir("rfsn-empty-");
    run(dir, "init", "--quiet");
    write(dir, "a.txt", "a\n");
    await expect(openRepository(dir, { includeUncommitted: false })).rejects.toThrow(WorkspaceError);
    const repository = await open(dir);
    const worktree = await repository.createWorktree();
    expect(readFileSync(join(worktree.dir, "a.txt"), "utf8")).toBe("a\n");
  });

  it("links ignored dependency directories into worktrees and keeps them out of diffs, resets and disposal", async () => {
    const dir = userRepository();
    const repository = await open(dir);
    const worktree = await repository.createWorktree();
    const link = join(worktree.dir, "node_modules");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(link, "left-pad/index.js"), "utf8")).toContain("module.exports");
    expect(await worktree.currentDiff()).toBe("");
    await worktree.reset();
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    await worktree.dispose();
    expect(existsSync(join(dir, "node_modules/left-pad/index.js"))).toBe(true);
  });

  it("leaves an untracked node_modules out of the snapshot even when git does not ignore it", async () => {
    const dir = userRepository();
    write(dir, ".gitignore", "*.log\n");
    run(dir, "commit", "--quiet", "-am", "stop ignoring node_modules");
    write(dir, "src/new.js", "export const fresh = 1;\n");
    const repository = await open(dir);
    expect(run(dir, "ls-tree", "-r", "--name-only", repository.baseCommit)).not.toContain("node_modules");
    expect(run(dir, "ls-tree", "-r", "--name-only", repository.baseCommit)).toContain("src/new.js");
    const worktree = await repository.createWorktree();
    expect(lstatSync(join(worktree.dir, "node_modules")).isSymbolicLink()).toBe(true);
    expect(await worktree.currentDiff()).toBe("");
  });

  it("gives every worktree its own directory, even when several are made at once", async () => {
    const repository = await open(userRepository());
    const worktrees = await Promise.all([1, 2, 3].map(() => repository.createWorktree()));
    expect(new Set(worktrees.map((worktree) => worktree.dir)).size).toBe(3);
    await worktrees[0]?.applyDiff(fixDiff);
    expect(readFileSync(join(worktrees[1]?.dir ?? "", "src/math.js"), "utf8")).toContain("a - b");
    await repository.dispose();
    for (const worktree of worktrees) expect(existsSync(worktree.dir)).toBe(false);
    await expect(repository.createWorktree()).rejects.toThrow(WorkspaceError);
  });
});

describe("Worktree", () => {
  it("applies a good diff and reports it back as the current diff, new files included", async () => {
    const repository = await open(userRepository());
    const worktree = await repository.createWorktree();
    await worktree.applyDiff(fixDiff);
    await worktree.applyDiff("--- /dev/null\n+++ b/src/extra.js\n@@ -0,0 +1 @@\n+export const extra = 2;\n");
    expect(readFileSync(join(worktree.dir, "src/math.js"), "utf8")).toContain("a + b");
    const diff = await worktree.currentDiff();
    expect(diff).toContain("+  return a + b;");
    expect(diff).toContain("+++ b/src/extra.js");
    expect(diff).toContain("new file mode");
  });

  it("leaves files a test run wrote out of the current diff", async () => {
    const repository = await open(userRepository());
    const worktree = await repository.createWorktree();
    await worktree.applyDiff(fixDiff);
    writeFileSync(join(worktree.dir, "output.log"), "written by a test\n");
    const diff = await worktree.currentDiff();
    expect(diff).toContain("+  return a + b;");
    expect(diff).not.toContain("output.log");
  });

  it("reports edits it wrote in process exactly as git diff shows them, without running git", async () => {
    const repository = await open(userRepository());
    const worktree = await repository.createWorktree();
    await worktree.applyDiff(fixDiff);
    await worktree.applyDiff(
      "--- a/README.md\n+++ b/README.md\n@@ -1 +1,2 @@\n hello\n+world\n\\ No newline at end of file\n",
    );
    const fromGit = run(worktree.dir, "diff", "--no-color", "--src-prefix=a/", "--dst-prefix=b/", "HEAD")
      .split("\n")
      .filter((line) => !line.startsWith("index "))
      .join("\n");
    expect(await worktree.currentDiff()).toBe(fromGit);
  });

  it("applies a diff written without a/ and b/ prefixes", async () => {
    const repository = await open(userRepository());
    const worktree = await repository.createWorktree();
    await worktree.applyDiff(
      fixDiff.replace("diff --git a/src/math.js b/src/math.js\n", "").replaceAll(/[ab]\/src/g, "src"),
    );
    expect(readFileSync(join(worktree.dir, "src/math.js"), "utf8")).toContain("a + b");
  });

  it("throws PatchApplyError with git's message for a diff that does not apply, and changes nothing", async () => {
    const repository = await open(userRepository());
    const worktree = await repository.createWorktree();
    const stale = fixDiff.replace("-  return a - b;", "-  return a * b;");
    const error = await worktree.applyDiff(stale).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PatchApplyError);
    expect((error as Error).message).toMatch(/src\/math\.js/);
    expect(await worktree.currentDiff()).toBe("");
    await expect(worktree.applyDiff("not a diff at all\n")).rejects.toThrow(PatchApplyError);
  });

  it.each([
    ["a parent directory", "../escape.txt"],
    ["an absolute path", "/tmp/rfsn-escape.txt"],
    ["the .git directory", ".git/config"],
  ])("refuses a diff that reaches %s", async (_what, path) => {
    const repository = await open(userRepository());
    const worktree = await repository.createWorktree();
    const diff = `--- /dev/null\n+++ ${path.startsWith("/") ? path : `b/${path}`}\n@@ -0,0 +1 @@\n+owned\n`;
    await expect(worktree.applyDiff(diff)).rejects.toThrow(PathEscapeError);
    expect(await worktree.currentDiff()).toBe("");
  });

  it("refuses an absolute path even in a git-style diff", async () => {
    const repository = await open(userRepository());
    const worktree = await repository.createWorktree();
    const diff = "diff --git a/x b/x\n--- /dev/null\n+++ /etc/rfsn-x\n@@ -0,0 +1 @@\n+owned\n";
    await expect(worktree.applyDiff(diff)).rejects.toThrow(PathEscapeError);
  });

  it("refuses a diff that writes through a symlink pointing outside the worktree", async () => {
    const outside = tempDir("rfsn-outside-");
    const dir = userRepository();
    symlinkSync(outside, join(dir, "escape"));
    run(dir, "add", "escape");
    run(dir, "commit", "--quiet", "-m", "link");
    const repository = await open(dir);
    const worktree = await repository.createWorktree();
    const diff =
      "diff --git a/escape/pwned.txt b/escape/pwned.txt\nnew file mode 100644\n--- /dev/null\n+++ b/escape/pwned.txt\n@@ -0,0 +1 @@\n+owned\n";
    await expect(worktree.applyDiff(diff)).rejects.toThrow(PathEscapeError);
    await expect(
      worktree.applyDiff(
        "--- a/node_modules/left-pad/index.js\n+++ b/node_modules/left-pad/index.js\n@@ -1 +1 @@\n-module.exports = 1;\n+module.exports = 2;\n",
      ),
    ).rejects.toThrow(PathEscapeError);
    expect(existsSync(join(outside, "pwned.txt"))).toBe(false);
  });

  it("refuses a rename whose target leaves the worktree", async () => {
    const repository = await open(userRepository());
    const worktree = await repository.createWorktree();
    const diff =
      "diff --git a/README.md b/README.md\nsimilarity index 100%\nrename from README.md\nrename to ../../README.md\n";
    await expect(worktree.applyDiff(diff)).rejects.toThrow(PathEscapeError);
  });

  it("resets to the base, removing edits, new files and caches", async () => {
    const repository = await open(userRepository());
    const worktree = await repository.createWorktree();
    await worktree.applyDiff(fixDiff);
    write(worktree.dir, "scratch/output.txt", "junk\n");
    write(worktree.dir, "__pycache__/math.cpython-311.pyc", "bytes");
    await worktree.reset();
    expect(readFileSync(join(worktree.dir, "src/math.js"), "utf8")).toContain("a - b");
    expect(existsSync(join(worktree.dir, "scratch"))).toBe(false);
    expect(existsSync(join(worktree.dir, "__pycache__"))).toBe(false);
    expect(await worktree.currentDiff()).toBe("");
  });

  it("undoes its own edits by writing the files back when nothing else changed, keeping interpreter caches", async () => {
    const repository = await open(userRepository());
    const worktree = await repository.createWorktree();
    await worktree.applyDiff(fixDiff);
    await worktree.applyDiff(
      fixDiff.replace("-  return a - b;\n+  return a + b;", "-  return a + b;\n+  return b + a;"),
    );
    expect(readFileSync(join(worktree.dir, "src/math.js"), "utf8")).toContain("b + a");
    write(worktree.dir, "src/__pycache__/math.cpython-311.pyc", "bytes");
    await worktree.reset();
    expect(readFileSync(join(worktree.dir, "src/math.js"), "utf8")).toBe(
      "export function add(a, b) {\n  return a - b;\n}\n",
    );
    expect(existsSync(join(worktree.dir, "src/__pycache__"))).toBe(true);
    expect(existsSync(join(worktree.dir, "node_modules/left-pad/index.js"))).toBe(true);
    expect(await worktree.currentDiff()).toBe("");
  });

  it("is pristine until something besides interpreter caches changed", async () => {
    const repository = await open(userRepository());
    const worktree = await repository.createWorktree();
    expect(await worktree.isPristine()).toBe(true);
    write(worktree.dir, "src/__pycache__/math.cpython-311.pyc", "bytes");
    expect(await worktree.isPristine()).toBe(true);
    write(worktree.dir, ".flaky-marker", "seen");
    expect(await worktree.isPristine()).toBe(false);
    await worktree.reset();
    expect(await worktree.isPristine()).toBe(true);
    await worktree.applyDiff(fixDiff);
    expect(await worktree.isPristine()).toBe(false);
  });

  it("resets fully when a test run changed or deleted other tracked files or left ignored output", async () => {
    const repository = await open(userRepository());
    const worktree = await repository.createWorktree();
    for (const disturb of [
      () => write(worktree.dir, "README.md", "changed by a test\n"),
      () => rmSync(join(worktree.dir, "README.md")),
      () => write(worktree.dir, "run.log", "ignored output\n"),
    ]) {
      await worktree.applyDiff(fixDiff);
      disturb();
      await worktree.reset();
      expect(readFileSync(join(worktree.dir, "README.md"), "utf8")).toBe("hello\n");
      expect(existsSync(join(worktree.dir, "run.log"))).toBe(false);
      expect(readFileSync(join(worktree.dir, "src/math.js"), "utf8")).toContain("a - b");
    }
  });

  it("patches a file that is not UTF-8 without touching its other bytes, and resets it", async () => {
    const dir = userRepository();
    const original = Buffer.concat([Buffer.from("name\nx\ncaf"), Buffer.from([0xe9, 0x0a])]);
    writeFileSync(join(dir, "latin1.txt"), original);
    run(dir, "add", "latin1.txt");
    run(dir, "commit", "--quiet", "-m", "latin-1");
    const repository = await open(dir);
    const worktree = await repository.createWorktree();
    await worktree.applyDiff("--- a/latin1.txt\n+++ b/latin1.txt\n@@ -1,2 +1,2 @@\n-name\n+title\n x\n");
    expect(readFileSync(join(worktree.dir, "latin1.txt"))).toEqual(
      Buffer.concat([Buffer.from("title\nx\ncaf"), Buffer.from([0xe9, 0x0a])]),
    );
    await worktree.reset();
    expect(readFileSync(join(worktree.dir, "latin1.txt"))).toEqual(original);
  });

  it("leaves interpreter caches out of the current diff", async () => {
    const repository = await open(userRepository());
    const worktree = await repository.createWorktree();
    write(worktree.dir, "pkg/__pycache__/mod.cpython-311.pyc", "bytes");
    write(worktree.dir, ".pytest_cache/v/cache/lastfailed", "{}");
    expect(await worktree.currentDiff()).toBe("");
  });

  it("is removed by dispose even after a failed apply, and a second dispose is harmless", async () => {
    const dir = userRepository();
    const repository = await open(dir);
    const worktree = await repository.createWorktree();
    await expect(worktree.applyDiff(fixDiff.replace("a - b", "nope"))).rejects.toThrow(PatchApplyError);
    await worktree.dispose();
    await worktree.dispose();
    expect(existsSync(worktree.dir)).toBe(false);
    expect(run(dir, "worktree", "list", "--porcelain").match(/^worktree /gm)).toHaveLength(1);
  });
});

describe("openRepository on a plain directory", () => {
  it("snapshots the files into a temporary repository and links node_modules from the source", async () => {
    const dir = tempDir("rfsn-plain-");
    write(dir, "src/math.js", "export function add(a, b) {\n  return a - b;\n}\n");
    write(dir, "node_modules/dep/index.js", "module.exports = 1;\n");
    write(dir, "__pycache__/x.pyc", "bytes");
    const repository = await open(dir);
    expect(repository.root).not.toBe(dir);
    expect(await workTreeFacts(dir)).toBeNull();
    expect(run(repository.root, "ls-files")).toBe("src/math.js\n");
    const worktree = await repository.createWorktree();
    expect(lstatSync(join(worktree.dir, "node_modules")).isSymbolicLink()).toBe(true);
    await worktree.applyDiff(fixDiff);
    expect(readFileSync(join(dir, "src/math.js"), "utf8")).toContain("a - b");
    expect(await worktree.currentDiff()).toContain("+  return a + b;");
    await repository.dispose();
    expect(existsSync(repository.root)).toBe(false);
    expect(existsSync(join(dir, "node_modules/dep/index.js"))).toBe(true);
  });
});

describe("git helpers", () => {
  it("recognises repositories and their head commit", async () => {
    const dir = userRepository();
    expect(await headCommit(dir)).toBe(run(dir, "rev-parse", "HEAD").trim());
    const plain = tempDir("rfsn-nogit-");
    expect(await workTreeFacts(plain)).toBeNull();
    expect(await headCommit(plain)).toBeNull();
  });

  it("tells a work tree's root, index file and head from any directory inside it, with or without commits", async () => {
    const dir = userRepository();
    write(dir, "src/deep/file.js", "x\n");
    const facts = await workTreeFacts(join(dir, "src/deep"));
    expect(facts).toEqual({
      root: realpathSync(dir),
      indexFile: join(realpathSync(dir), ".git/index"),
      head: {
        commit: run(dir, "rev-parse", "HEAD").trim(),
        tree: run(dir, "rev-parse", "HEAD^{tree}").trim(),
      },
    });
    const empty = tempDir("rfsn-nocommits-");
    run(empty, "init", "--quiet");
    expect(await workTreeFacts(empty)).toEqual({
      root: realpathSync(empty),
      indexFile: join(realpathSync(empty), ".git/index"),
      head: null,
    });
  });

  it("lists top-level ignored entries only", async () => {
    const dir = userRepository();
    write(dir, "debug.log", "x\n");
    write(dir, "src/deep.log", "x\n");
    expect(await listIgnoredTopLevel(dir)).toEqual(["debug.log", "node_modules"]);
  });

  it("commits everything as the given author with a fixed committer, without running hooks", async () => {
    const dir = userRepository();
    write(dir, ".git/hooks/pre-commit", "#!/bin/sh\nexit 1\n");
    execFileSync("chmod", ["+x", join(dir, ".git/hooks/pre-commit")]);
    write(dir, "README.md", "new\n");
    const commit = await commitAll(dir, "rfsn: fix add", { name: "Ada", email: "ada@example.com" });
    expect(run(dir, "log", "-1", "--format=%an <%ae>|%cn|%s", commit).trim()).toBe(
      "Ada <ada@example.com>|rfsn|rfsn: fix add",
    );
    expect(run(dir, "status", "--porcelain")).toBe("");
  });

  it("creates branches and refuses invalid names", async () => {
    const dir = userRepository();
    await createBranch(dir, "rfsn/fix/abc-1");
    expect(run(dir, "rev-parse", "rfsn/fix/abc-1")).toBe(run(dir, "rev-parse", "HEAD"));
    expect(run(dir, "symbolic-ref", "HEAD").trim()).toBe("refs/heads/main");
    await expect(createBranch(dir, "bad..name")).rejects.toThrow(InvalidBranchNameError);
    await expect(createBranch(dir, "-x")).rejects.toThrow(InvalidBranchNameError);
  });

  it("finds the lines the recent commits added or changed, numbered as in HEAD", async () => {
    const dir = userRepository();
    expect((await changedLinesInRecentCommits(dir, 3)).size).toBe(0);
    write(dir, "src/math.js", "// math\nexport function add(a, b) {\n  return a - b;\n}\n");
    run(dir, "commit", "--quiet", "-am", "comment");
    write(
      dir,
      "src/math.js",
      "// math\nexport function add(a, b) {\n  return a - b - 0;\n}\nexport const two = 2;\n",
    );
    write(dir, "README.md", "");
    run(dir, "commit", "--quiet", "-am", "break");
    const lastOne = await changedLinesInRecentCommits(dir, 1);
    expect([...(lastOne.get("src/math.js") ?? [])].sort()).toEqual([3, 5]);
    expect(lastOne.get("README.md")).toEqual(new Set());
    const lastTwo = await changedLinesInRecentCommits(dir, 5);
    expect([...(lastTwo.get("src/math.js") ?? [])].sort()).toEqual([1, 3, 5]);
  });

  it("parses quoted paths and pure deletions in -U0 diffs", () => {
    const diff =
      '+++ "b/sp\\303\\251cial\\tname.py"\n@@ -4,2 +3,0 @@\n@@ -9 +8 @@\n+++ /dev/null\n@@ -1 +0,0 @@\n';
    expect(changedLinesFromDiff(diff)).toEqual(new Map([["spécial\tname.py", new Set([3, 8])]]));
    expect(unquoteGitPath("plain")).toBe("plain");
  });

  it("reads the paths of a diff and whether they carry prefixes", () => {
    expect(pathsInDiff(fixDiff)).toEqual({ paths: ["src/math.js"], strip: 1 });
    expect(pathsInDiff("--- src/a.py\n+++ src/a.py\n@@ -1 +1 @@\n--- not a header\n+++ nor this\n")).toEqual({
      paths: ["src/a.py"],
      strip: 0,
    });
    expect(pathsInDiff('diff --git "a/x y" "b/x y"\nnew file mode 100644\n').paths).toEqual(["x y"]);
  });
});
