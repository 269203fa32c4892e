// Measures gate() latency over ≥10,000 mixed proposals (the fixtures corpus plus generated variants); prints p50/p95/p99/max in µs.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createUnifiedDiff } from "../src/core/diff.js";
import { defaultGateContext, type GateContext, gate } from "../src/core/gate/index.js";
import type { Proposal } from "../src/core/types.js";

const TARGET_COUNT = 12_000;
const WARMUP_ROUNDS = 2_000;

/** Finds test/fixtures/gate above this script (source tree or dist/bench) or above the working directory. */
function corpusDir(): string {
  for (const start of [dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    let dir = start;
    for (let i = 0; i < 5; i += 1) {
      const candidate = join(dir, "test", "fixtures", "gate");
      if (existsSync(candidate)) return candidate;
      dir = dirname(dir);
    }
  }
  throw new Error("cannot find test/fixtures/gate; run from the repository checkout");
}

function corpusDiffs(root: string): string[] {
  const diffs: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".diff")) diffs.push(readFileSync(path, "utf8"));
    }
  };
  walk(root);
  return diffs;
}

/** A deterministic pseudo-random generator (mulberry32), so runs are comparable. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEMPLATES = [
  (n: number) =>
    `def f${n}(items):\n    total = 0\n    for i in range(len(items)):\n        total += items[i]\n    return total\n`,
  (n: number) =>
    `export function f${n}(list) {\n  let best = list[0];\n  for (let i = 1; i < list.length; i++) {\n    if (list[i] > best) best = list[i];\n  }\n  return best;\n}\n`,
  (n: number) =>
    `export function g${n}(user: { name?: string }): string {\n  const name = user.name ?? "";\n  return name.slice(0, 10).trim();\n}\n`,
];
const EDITS: Array<[string, string]> = [
  ["range(len(items))", "range(len(items) - 1)"],
  ["total += items[i]", "total -= items[i]"],
  ["i < list.length", "i <= list.length"],
  ["list[i] > best", "list[i] >= best"],
  ["slice(0, 10)", "slice(0, 11)"],
  ["return total", "return total or 0"],
  ["return best;", "return best ?? null;"],
  ['user.name ?? ""', 'user.name || ""'],
];

function generatedDiffs(count: number, next: () => number): string[] {
  const diffs: string[] = [];
  while (diffs.length < count) {
    const n = diffs.length;
    const template = TEMPLATES[n % TEMPLATES.length] ?? TEMPLATES[0];
    if (!template) break;
    const padding = "# filler line\n".repeat(Math.floor(next() * 40));
    const before = padding + template(n);
    const applicable = EDITS.filter(([from]) => before.includes(from));
    const [from, to] = applicable[Math.floor(next() * applicable.length)] ?? ["", ""];
    const extension = n % 3 === 0 ? "py" : n % 3 === 1 ? "js" : "ts";
    diffs.push(createUnifiedDiff(`src/module_${n}.${extension}`, before, before.replace(from, to)));
  }
  return diffs;
}

/** Variants of corpus diffs: the same change moved to other lines and other directories. */
function shiftedVariant(diff: string, next: () => number): string {
  const shift = 1 + Math.floor(next() * 200);
  return diff
    .replace(
      /^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@/gm,
      (_all, a, b, c, d) => `@@ -${Number(a) + shift}${b ?? ""} +${Number(c) + shift}${d ?? ""} @@`,
    )
    .replace(/^(---|\+\+\+) ([ab])\/src\//gm, (_all, marker, side) => `${marker} ${side}/lib/v${shift}/`)
    .replace(
      /^diff --git a\/src\/(\S+) b\/src\//gm,
      (_all, rest) => `diff --git a/lib/v${shift}/${rest} b/lib/v${shift}/`,
    );
}

function percentile(sorted: readonly bigint[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Number(sorted[Math.max(0, index)] ?? 0n) / 1000;
}

function main(): void {
  const next = random(20_240_601);
  const corpus = corpusDiffs(corpusDir());
  const diffs: string[] = [...corpus];
  while (diffs.length < TARGET_COUNT / 2) {
    for (const diff of corpus) diffs.push(shiftedVariant(diff, next));
  }
  diffs.push(...generatedDiffs(TARGET_COUNT - diffs.length, next));

  const seen = new Set<string>();
  const proposals: Proposal[] = diffs.map((diff, index) => ({
    id: `p${index}`,
    diff,
    intent: "fix_bug",
    phase: "patch",
    origin: index % 2 === 0 ? "operator" : "llm",
    operator: "binary_operator",
    rationale: "bench",
  }));
  const contexts: GateContext[] = [
    defaultGateContext({ seenFingerprints: seen }),
    defaultGateContext({
      seenFingerprints: seen,
      protectedPaths: ["docs/**", "src/generated/**"],
      budget: { candidatesLeft: 100, deadlineMs: Date.now() + 60_000, nowMs: Date.now() },
    }),
  ];

  let sink = 0;
  for (let i = 0; i < WARMUP_ROUNDS; i += 1) {
    const proposal = proposals[i % proposals.length];
    if (proposal && gate(proposal, contexts[i % contexts.length] ?? (contexts[0] as GateContext)).accepted)
      sink += 1;
  }

  const timings: bigint[] = [];
  const verdictCounts = new Map<string, number>();
  for (let i = 0; i < proposals.length; i += 1) {
    const proposal = proposals[i] as Proposal;
    const context = contexts[i % contexts.length] as GateContext;
    const started = process.hrtime.bigint();
    const verdict = gate(proposal, context);
    timings.push(process.hrtime.bigint() - started);
    if (verdict.fingerprint) seen.add(verdict.fingerprint);
    const key = verdict.accepted ? "accepted" : verdict.type;
    verdictCounts.set(key, (verdictCounts.get(key) ?? 0) + 1);
    if (verdict.accepted) sink += 1;
  }
  timings.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const p50 = percentile(timings, 50);
  const p95 = percentile(timings, 95);
  const p99 = percentile(timings, 99);
  const max = Number(timings[timings.length - 1] ?? 0n) / 1000;
  const lines = [
    `gate latency over ${timings.length} proposals (${corpus.length} corpus diffs, shifted variants, generated fixes; ${sink} accepted incl. warm-up)`,
    `verdicts: ${[...verdictCounts]
      .sort((a, b) => b[1] - a[1])
      .map(([type, count]) => `${type}=${count}`)
      .join(" ")}`,
    `p50 ${p50.toFixed(1)} µs  p95 ${p95.toFixed(1)} µs  p99 ${p99.toFixed(1)} µs  max ${max.toFixed(1)} µs`,
    `p95 < 1 ms: ${p95 < 1000 ? "yes" : "NO"}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  if (p95 >= 1000) process.exitCode = 1;
}

main();
