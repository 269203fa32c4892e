// Measures what the sandbox costs: repair sessions on corpus bugs, sandbox on and off interleaved, median time to a plausible patch of each and their ratio.
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runRepairSession } from "../src/repair/session.js";
import { probeIsolation } from "../src/runtime/sandbox/isolation-probe.js";

const DEFAULT_BUGS = [
  "js-money-round",
  "js-email-validate",
  "js-semver-compare",
  "js-event-once",
  "py-median-even",
  "py-page-offset",
  "py-discount-threshold",
  "py-truncate-ellipsis",
  "ts-currency-format",
  "ts-interval-merge",
  "ts-breadcrumbs",
  "ts-result-unwrap",
];
const BUGS = process.argv[2]?.split(",").filter(Boolean) ?? DEFAULT_BUGS;
const ROUNDS = Number(process.argv[3] ?? 3);
const TIME_BUDGET_MS = 5 * 60_000;

/** The repository root: the first directory with bench/corpus above this script (source tree or dist/bench) or the working directory. */
function repositoryRoot(): string {
  for (const start of [dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    let dir = start;
    for (let level = 0; level < 5; level += 1) {
      if (existsSync(join(dir, "bench", "corpus"))) return dir;
      dir = dirname(dir);
    }
  }
  throw new Error("cannot find bench/corpus; run from the repository checkout");
}

/**
 * A node_modules like a fresh `npm ci` in CI: links to the repository's packages without the caches earlier test
 * runs left in it (a new one per copy, so that no session inherits the caches another one wrote).
 */
function freshDependencies(source: string, into: string): void {
  mkdirSync(into);
  for (const entry of readdirSync(source))
    if (![".cache", ".vite", ".vite-temp", ".vitest"].includes(entry))
      symlinkSync(join(source, entry), join(into, entry));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** One repair session on a fresh copy of the bug; the session's duration when it found a plausible patch, else null. */
async function timeToPlausible(root: string, id: string, sandbox: boolean): Promise<number | null> {
  const bugDir = join(root, "bench", "corpus", id);
  const bug = JSON.parse(readFileSync(join(bugDir, "bug.json"), "utf8")) as {
    testCommand: string;
    language: string;
  };
  const copy = mkdtempSync(join(tmpdir(), `rfsn-bench-sandbox-${id}-`));
  try {
    chmodSync(copy, 0o755);
    const dir = join(copy, "project");
    cpSync(join(bugDir, "project"), dir, { recursive: true });
    if (bug.language !== "python")
      freshDependencies(resolve(root, "node_modules"), join(dir, "node_modules"));
    const report = await runRepairSession({
      projectDir: dir,
      testCommand: bug.testCommand,
      timeBudgetMs: TIME_BUDGET_MS,
      maxIterations: 1_000,
      sandbox: sandbox ? {} : { maxLevel: "none", allowUnsandboxed: true },
    });
    if (sandbox && report.isolation?.level === "none") throw new Error("the sandbox did not turn on");
    return report.outcome === "fixed" ? report.durationMs : null;
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const root = repositoryRoot();
  const probe = probeIsolation();
  console.log(`isolation available: ${probe.level} (${probe.detail})`);
  if (probe.level === "none") throw new Error("no sandbox on this machine: nothing to compare");
  const on: number[] = [];
  const off: number[] = [];
  const ratios: number[] = [];
  const rows: string[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [index, id] of BUGS.entries()) {
      // Alternate which goes first, so that warming caches favours neither side.
      const order = (index + round) % 2 === 0 ? [true, false] : [false, true];
      const times = new Map<boolean, number | null>();
      for (const sandbox of order) times.set(sandbox, await timeToPlausible(root, id, sandbox));
      const withSandbox = times.get(true) ?? null;
      const without = times.get(false) ?? null;
      if (withSandbox !== null && without !== null) {
        on.push(withSandbox);
        off.push(without);
        ratios.push(withSandbox / without);
      }
      rows.push(
        `${id.padEnd(28)} sandbox on ${String(withSandbox ?? "no fix").padStart(7)} ms   off ${String(without ?? "no fix").padStart(7)} ms`,
      );
      console.log(rows.at(-1));
    }
  }
  const medianOn = median(on);
  const medianOff = median(off);
  console.log(
    `\n${on.length} sessions with a plausible patch both ways (${BUGS.length} bugs x ${ROUNDS} round(s))`,
  );
  console.log(
    `median time to plausible: sandbox on ${medianOn.toFixed(0)} ms, off ${medianOff.toFixed(0)} ms`,
  );
  console.log(`ratio of the medians on/off: ${(medianOn / medianOff).toFixed(3)} (target <= 1.10)`);
  // The same bug on and off, back to back: the paired ratio is less exposed to a machine whose load changes.
  console.log(`median of the paired ratios on/off: ${median(ratios).toFixed(3)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
