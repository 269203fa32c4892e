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
 *
 * Fixed so far (now ordinary cases below): CR / U+2028 hiding code behind a comment (rejected as a hidden line break),
 * code after a leading block comment or on a `* ` continuation line, the Function constructor reached through
 * `.constructor(…)`, `Function.prototype.constructor` or `Reflect.apply`, Python's `getattr(os, "".join(…))` and
 * `os.__dict__[…]`, `.git`/`.github` written with U+200C, a trailing dot or a Cyrillic letter, and `node_modules/**`.
 */
const KNOWN_BYPASSES: Record<string, string> = {};

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
  const bypasses = own.filter((c) => c.name in KNOWN_BYPASSES);
  if (bypasses.length > 0)
    it.fails.each(bypasses)("rejects $name as $expected (known bypass)", ({ file, expected }) => {
      const verdict = runCase(file);
      expect(describeVerdict(verdict)).toMatch(new RegExp(`^${expected}: `));
    });
});
