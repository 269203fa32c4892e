// Unit tests for unified diff parsing, creation (minimal Myers hunks that git accepts) and application.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  applyFilePatch,
  changedLineCount,
  createUnifiedDiff,
  DiffParseError,
  type FilePatch,
  PatchMismatchError,
  parseUnifiedDiff,
  touchedPaths,
} from "../../src/core/diff.js";

/** Text from a small alphabet of shared lines mixed with rarer lines that often exist on one side only. */
const lineText = fc.oneof(
  fc.constantFrom("a", "b", "c", "d", "e", "", "  x", "}", "return 1;"),
  fc.integer({ min: 0, max: 60 }).map((n) => `line ${n}`),
);
const text = fc
  .tuple(fc.array(lineText, { maxLength: 30 }), fc.boolean())
  .map(([lines, trailingNewline]) =>
    lines.length === 0 ? "" : lines.join("\n") + (trailingNewline ? "\n" : ""),
  );

function only(patches: FilePatch[]): FilePatch {
  expect(patches).toHaveLength(1);
  const [patch] = patches;
  if (!patch) throw new Error("no patch");
  return patch;
}

function splitLines(value: string): string[] {
  return value === "" ? [] : (value.match(/[^\n]*\n|[^\n]+$/g) ?? []);
}

function lcsLength(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j += 1) {
      const saved = row[j] ?? 0;
      row[j] = a[i - 1] === b[j - 1] ? diagonal + 1 : Math.max(row[j] ?? 0, row[j - 1] ?? 0);
      diagonal = saved;
    }
  }
  return row[b.length] ?? 0;
}

