// The fake GitHub's git object store: blobs, trees and commits hashed exactly as git hashes them, importable from and
// exportable to a real local repository.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";

export type TreeItemType = "blob" | "tree" | "commit";

export interface TreeItem {
  mode: string;
  type: TreeItemType;
  sha: string;
}

export interface GitPerson {
  name: string;
  email: string;
  /** ISO 8601, seconds precision, UTC (`2026-12-07T13:00:00Z`). */
  date: string;
}

export interface CommitObject {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  author: GitPerson;
  committer: GitPerson;
}

function hashObject(type: string, body: Buffer): string {
  return createHash("sha1")
    .update(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]))
    .digest("hex");
}

/** Git sorts tree entries by name, comparing a subtree's name as if it ended in "/". */
function treeOrder(a: [string, TreeItem], b: [string, TreeItem]): number {
  const left = Buffer.from(a[1].type === "tree" ? `${a[0]}/` : a[0]);
  const right = Buffer.from(b[1].type === "tree" ? `${b[0]}/` : b[0]);
  return Buffer.compare(left, right);
}

function treeBody(entries: Map<string, TreeItem>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, item] of [...entries].sort(treeOrder)) {
    const mode = item.type === "tree" ? "40000" : item.mode.replace(/^0+/, "");
    parts.push(Buffer.from(`${mode} ${name}\0`), Buffer.from(item.sha, "hex"));
  }
  return Buffer.concat(parts);
}

function gitDate(iso: string): string {
  return `${Math.floor(Date.parse(iso) / 1000)} +0000`;
}

function commitBody(commit: Omit<CommitObject, "sha">): Buffer {
  const lines = [`tree ${commit.tree}`, ...commit.parents.map((parent) => `parent ${parent}`)];
  lines.push(`author ${commit.author.name} <${commit.author.email}> ${gitDate(commit.author.date)}`);
  lines.push(
    `committer ${commit.committer.name} <${commit.committer.email}> ${gitDate(commit.committer.date)}`,
  );
  return Buffer.from(`${lines.join("\n")}\n\n${commit.message}`);
}

export class GitObjects {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, Map<string, TreeItem>>();
  readonly commits = new Map<string, CommitObject>();

  putBlob(content: Buffer | string): string {
    const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8");
    const sha = hashObject("blob", bytes);
    this.blobs.set(sha, bytes);
    return sha;
  }

  putTree(entries: Map<string, TreeItem>): string {
    const sha = hashObject("tree", treeBody(entries));
    this.trees.set(sha, new Map(entries));
    return sha;
  }

  /** Builds the nested trees of a flat `path → item` listing (blobs and submodule links) and returns the root tree. */
  treeFromPaths(items: Map<string, TreeItem>): string {
    const root = new Map<string, unknown>();
    for (const [path, item] of items) {
      const segments = path.split("/");
      let directory = root;
      for (const segment of segments.slice(0, -1)) {
        let next = directory.get(segment);
        if (!(next instanceof Map)) {
          next = new Map<string, unknown>();
          directory.set(segment, next);
        }
        directory = next as Map<string, unknown>;
      }
      directory.set(segments[segments.length - 1] ?? path, item);
    }
    const build = (directory: Map<string, unknown>): string => {
      const entries = new Map<string, TreeItem>();
      for (const [name, value] of directory) {
        if (value instanceof Map) entries.set(name, { mode: "040000", type: "tree", sha: build(value) });
        else entries.set(name, value as TreeItem);
      }
      return this.putTree(entries);
    };
    return build(root);
  }

  /** Every entry under a tree with its full path; `withTrees` adds the directories themselves (as `?recursive=1` does). */
  listTree(treeSha: string, withTrees = false, prefix = ""): Array<{ path: string } & TreeItem> {
    const entries = this.trees.get(treeSha);
    if (!entries) return [];
    const listed: Array<{ path: string } & TreeItem> = [];
    for (const [name, item] of [...entries].sort(treeOrder)) {
      const path = `${prefix}${name}`;
      if (item.type === "tree") {
        if (withTrees) listed.push({ path, ...item });
        listed.push(...this.listTree(item.sha, withTrees, `${path}/`));
      } else listed.push({ path, ...item });
    }
    return listed;
  }

  /** The flat `path → item` listing of a tree (no directory entries). */
  pathsOf(treeSha: string): Map<string, TreeItem> {
    return new Map(this.listTree(treeSha).map(({ path, ...item }) => [path, item]));
  }

