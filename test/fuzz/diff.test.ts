// Fuzzes the unified-diff parser and the create → parse → apply round trip on random texts.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyFilePatch,
  createUnifiedDiff,
  DiffParseError,
  type FilePatch,
  PatchMismatchError,
  parseUnifiedDiff,
} from "../../src/core/diff.js";

const SEED = 7_331;

const DIFF_LINES = [
  "diff --git a/src/a.js b/src/a.js",
  'diff --git "a/sp ace.js" "b/sp ace.js"',
  "diff --git a/x",
  "index 83db48f..bf269f4 100644",
  "new file mode 100644",
  "deleted file mode 100644",
  "new mode 100755",
  "similarity index 90%",
  "rename from src/a.js",
  "rename to src/b.js",
  "--- a/src/a.js",
  "+++ b/src/a.js",
  "--- /dev/null",
  "+++ /dev/null",
  '--- "a/caf\\303\\251.js"',
  "@@ -1 +1 @@",
  "@@ -1,3 +1,3 @@",
  "@@ -0,0 +1,2 @@",
  "@@ -5,2 +5,0 @@ function f() {",
  "@@ -x +y @@",
  "@@",
  " context",
  "-removed",
  "+added",
  "+",
  "-",
  " ",
  "",
  "\\ No newline at end of file",
  "Binary files a/i.png and b/i.png differ",
  "GIT binary patch",
  "literal 5",
  "-- ",
  "```diff",
  "```",
];

const diffLike = fc
  .tuple(
    fc.array(
      fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...DIFF_LINES) }, fc.string({ maxLength: 10 })),
      {
        maxLength: 30,
      },
    ),
    fc.constantFrom("\n", "\r\n"),
  )
  .map(([lines, eol]) => lines.join(eol));

function expectPatchesOrParseError(text: string): void {
  let patches: FilePatch[];
  try {
    patches = parseUnifiedDiff(text);
  } catch (error) {
    if (!(error instanceof DiffParseError)) {
      throw new Error(`parseUnifiedDiff threw ${(error as Error)?.name}: ${(error as Error)?.message}`);
    }
    expect(error.message.length).toBeGreaterThan(10);
    expect(error.line).toBeGreaterThanOrEqual(0);
    return;
  }
  for (const patch of patches) {
    expect(
      patch.oldPath !== null || patch.newPath !== null || patch.isBinary || patch.hunks.length === 0,
    ).toBe(true);
    for (const hunk of patch.hunks) {
      for (const line of hunk.lines) expect([" ", "+", "-"]).toContain(line[0]);
      const oldCount = hunk.lines.filter((line) => line[0] !== "+").length;
      const newCount = hunk.lines.filter((line) => line[0] !== "-").length;
      expect(oldCount).toBe(hunk.oldLines);
      expect(newCount).toBe(hunk.newLines);
    }
  }
}

/** Texts built from a small alphabet of lines, so that random before/after pairs share lines (and hunks get context). */
function textArbitrary(endings: readonly string[]) {
  const line = fc.constantFrom(
    "a",
    "b",
    "c",
    "",
    "  indented",
    "if (x) {",
    "}",
    "return 1;",
    "ä ü 😀",
    "\t tab",
  );
  return fc
    .tuple(
      fc.array(line, { maxLength: 25 }),
      fc.constantFrom(...endings),
      fc.boolean(), // final newline
    )
    .map(([lines, eol, finalNewline]) => {
      if (lines.length === 0) return "";
      return lines.join(eol) + (finalNewline ? eol : "");
    });
}

function roundTrip(before: string, after: string, context: number): void {
  const diff = createUnifiedDiff("src/file.txt", before, after, context);
  if (before === after) {
    expect(diff).toBe("");
    return;
  }
  const patches = parseUnifiedDiff(diff);
  expect(patches).toHaveLength(1);
  const [patch] = patches;
  if (!patch) throw new Error("no patch");
  expect(patch.oldPath).toBe("src/file.txt");
  expect(patch.newPath).toBe("src/file.txt");
  expect(applyFilePatch(before, patch)).toBe(after);
}