describe("createUnifiedDiff", () => {
  it("returns an empty string when nothing changed", () => {
    expect(createUnifiedDiff("a.py", "x\n", "x\n")).toBe("");
  });

  it("writes git-style headers and a hunk with three lines of context", () => {
    const before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
    const after = "1\n2\n3\n4\nFIVE\n6\n7\n8\n9\n";
    expect(createUnifiedDiff("src/n.js", before, after)).toBe(
      [
        "diff --git a/src/n.js b/src/n.js",
        "--- a/src/n.js",
        "+++ b/src/n.js",
        "@@ -2,7 +2,7 @@",
        " 2",
        " 3",
        " 4",
        "-5",
        "+FIVE",
        " 6",
        " 7",
        " 8",
        "",
      ].join("\n"),
    );
  });

  it("splits distant changes into separate hunks and merges close ones", () => {
    const before = `${Array.from({ length: 30 }, (_, i) => `line ${i}`).join("\n")}\n`;
    const farApart = before.replace("line 2\n", "LINE 2\n").replace("line 25\n", "LINE 25\n");
    const close = before.replace("line 2\n", "LINE 2\n").replace("line 8\n", "LINE 8\n");
    expect(only(parseUnifiedDiff(createUnifiedDiff("f", before, farApart))).hunks).toHaveLength(2);
    expect(only(parseUnifiedDiff(createUnifiedDiff("f", before, close))).hunks).toHaveLength(1);
  });

  it("marks a missing newline at the end of either side", () => {
    const diff = createUnifiedDiff("f.txt", "a\nb", "a\nc\n");
    expect(diff).toContain("-b\n\\ No newline at end of file\n+c\n");
    expect(applyFilePatch("a\nb", only(parseUnifiedDiff(diff)))).toBe("a\nc\n");
  });

  it("describes new and deleted files with /dev/null", () => {
    const created = createUnifiedDiff("pkg/new.py", null, "x = 1\n");
    expect(created).toContain(
      "new file mode 100644\n--- /dev/null\n+++ b/pkg/new.py\n@@ -0,0 +1 @@\n+x = 1\n",
    );
    const patch = only(parseUnifiedDiff(created));
    expect(patch).toMatchObject({ oldPath: null, newPath: "pkg/new.py", isNew: true, isDeleted: false });
    expect(applyFilePatch("", patch)).toBe("x = 1\n");

    const deleted = only(parseUnifiedDiff(createUnifiedDiff("old.py", "a\nb\n", null)));
    expect(deleted).toMatchObject({ oldPath: "old.py", newPath: null, isDeleted: true });
    expect(applyFilePatch("a\nb\n", deleted)).toBe("");
  });

  it("round-trips random edits: create, parse, apply gives the new text", () => {
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 4 }), (before, after, context) => {
        const diff = createUnifiedDiff("f.txt", before, after, context);
        if (before === after) {
          expect(diff).toBe("");
          return;
        }
        expect(applyFilePatch(before, only(parseUnifiedDiff(diff)))).toBe(after);
      }),
      { numRuns: 400 },
    );
  });

  it("produces minimal hunks: removed plus added lines equal the LCS distance", () => {
    fc.assert(
      fc.property(text, text, (before, after) => {
        const a = splitLines(before);
        const b = splitLines(after);
        const distance = a.length + b.length - 2 * lcsLength(a, b);
        const diff = createUnifiedDiff("f", before, after);
        expect(diff === "" ? 0 : changedLineCount(parseUnifiedDiff(diff))).toBe(distance);
      }),
      { numRuns: 400 },
    );
  });

  describe("against git apply", () => {
    const dir = mkdtempSync(join(tmpdir(), "rfsn-diff-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("applies cleanly with git apply for random edits", () => {
      let run = 0;
      fc.assert(
        fc.property(text, text, (before, after) => {
          if (before === after) return;
          run += 1;
          const name = `file${run}.txt`;
          writeFileSync(join(dir, name), before);
          writeFileSync(join(dir, "change.patch"), createUnifiedDiff(name, before, after));
          execFileSync("git", ["apply", "--unsafe-paths", "change.patch"], { cwd: dir, stdio: "pipe" });
          expect(readFileSync(join(dir, name), "utf8")).toBe(after);
        }),
        { numRuns: 40 },
      );
    });
  });

  it("diffs two completely different large files quickly", () => {
    const before = `${Array.from({ length: 20_000 }, (_, i) => `old ${i}`).join("\n")}\n`;
    const after = `${Array.from({ length: 20_000 }, (_, i) => `new ${i}`).join("\n")}\n`;
    const started = performance.now();
    const diff = createUnifiedDiff("f", before, after);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(changedLineCount(parseUnifiedDiff(diff))).toBe(40_000);
  });

  it("keeps hunks small for a one-line change in a large file", () => {
    const before = `${Array.from({ length: 5000 }, (_, i) => `value_${i % 50} = ${i}`).join("\n")}\n`;
    const after = before.replace("value_7 = 2507\n", "value_7 = 2508\n");
    const diff = createUnifiedDiff("big.py", before, after);
    expect(changedLineCount(parseUnifiedDiff(diff))).toBe(2);
    expect(diff.split("\n")).toHaveLength(3 + 1 + 8 + 1);
  });
});

