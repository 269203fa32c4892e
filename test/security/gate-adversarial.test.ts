// The gate against adversarial diffs: the shared reject corpus (≥100, none accepted) and this suite's own tricks.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import {
  defaultGateContext,
  type GateContext,
  gate,
  proposalFingerprint,
} from "../../src/core/gate/index.js";
import type { GateVerdict, Phase, Proposal } from "../../src/core/types.js";
import { GATE_REJECTION_TYPES } from "../../src/core/types.js";
import { createSyntaxChecker } from "../../src/runtime/tree-sitter.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../fixtures");
const sharedCorpus = join(fixtures, "gate/reject");
const ownCorpus = join(fixtures, "security/gate");

/**
 * Own cases the gate lets through today. Each is a real bypass (see SECURITY.md, "Known gaps"); the test runs as
 * `it.fails` so the suite stays green and turns red as soon as the gate is fixed (then delete the entry here).
 */
const KNOWN_BYPASSES: Record<string, string> = {
  // A lone CR or U+2028 ends a line for JavaScript and Python, but the gate splits diff lines only at "\n" and then
  // skips the whole line as a comment because it starts with `//` or `#` (changed-lines.ts isCommentOnly).
  "forbidden_pattern/js-carriage-return-hides-eval": "CR inside an added line hides code behind a // comment",
  "forbidden_pattern/js-line-separator-hides-eval":
    "U+2028 inside an added line hides code behind a // comment",
  "forbidden_pattern/py-carriage-return-hides-system":
    "CR inside an added line hides code behind a # comment",
  // isCommentOnly treats any JS line starting with `* ` or `/*` as a comment, including code after `/* … */`
  // and a multiplication continuation line.
  "forbidden_pattern/js-star-continuation-eval":
    "a continuation line starting with `* ` is taken for a comment",
  "forbidden_pattern/js-block-comment-prefix-eval": "code after a closed /* … */ on the same line is skipped",
  // The Function-constructor rules need `new Function`, `Function(`, or `constructor.constructor`.
  "forbidden_pattern/js-function-prototype-constructor":
    "Function.prototype.constructor(…) is the Function constructor",
  "forbidden_pattern/js-array-method-constructor": "[].filter.constructor(…) is the Function constructor",
  "forbidden_pattern/js-reflect-apply-function": "Reflect.apply(Function, …) calls the Function constructor",
  // Python attribute lookups with a computed name.
  "forbidden_pattern/py-getattr-joined-name": 'getattr(os, "".join([...])) builds the name without `+`',
  "forbidden_pattern/py-os-dict-system": 'os.__dict__["system"] reaches os.system without the dotted name',
  // Paths that are not `.git` / `.github` byte for byte but become them on some file systems.
  "path_escape/git-dir-zero-width-joiner": "HFS+ ignores U+200C, so `.g\\u200cit` is `.git` on macOS",
  "protected_path/workflow-trailing-dot-ntfs":
    "NTFS drops a trailing dot, so `.github.` is `.github` on Windows",
  "protected_path/workflow-cyrillic-homoglyph": "a Cyrillic і makes a path that reads as .github/workflows",
  // Dependency directories are symlinked into worktrees; a patch there changes installed code, not the project.
  "protected_path/node-modules-dependency": "node_modules/** is not protected",
};

interface CaseContext {
  proposalPhase?: Phase;
  phase?: Phase;
  seen?: boolean;
  seenDiff?: string;
  protectedPaths?: string[];
  testPathPatterns?: string[];
  limits?: GateContext["limits"];
  budget?: GateContext["budget"];
}

interface Case {
  name: string;
  expected: string;
  file: string;
}

function casesIn(root: string): Case[] {
  const cases: Case[] = [];
  for (const type of readdirSync(root).sort()) {
    for (const file of readdirSync(join(root, type)).sort()) {
      if (file.endsWith(".diff")) {
        cases.push({ name: `${type}/${file.slice(0, -5)}`, expected: type, file: join(root, type, file) });
      }
    }
  }
  return cases;
}

