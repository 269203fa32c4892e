// Fuzzes the gate: for any diff text it returns a verdict of a known type with a reason, quickly, and never throws.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createUnifiedDiff } from "../../src/core/diff.js";
import { defaultGateContext, gate } from "../../src/core/gate/index.js";
import { GATE_REJECTION_TYPES, type GateVerdict, type Phase, type Proposal } from "../../src/core/types.js";

const SEED = 99_001;

function proposal(diff: string, phase: Phase = "patch"): Proposal {
  return { id: "fuzz", diff, intent: "fix_bug", phase, origin: "llm", operator: "llm", rationale: "fuzz" };
}

function expectWellFormedVerdict(verdict: GateVerdict): void {
  if (verdict.accepted) {
    expect(verdict.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    return;
  }
  expect(GATE_REJECTION_TYPES).toContain(verdict.type);
  expect(typeof verdict.reason).toBe("string");
  expect(verdict.reason.length).toBeGreaterThan(3);
}

const PATHS = [
  "src/a.js",
  "src/a.py",
  "lib/util.ts",
  "scripts/run.sh",
  "README.md",
  ".github/workflows/ci.yml",
  "tests/test_a.py",
  "src/a.test.js",
  "../escape.js",
  "/etc/passwd",
  ".git/hooks/pre-commit",
  "a\\b.js",
  "src/caf\u00e9.js",
  "src/\u202egnp.js",
  "package.json",
  "src/sp ace.js",
  'src/"quoted".js',
];
const CODE = [
  "return a + b;",
  "if (x > 0) {",
  "}",
  "eval(code);",
  "exec(code)",
  "require('child_process').exec('id');",
  "fetch('http://x')",
  "process.env.GITHUB_TOKEN",
  "assert total == 3",
  "expect(sum(1, 2)).toBe(3);",
  "it.skip('x', () => {});",
  "@pytest.mark.skip",
  "npm test || true",
  "const key = 'sk-abcdefghijklmnopqrstuvwxyz012345';",
  "\u0000",
  "\r",
  "\u2028",
  "// comment",
  "# comment",
  "* ",
  "x = 1",
  "",
];
const lines = fc.array(fc.oneof(fc.constantFrom(...CODE), fc.string({ maxLength: 8 })), { maxLength: 12 });

describe("fuzzing the gate", () => {
  it("returns a well-formed verdict for any string, never throwing", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (diff) => {
        expectWellFormedVerdict(gate(proposal(diff), defaultGateContext()));
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });

  it("returns a well-formed verdict for random real diffs over risky paths and code, in any phase", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PATHS),
        lines,
        lines,
        fc.constantFrom<Phase>("reproduce", "localize", "patch", "verify"),
        (path, before, after, phase) => {
          const diff = createUnifiedDiff(path, `${before.join("\n")}\n`, `${after.join("\n")}\n`);
          expectWellFormedVerdict(gate(proposal(diff, phase), defaultGateContext()));
        },
      ),
      { seed: SEED + 1, numRuns: 2_000 },
    );
  });

  it("returns a well-formed verdict for diffs cut or corrupted at a random place", () => {
    const base = createUnifiedDiff("src/a.js", "a\nb\nc\nd\n", "a\nB\nc\nD\nE\n");
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: base.length }),
        fc.integer({ min: 0, max: base.length }),
        fc.string({ maxLength: 6 }),
        (cut, at, insert) => {
          const corrupted = `${base.slice(0, at)}${insert}${base.slice(at)}`.slice(
            0,
            Math.max(cut, 1) + insert.length,
          );
          expectWellFormedVerdict(gate(proposal(corrupted), defaultGateContext()));
        },
      ),
      { seed: SEED + 2, numRuns: 2_000 },
    );
  });

  it("passes a readFile/checkSyntax context through without throwing, even when they throw nothing useful", () => {
    fc.assert(
      fc.property(lines, lines, (before, after) => {
        const diff = createUnifiedDiff("src/a.js", `${before.join("\n")}\n`, `${after.join("\n")}\n`);
        const context = defaultGateContext({
          readFile: () => `${after.join("\n")}\n`,
          checkSyntax: (_path, content) =>
            content.includes("{") && !content.includes("}") ? "unclosed {" : null,
        });
        expectWellFormedVerdict(gate(proposal(diff), context));
      }),
      { seed: SEED + 3, numRuns: 1_000 },
    );
  });

  it("checks a 60-line diff of 20 000-character pathological lines in under two seconds (no ReDoS)", () => {
    const nasty = [
      `x = ["a"${' + "b"'.repeat(3_000)}`,
      `getattr(${"a, ".repeat(6_000)}`,
      `require(${"(".repeat(20_000)}`,
      `"${"A".repeat(20_000)}`,
      `${"\\x4".repeat(6_000)}`,
      `process.env[${"[".repeat(20_000)}`,
      `${"import(".repeat(3_000)}`,
      `os.environ[${" ".repeat(20_000)}`,
      `'${"a'".repeat(10_000)}`,
      `${"|| ".repeat(7_000)}`,
    ];
    const after = Array.from({ length: 60 }, (_, index) => nasty[index % nasty.length] ?? "").join("\n");
    const context = defaultGateContext({ limits: { maxFiles: 3, maxChangedLines: 1_000 } });
    for (const path of ["src/a.js", "src/a.py", "scripts/run.sh", "notes.txt"]) {
      const diff = createUnifiedDiff(path, "start\n", `start\n${after}\n`);
      const started = performance.now();
      expectWellFormedVerdict(gate(proposal(diff), context));
      expect(performance.now() - started, path).toBeLessThan(2_000);
    }
  });
});