describe("parseUnifiedDiff", () => {
  it("returns no patches for an empty diff", () => {
    expect(parseUnifiedDiff("")).toEqual([]);
    expect(parseUnifiedDiff("\n  \n")).toEqual([]);
  });

  it("reads a plain unified diff with timestamps and no a/ b/ prefixes", () => {
    const patch = only(
      parseUnifiedDiff(
        "--- calc.py\t2024-01-01 10:00:00\n+++ calc.py\t2024-01-02 10:00:00\n@@ -1,2 +1,2 @@\n def add(a, b):\n-    return a - b\n+    return a + b\n",
      ),
    );
    expect(patch.oldPath).toBe("calc.py");
    expect(patch.newPath).toBe("calc.py");
    expect(patch.hunks[0]).toEqual({
      oldStart: 1,
      oldLines: 2,
      newStart: 1,
      newLines: 2,
      lines: [" def add(a, b):", "-    return a - b", "+    return a + b"],
    });
  });

  it("reads several git-style files with preamble, renames and mode lines", () => {
    const diff = [
      "From 1234 Mon Sep 17 00:00:00 2001",
      "Subject: [PATCH] fix",
      "",
      "diff --git a/old name.js b/new name.js",
      "similarity index 90%",
      "rename from old name.js",
      "rename to new name.js",
      "index 1111111..2222222 100644",
      "--- a/old name.js",
      "+++ b/new name.js",
      "@@ -1 +1 @@",
      "-x",
      "+y",
      "diff --git a/run.sh b/run.sh",
      "old mode 100644",
      "new mode 100755",
      "diff --git a/moved.txt b/elsewhere/moved.txt",
      "similarity index 100%",
      "rename from moved.txt",
      "rename to elsewhere/moved.txt",
      "-- ",
      "2.43.0",
      "",
    ].join("\n");
    const patches = parseUnifiedDiff(diff);
    expect(patches.map((p) => [p.oldPath, p.newPath, p.hunks.length])).toEqual([
      ["old name.js", "new name.js", 1],
      ["run.sh", "run.sh", 0],
      ["moved.txt", "elsewhere/moved.txt", 0],
    ]);
    expect(touchedPaths(patches)).toEqual([
      "old name.js",
      "new name.js",
      "run.sh",
      "moved.txt",
      "elsewhere/moved.txt",
    ]);
    expect(changedLineCount(patches)).toBe(2);
  });

  it("marks both kinds of binary patches", () => {
    const patches = parseUnifiedDiff(
      [
        "diff --git a/logo.png b/logo.png",
        "index 1111111..2222222 100644",
        "Binary files a/logo.png and b/logo.png differ",
        "diff --git a/blob.bin b/blob.bin",
        "new file mode 100644",
        "index 0000000..3333333",
        "GIT binary patch",
        "literal 12",
        "TcmZQzWMXDvWn*Ds;b00u0$Bk8",
        "",
        "literal 0",
        "HcmV?d00001",
        "",
        "Binary files /dev/null and b/other.bin differ",
      ].join("\n"),
    );
    expect(patches.map((p) => [p.oldPath, p.newPath, p.isBinary, p.isNew])).toEqual([
      ["logo.png", "logo.png", true, false],
      [null, "blob.bin", true, true],
      [null, "other.bin", true, true],
    ]);
    expect(() => applyFilePatch("", patches[0] as FilePatch)).toThrow(PatchMismatchError);
  });

  it("tolerates CRLF line endings in the diff and keeps them in the file", () => {
    const diff = "--- a/w.txt\r\n+++ b/w.txt\r\n@@ -1,2 +1,2 @@\r\n one\r\n-two\r\n+TWO\r\n";
    const patch = only(parseUnifiedDiff(diff));
    expect(patch.hunks[0]?.lines).toEqual([" one", "-two", "+TWO"]);
    expect(applyFilePatch("one\r\ntwo\r\n", patch)).toBe("one\r\nTWO\r\n");
    expect(applyFilePatch("one\ntwo\n", patch)).toBe("one\nTWO\n");
  });

  it("keeps the CR of hunk lines from git's diff of a CRLF file, and applies it to CRLF or LF copies alike", () => {
    const diff = "--- a/w.txt\n+++ b/w.txt\n@@ -1,2 +1,2 @@\n one\r\n-two\r\n+TWO\r\n";
    const patch = only(parseUnifiedDiff(diff));
    expect(patch.hunks[0]?.lines).toEqual([" one\r", "-two\r", "+TWO\r"]);
    expect(applyFilePatch("one\r\ntwo\r\n", patch)).toBe("one\r\nTWO\r\n");
    expect(applyFilePatch("one\ntwo\n", patch)).toBe("one\nTWO\r\n");
  });

  it("gives lines added by an LF patch the line ending of a uniformly CRLF file", () => {
    const patch = only(
      parseUnifiedDiff("--- a/w.txt\n+++ b/w.txt\n@@ -1,2 +1,3 @@\n one\n-two\n+TWO\n+three\n"),
    );
    expect(applyFilePatch("one\r\ntwo\r\n", patch)).toBe("one\r\nTWO\r\nthree\r\n");
    expect(
      applyFilePatch("one\r\ntwo\nx\n", only(parseUnifiedDiff("--- a/w\n+++ b/w\n@@ -2 +2 @@\n-two\n+2\n"))),
    ).toBe("one\r\n2\nx\n");
  });

  it("reads quoted file names with C escapes", () => {
    const patch = only(
      parseUnifiedDiff(
        'diff --git "a/caf\\303\\251.txt" "b/caf\\303\\251.txt"\n--- "a/caf\\303\\251.txt"\n+++ "b/caf\\303\\251.txt"\n@@ -1 +1 @@\n-a\n+b\n',
      ),
    );
    expect(patch.newPath).toBe("café.txt");
  });

  it("treats an empty line inside a hunk as an empty context line", () => {
    const patch = only(parseUnifiedDiff("--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n\n-c\n+C\n"));
    expect(applyFilePatch("a\n\nc\n", patch)).toBe("a\n\nC\n");
  });

  it("rejects text that is not a diff, naming the problem", () => {
    expect(() => parseUnifiedDiff("hello world\nthis is prose\n")).toThrow(/not a unified diff/);
  });

  it("rejects a hunk whose counts claim more lines than it has, with the line number", () => {
    const error = (() => {
      try {
        parseUnifiedDiff("--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n");
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(DiffParseError);
    expect((error as DiffParseError).line).toBe(3);
    expect((error as DiffParseError).message).toMatch(/ends early/);
  });

  it("rejects a hunk whose counts claim fewer lines than it has", () => {
    expect(() => parseUnifiedDiff("--- a/f\n+++ b/f\n@@ -1,1 +1,1 @@\n-a\n+b\n+c\n")).toThrow(
      /line counts are too small|does not fit/,
    );
  });

  it("rejects a hunk before any file header and a garbled hunk header", () => {
    expect(() => parseUnifiedDiff("@@ -1 +1 @@\n-a\n+b\n")).toThrow(/before any/);
    expect(() => parseUnifiedDiff("--- a/f\n+++ b/f\n@@ -x +1 @@\n")).toThrow(/malformed hunk header/);
  });
});

describe("applyFilePatch", () => {
  const before = "def f(x):\n    if x > 0:\n        return 1\n    return 0\n";

  it("applies a hunk that drifted a few lines down", () => {
    const diff = createUnifiedDiff("f.py", before, before.replace("x > 0", "x >= 0"));
    const shifted = `# header\n# another\n${before}`;
    expect(applyFilePatch(shifted, only(parseUnifiedDiff(diff)))).toBe(
      `# header\n# another\n${before.replace("x > 0", "x >= 0")}`,
    );
  });

  it("throws PatchMismatchError naming the file when the context is not there", () => {
    const diff = createUnifiedDiff("f.py", before, before.replace("return 1", "return 2"));
    expect(() => applyFilePatch("something else\n", only(parseUnifiedDiff(diff)))).toThrow(
      /f\.py: hunk 1 .* does not match/,
    );
  });

  it("refuses to create a file that already has content", () => {
    expect(() => applyFilePatch("x\n", only(parseUnifiedDiff(createUnifiedDiff("n", null, "y\n"))))).toThrow(
      /already exists/,
    );
  });

  it("leaves the end of the file alone when the hunk does not reach it", () => {
    const source = "a\nb\nc\nd\ne\nf\ng\nh\ni";
    const patch = only(parseUnifiedDiff("--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-a\n+A\n b\n"));
    expect(applyFilePatch(source, patch)).toBe("A\nb\nc\nd\ne\nf\ng\nh\ni");
  });
});
