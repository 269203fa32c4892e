// Measures fresh test runs against a kept-alive (warm) test process on corpus projects' failing tests (pytest, vitest, node:test); prints ms per run.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCommandLine } from "../src/core/command-line.js";
import { createTestRunner } from "../src/runtime/test-runners/index.js";

const CASES = process.argv[2]?.split(",") ?? ["py-page-offset", "ts-currency-format", "js-event-once"];
const RUNS = Number(process.argv[3] ?? 20);
const TIMEOUT_MS = 60_000;

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

function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return `mean ${mean.toFixed(0)} ms, median ${median.toFixed(0)} ms, min ${sorted[0]} ms, max ${sorted.at(-1)} ms`;
}

/** Cold and warm runs of one corpus bug's failing tests, interleaved, then warm runs back to back. */
async function measure(root: string, corpusId: string): Promise<void> {
  const corpusCase = join(root, "bench", "corpus", corpusId);
  const bug = JSON.parse(readFileSync(join(corpusCase, "bug.json"), "utf8")) as {
    testCommand: string;
    language: string;
  };
  const dir = mkdtempSync(join(tmpdir(), "rfsn-bench-warm-"));
  try {
    cpSync(join(corpusCase, "project"), dir, { recursive: true });
    if (bug.language !== "python")
      symlinkSync(resolve(root, "node_modules"), join(dir, "node_modules"), "dir");
    const { argv, env } = parseCommandLine(bug.testCommand);
    const runner = createTestRunner({ projectDir: dir, argv, env });
    const baseline = await runner.run({ cwd: dir, timeoutMs: TIMEOUT_MS });
    const failing = baseline.tests.filter((test) => test.status === "failed").map((test) => test.id);
    if (failing.length === 0 || !runner.startWarmSession)
      throw new Error(`${corpusId}: no failing tests or no warm session`);
    const session = runner.startWarmSession(dir);
    const cold: number[] = [];
    const warm: number[] = [];
    const backToBack: number[] = [];
    const summary = (tests: typeof baseline.tests) =>
      JSON.stringify(tests.map((t) => [t.id, t.status, t.message, t.frames]));
    let firstWarmMs = 0;
    try {
      firstWarmMs = (await session.run({ testIds: failing, timeoutMs: TIMEOUT_MS })).durationMs;
      let coldSummary = "";
      for (let run = 0; run < RUNS; run += 1) {
        const coldRun = await runner.run({ cwd: dir, timeoutMs: TIMEOUT_MS, testIds: failing });
        const warmRun = await session.run({ testIds: failing, timeoutMs: TIMEOUT_MS });
        coldSummary = summary(coldRun.tests);
        if (coldSummary !== summary(warmRun.tests))
          throw new Error(`run ${run}: warm and cold results differ`);
        cold.push(coldRun.durationMs);
        warm.push(warmRun.durationMs);
      }
      // The engine may ask again as soon as a run ends: then the next run's worker has had no time to start early.
      for (let run = 0; run < RUNS; run += 1) {
        const warmRun = await session.run({ testIds: failing, timeoutMs: TIMEOUT_MS });
        if (summary(warmRun.tests) !== coldSummary)
          throw new Error(`back-to-back run ${run}: results differ`);
        backToBack.push(warmRun.durationMs);
      }
    } finally {
      session.close();
    }
    console.log(
      `${corpusId}: ${failing.length} failing test(s), ${RUNS} cold and ${RUNS} warm runs, interleaved`,
    );
    console.log(`cold: ${stats(cold)}`);
    console.log(`warm: ${stats(warm)}`);
    console.log(`warm, ${RUNS} runs back to back: ${stats(backToBack)}`);
    console.log(`first warm run, start-up included: ${firstWarmMs} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const root = repositoryRoot();
for (const corpusCase of CASES) await measure(root, corpusCase);