  /** Text of every blob of a tree (symbolic links give their target; submodules are left out). */
  filesOf(treeSha: string): Map<string, string> {
    const files = new Map<string, string>();
    for (const [path, item] of this.pathsOf(treeSha)) {
      if (item.type === "blob")
        files.set(path, (this.blobs.get(item.sha) ?? Buffer.alloc(0)).toString("utf8"));
    }
    return files;
  }

  /** Stores a commit; its sha is git's own unless `sha` is given (for commits the fake invents without git's hashing). */
  putCommit(commit: Omit<CommitObject, "sha">, sha = hashObject("commit", commitBody(commit))): string {
    this.commits.set(sha, { ...commit, sha });
    return sha;
  }

  /** True when `ancestor` is `commit` or reachable from it through parents. */
  isAncestor(ancestor: string, commit: string): boolean {
    const seen = new Set<string>();
    const queue = [commit];
    while (queue.length > 0) {
      const next = queue.pop() ?? "";
      if (next === ancestor) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.commits.get(next)?.parents ?? []));
    }
    return false;
  }

  /**
   * Copies a commit and its history from a local git repository (`gitDir`: a `.git` directory or a bare repository),
   * keeping git's shas. Checks that the trees it rebuilds hash to git's own tree ids.
   */
  importFromGit(gitDir: string, commitish: string): string {
    const git = (args: string[], input?: Buffer) =>
      execFileSync("git", ["--git-dir", gitDir, ...args], { input, maxBuffer: 256 * 1024 * 1024 });
    const head = git(["rev-parse", "--verify", `${commitish}^{commit}`])
      .toString()
      .trim();
    const history = git(["rev-list", "--reverse", "--parents", head]).toString().trim().split("\n");
    for (const line of history) {
      const [sha = "", ...parents] = line.split(" ");
      if (this.commits.has(sha)) continue;
      const listing = git(["ls-tree", "-r", "-z", "--full-tree", sha])
        .toString("utf8")
        .split("\0")
        .filter(Boolean);
      const items = new Map<string, TreeItem>();
      for (const entry of listing) {
        const match = /^(\d+) (blob|commit) ([0-9a-f]{40})\t(.*)$/s.exec(entry);
        if (!match) continue;
        const [, mode = "", type = "blob", objectSha = "", path = ""] = match;
        if (type === "blob" && !this.blobs.has(objectSha))
          this.blobs.set(objectSha, git(["cat-file", "blob", objectSha]));
        items.set(path, { mode, type: type as TreeItemType, sha: objectSha });
      }
      const tree = this.treeFromPaths(items);
      const gitTree = git(["rev-parse", `${sha}^{tree}`])
        .toString()
        .trim();
      if (tree !== gitTree)
        throw new Error(`fake-github rebuilt tree ${tree} for ${sha}, git has ${gitTree}`);
      const format = git([
        "show",
        "-s",
        "--format=%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B",
        sha,
      ]).toString("utf8");
      const [an = "", ae = "", ad = "", cn = "", ce = "", cd = "", message = ""] = format.split("\0");
      const iso = (date: string) => new Date(date).toISOString().replace(/\.\d{3}Z$/, "Z");
      this.putCommit(
        {
          tree,
          parents,
          message,
          author: { name: an, email: ae, date: iso(ad) },
          committer: { name: cn, email: ce, date: iso(cd) },
        },
        sha,
      );
    }
    return head;
  }

  /** Writes a commit the fake made (and its trees and blobs) into a local git repository; returns git's id for it. */
  exportToGit(gitDir: string, commitSha: string): string {
    const write = (type: string, body: Buffer) =>
      execFileSync("git", ["--git-dir", gitDir, "hash-object", "-w", "-t", type, "--stdin"], { input: body })
        .toString()
        .trim();
    const writeTree = (treeSha: string): string => {
      const entries = this.trees.get(treeSha) ?? new Map<string, TreeItem>();
      for (const item of entries.values()) {
        if (item.type === "tree") writeTree(item.sha);
        else if (item.type === "blob") write("blob", this.blobs.get(item.sha) ?? Buffer.alloc(0));
      }
      return write("tree", treeBody(entries));
    };
    const commit = this.commits.get(commitSha);
    if (!commit) throw new Error(`fake-github has no commit ${commitSha}`);
    writeTree(commit.tree);
    return write("commit", commitBody(commit));
  }
}
