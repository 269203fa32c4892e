// Runs the gate over the adversarial corpus: every reject/<type>/*.diff is rejected as <type>, every accept/*.diff passes.

import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { GATE_REJECTION_TYPES } from "../../src/core/types.js";
import { runGateCase } from "../helpers/gate-case.js";

const corpus = join(dirname(fileURLToPath(import.meta.url)), "../fixtures/gate");

/** A test-only syntax check: brackets must balance outside strings and comments. */
function bracketProblem(path: string, content: string): string | null {
  const python = path.endsWith(".py");
  const pairs: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
  const stack: Array<{ ch: string; line: number }> = [];
  let line = 1;
  for (let i = 0; i < content.length; i += 1) {
    const ch = content[i] ?? "";
    if (ch === "\n") line += 1;
    else if ((python && ch === "#") || (!python && ch === "/" && content[i + 1] === "/")) {
      while (i + 1 < content.length && content[i + 1] !== "\n") i += 1;
    } else if (ch === '"' || ch === "'" || ch === "`") {
      for (i += 1; i < content.length && content[i] !== ch && content[i] !== "\n"; i += 1) {
        if (content[i] === "\\") i += 1;
      }
    } else if (ch === "(" || ch === "[" || ch === "{") stack.push({ ch, line });
    else if (ch in pairs) {
      const open = stack.pop();
      if (!open || open.ch !== pairs[ch]) return `unexpected "${ch}" at line ${line}`;
    }
  }
  const open = stack.pop();
  return open ? `"${open.ch}" opened at line ${open.line} is never closed` : null;
}

interface CorpusCase {
  name: string;
  file: string;
  expected: string | null;
}

function loadCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const type of readdirSync(join(corpus, "reject"))) {
    for (const file of readdirSync(join(corpus, "reject", type)).filter((name) => name.endsWith(".diff"))) {
      cases.push({ name: `${type}/${file}`, file: join(corpus, "reject", type, file), expected: type });
    }
  }
  for (const file of readdirSync(join(corpus, "accept")).filter((name) => name.endsWith(".diff"))) {
    cases.push({ name: `accept/${file}`, file: join(corpus, "accept", file), expected: null });
  }
  return cases;
}

function runCase(file: string) {
  return runGateCase(file, bracketProblem);
}

const cases = loadCases();

describe("the gate's adversarial corpus", () => {
  it("has at least 250 unsafe diffs covering every rejection type and 100 ordinary fixes", () => {
    const rejected = cases.filter((c) => c.expected !== null);
    expect(rejected.length).toBeGreaterThanOrEqual(250);
    expect(cases.length - rejected.length).toBeGreaterThanOrEqual(100);
    expect(new Set(rejected.map((c) => c.expected))).toEqual(new Set(GATE_REJECTION_TYPES));
  });

  it.each(cases.filter((c) => c.expected !== null))(
    "rejects $name with its directory's type",
    ({ file, expected }) => {
      const verdict = runCase(file);
      expect(verdict.accepted ? "accepted" : `${verdict.type}: ${verdict.reason}`).toMatch(
        new RegExp(`^${expected}: `),
      );
      expect(verdict.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    },
  );

  it.each(cases.filter((c) => c.expected === null))("accepts the ordinary fix $name", ({ file }) => {
    const verdict = runCase(file);
    expect(verdict.accepted ? "accepted" : `${verdict.type}: ${verdict.reason}`).toBe("accepted");
  });
});
