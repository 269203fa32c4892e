// Measures cold vs warm pytest runs of a corpus bug's failing tests (on a copy of its project); prints ms per run.
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { splitCommandLine } from "../src/runtime/command-line.js";
import { createTestRunner, type TestRunnerResult } from "../src/runtime/test-runners/index.js";

const RUNS = Number(process.env.RUNS ?? 20);
const TIMEOUT_MS = 60_000;

async function averageMs(runs: number, run: () => Promise<TestRunnerResult>): Promise<number> {
  const started = performance.now();
  for (let round = 0; round < runs; round += 1) {
    const result = await run();
    if (result.setupError) throw new Error(`run ${round} could not run the tests: ${result.setupError}`);
  }
  return (performance.now() - started) / runs;
}

async function main(): Promise<void> {
  const bugDir = resolve(process.argv[2] ?? "bench/corpus/py-page-offset");
  const bug = JSON.parse(await readFile(join(bugDir, "bug.json"), "utf8")) as { testCommand: string };
  const dir = await mkdtemp(join(tmpdir(), "rfsn-bench-warm-"));
  try {
    await cp(join(bugDir, "project"), dir, { recursive: true });
    const runner = createTestRunner({ projectDir: dir, argv: splitCommandLine(bug.testCommand) });
    const baseline = await runner.run({ cwd: dir, timeoutMs: TIMEOUT_MS });
    const testIds = baseline.tests.filter((test) => test.status === "failed").map((test) => test.id);
    const warm = runner.startWarmSession?.(dir);
    if (!warm) throw new Error(`the ${runner.name} runner has no warm session`);
    try {
      const first = performance.now();
      await warm.run({ testIds, timeoutMs: TIMEOUT_MS });
      const firstWarmMs = performance.now() - first;
      const cold = await averageMs(RUNS, () => runner.run({ cwd: dir, testIds, timeoutMs: TIMEOUT_MS }));
      const warmMs = await averageMs(RUNS, () => warm.run({ testIds, timeoutMs: TIMEOUT_MS }));
      process.stdout.write(
        `${testIds.length} failing tests, ${RUNS} runs each: cold ${cold.toFixed(0)} ms/run, warm ${warmMs.toFixed(0)} ms/run ` +
          `(first warm run ${firstWarmMs.toFixed(0)} ms), ${(cold / warmMs).toFixed(1)}x\n`,
      );
    } finally {
      warm.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