describe("fuzzing the unified-diff parser", () => {
  it("returns consistent patches or throws DiffParseError for random diff-like text", () => {
    fc.assert(fc.property(diffLike, expectPatchesOrParseError), { seed: SEED, numRuns: 4_000 });
  });

  it("returns patches or throws DiffParseError for arbitrary unicode text", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 300 }), expectPatchesOrParseError), {
      seed: SEED + 1,
      numRuns: 2_000,
    });
  });

  it("round-trips create → parse → apply on random LF texts with any context size", () => {
    const text = textArbitrary(["\n"]);
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 5 }), (before, after, context) =>
        roundTrip(before, after, context),
      ),
      { seed: SEED + 2, numRuns: 2_000 },
    );
  });

  it("round-trips create → parse → apply on random CRLF texts whose old version has a line break", () => {
    const text = textArbitrary(["\r\n"]);
    fc.assert(
      fc.property(
        text.filter((value) => value.includes("\r\n")),
        text,
        (before, after) => roundTrip(before, after, 3),
      ),
      { seed: SEED + 3, numRuns: 1_000 },
    );
  });

  // Was a bug: parseUnifiedDiff stripped the CR of every hunk line and applyFilePatch took the line ending from the
  // old text, so createUnifiedDiff("f", "", "a\r\na") applied to "a\na". Hunk lines now keep a CR that is content.
  it("round-trips CRLF lines added to an empty file", () => {
    roundTrip("", "a\r\na", 3);
  });

  it("round-trips create → parse → apply on random texts that mix LF, CRLF and lone CR line by line", () => {
    const line = fc.constantFrom("a", "b", "x = 1", "", " ", "c\r", "\rd", "}");
    const mixed = fc.array(fc.tuple(line, fc.constantFrom("\n", "\r\n")), { maxLength: 12 }).chain((pairs) =>
      fc.boolean().map((finalNewline) => {
        const text = pairs.map(([content, eol]) => content + eol).join("");
        const last = pairs[pairs.length - 1];
        return finalNewline || !last ? text : text.slice(0, -last[1].length);
      }),
    );
    fc.assert(
      fc.property(mixed, mixed, fc.integer({ min: 0, max: 3 }), (before, after, context) =>
        roundTrip(before, after, context),
      ),
      { seed: SEED + 7, numRuns: 1_500 },
    );
  });

  it("round-trips new files and deletions", () => {
    const text = textArbitrary(["\n"]).filter((value) => value !== "");
    fc.assert(
      fc.property(text, (content) => {
        const [created] = parseUnifiedDiff(createUnifiedDiff("src/new.txt", null, content));
        expect(created?.isNew).toBe(true);
        expect(applyFilePatch("", created as FilePatch)).toBe(content);
        const [deleted] = parseUnifiedDiff(createUnifiedDiff("src/old.txt", content, null));
        expect(deleted?.isDeleted).toBe(true);
        expect(applyFilePatch(content, deleted as FilePatch)).toBe("");
      }),
      { seed: SEED + 4, numRuns: 500 },
    );
  });

  it("applies a patch to the wrong text only by throwing PatchMismatchError", () => {
    const text = textArbitrary(["\n"]);
    fc.assert(
      fc.property(text, text, text, (before, after, other) => {
        const diff = createUnifiedDiff("src/file.txt", before, after);
        if (diff === "") return;
        const [patch] = parseUnifiedDiff(diff);
        try {
          expect(typeof applyFilePatch(other, patch as FilePatch)).toBe("string");
        } catch (error) {
          expect(error).toBeInstanceOf(PatchMismatchError);
          expect((error as Error).message).toContain("src/file.txt");
        }
      }),
      { seed: SEED + 5, numRuns: 1_500 },
    );
  });

  // The lines two texts share at their ends are found by comparing characters in chunks; long texts cross chunks.
  it("puts a one-line change of a long text in one hunk at that line, with `context` lines around it", () => {
    const lines = fc.array(fc.constantFrom("a", "b", "", "  x = 1;", "}", "ä 😀", "return y;"), {
      minLength: 30,
      maxLength: 120,
    });
    fc.assert(
      fc.property(
        lines,
        fc.nat(),
        fc.constantFrom("changed", "", "a"),
        fc.boolean(),
        fc.integer({ min: 0, max: 4 }),
        (body, pick, replacement, finalNewline, context) => {
          // A last line with text: an empty one without a line break would not be a line at all.
          const all = [...body, "end"];
          const at = pick % body.length;
          if (all[at] === replacement) return;
          const join = (items: string[]) => items.join("\n") + (finalNewline ? "\n" : "");
          const before = join(all);
          const after = join(all.map((line, index) => (index === at ? replacement : line)));
          const [patch] = parseUnifiedDiff(createUnifiedDiff("src/long.js", before, after, context));
          expect(patch?.hunks).toHaveLength(1);
          const [hunk] = patch?.hunks ?? [];
          const above = Math.min(at, context);
          const below = Math.min(all.length - 1 - at, context);
          expect(hunk?.oldStart).toBe(at + 1 - above);
          expect(hunk?.oldLines).toBe(above + 1 + below);
          expect(applyFilePatch(before, patch as FilePatch)).toBe(after);
        },
      ),
      { seed: SEED + 8, numRuns: 2_000 },
    );
  });

  it("diffs two 20 000-line files that share nothing in under two seconds", () => {
    const before = Array.from({ length: 20_000 }, (_, index) => `old ${index}`).join("\n");
    const after = Array.from({ length: 20_000 }, (_, index) => `new ${index}`).join("\n");
    const started = performance.now();
    const [patch] = parseUnifiedDiff(createUnifiedDiff("big.txt", before, after));
    expect(applyFilePatch(before, patch as FilePatch)).toBe(after);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
