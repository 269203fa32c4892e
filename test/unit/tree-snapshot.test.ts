// Checks TreeSnapshot against a real directory: what counts as a change, what is skipped, and the size limit.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TreeSnapshot } from "../../src/runtime/tree-snapshot.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), "rfsn-snapshot-"));
  dirs.push(dir);
  mkdirSync(join(dir, "src/deep"), { recursive: true });
  writeFileSync(join(dir, "src/a.js"), "one\n");
  writeFileSync(join(dir, "src/deep/b.js"), "two\n");
  writeFileSync(join(dir, "README.md"), "hello\n");
  return dir;
}

const skipCaches = (path: string) => path.split("/").includes("__pycache__");
const none = new Set<string>();

describe("TreeSnapshot", () => {
  it("sees no change in an untouched tree, and ignores skipped entries and excepted files", async () => {
    const dir = tree();
    const snapshot = await TreeSnapshot.take(dir, skipCaches, 100);
    expect(await snapshot?.changedBesides(none)).toBe(false);
    mkdirSync(join(dir, "src/__pycache__"));
    writeFileSync(join(dir, "src/__pycache__/a.pyc"), "bytes");
    writeFileSync(join(dir, "src/a.js"), "edited\n");
    expect(await snapshot?.changedBesides(new Set(["src/a.js"]))).toBe(false);
    expect(await snapshot?.changedBesides(none)).toBe(true);
    writeFileSync(join(dir, "src/a.js"), "one\n");
    await snapshot?.restamp(["src/a.js"]);
    expect(await snapshot?.changedBesides(none)).toBe(false);
  });

  it.each([
    ["a new file deep down", (dir: string) => writeFileSync(join(dir, "src/deep/new.txt"), "x")],
    ["a new directory", (dir: string) => mkdirSync(join(dir, "out"))],
    ["a removed file", (dir: string) => rmSync(join(dir, "src/deep/b.js"))],
    ["a removed directory", (dir: string) => rmSync(join(dir, "src/deep"), { recursive: true })],
    [
      "a later rewrite of the same size",
      (dir: string) => {
        writeFileSync(join(dir, "README.md"), "HELLO\n");
        // File times tick in steps of a few ms: a rewrite this soon may keep the time a test run's would not.
        utimesSync(join(dir, "README.md"), new Date(Date.now() + 1_000), new Date(Date.now() + 1_000));
      },
    ],
  ])("notices %s", async (_what, change) => {
    const dir = tree();
    const snapshot = await TreeSnapshot.take(dir, skipCaches, 100);
    change(dir);
    expect(await snapshot?.changedBesides(none)).toBe(true);
  });

  it("declines a tree with more entries than the limit", async () => {
    expect(await TreeSnapshot.take(tree(), skipCaches, 4)).toBeNull();
    expect(await TreeSnapshot.take(tree(), skipCaches, 5)).not.toBeNull();
  });
});