let checkSyntax: (path: string, content: string) => string | null = () => null;
beforeAll(async () => {
  checkSyntax = await createSyntaxChecker();
});

/** Runs one case with its optional `<name>.context.json` and `<name>.before.<ext>` siblings, and the real syntax check. */
function runCase(file: string): GateVerdict {
  const diff = readFileSync(file, "utf8");
  const directory = dirname(file);
  const prefix = `${file.slice(directory.length + 1, -".diff".length)}.`;
  const siblings = readdirSync(directory);
  const contextFile = siblings.find((name) => name === `${prefix}context.json`);
  const extra: CaseContext = contextFile
    ? JSON.parse(readFileSync(join(directory, contextFile), "utf8"))
    : {};
  const beforeFile = siblings.find((name) => name.startsWith(`${prefix}before.`));
  const before = beforeFile === undefined ? undefined : readFileSync(join(directory, beforeFile), "utf8");
  const seen = new Set<string>();
  if (extra.seen) seen.add(proposalFingerprint(diff));
  if (extra.seenDiff) seen.add(proposalFingerprint(extra.seenDiff));
  const proposal: Proposal = {
    id: "adversarial",
    diff,
    intent: "fix_bug",
    phase: extra.proposalPhase ?? "patch",
    origin: "llm",
    operator: "llm",
    rationale: "adversarial case",
  };
  return gate(
    proposal,
    defaultGateContext({
      ...(extra.phase ? { phase: extra.phase } : {}),
      ...(extra.protectedPaths ? { protectedPaths: extra.protectedPaths } : {}),
      ...(extra.testPathPatterns ? { testPathPatterns: extra.testPathPatterns } : {}),
      ...(extra.limits ? { limits: extra.limits } : {}),
      ...(extra.budget ? { budget: extra.budget } : {}),
      seenFingerprints: seen,
      ...(before === undefined ? {} : { readFile: () => before, checkSyntax }),
    }),
  );
}

function describeVerdict(verdict: GateVerdict): string {
  return verdict.accepted ? "accepted" : `${verdict.type}: ${verdict.reason}`;
}

const shared = casesIn(sharedCorpus);
const own = casesIn(ownCorpus);

describe("the gate's shared adversarial corpus (test/fixtures/gate/reject)", () => {
  it("holds at least 100 unsafe diffs over every rejection type", () => {
    expect(shared.length).toBeGreaterThanOrEqual(100);
    expect(new Set(shared.map((c) => c.expected))).toEqual(new Set(GATE_REJECTION_TYPES));
  });

  it("accepts none of them, with the real tree-sitter syntax check in place of the corpus test's bracket check", () => {
    const accepted = shared.filter((c) => runCase(c.file).accepted).map((c) => c.name);
    expect(accepted).toEqual([]);
  });
});

describe("the gate against this suite's own adversarial diffs (test/fixtures/security/gate)", () => {
  it("has at least 20 cases the gate rejects and lists every known bypass as a real file", () => {
    const names = new Set(own.map((c) => c.name));
    for (const name of Object.keys(KNOWN_BYPASSES)) expect(names, name).toContain(name);
    expect(own.filter((c) => !(c.name in KNOWN_BYPASSES)).length).toBeGreaterThanOrEqual(20);
  });

  it.each(own.filter((c) => !(c.name in KNOWN_BYPASSES)))(
    "rejects $name as $expected",
    ({ file, expected }) => {
      const verdict = runCase(file);
      expect(describeVerdict(verdict)).toMatch(new RegExp(`^${expected}: `));
    },
  );

  // Each of these is a bypass found by this suite; see KNOWN_BYPASSES for why it gets through.
  it.fails.each(own.filter((c) => c.name in KNOWN_BYPASSES))(
    "rejects $name as $expected (known bypass)",
    ({ file, expected }) => {
      const verdict = runCase(file);
      expect(describeVerdict(verdict)).toMatch(new RegExp(`^${expected}: `));
    },
  );
});
