// `rfsn bench <corpus-dir>`: repairs every bug of a corpus and prints a table (or JSON) with totals.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_CONFIG } from "../../core/config/schema.js";
import { type BenchBugResult, type BenchTotals, benchmarkBug, benchTotals } from "../../repair/benchmark.js";
import { loadCorpus } from "../../repair/benchmark-corpus.js";
import { openOutcomeMemory } from "../../store/memory-file.js";
import { positiveInteger } from "../arguments.js";
import { LLM_FLAG_OPTIONS, LLM_HELP, LLM_USAGE, llmFlags, llmProposerFactory } from "../llm-flags.js";
import type { CliIo } from "../output.js";

export const BENCH_USAGE = `usage: rfsn bench <corpus-dir> [--json] [--time-budget SECONDS] [--jobs N] [--only id,id] [--memory DB] [--passes 1|2]
                  ${LLM_USAGE}`;

export const BENCH_HELP = `${BENCH_USAGE}

Repairs every bug of a corpus (one folder per bug) and prints a table, or JSON, with the totals.

  --json                  print JSON instead of the table
  --time-budget SECONDS   budget of each repair (default 120)
  --jobs N                candidates validated at the same time
  --only id,id            repair only these bugs
  --memory DB             outcome memory file shared by the passes
  --passes N              run the corpus N times (pass 2 shows what the memory learned)
${LLM_HELP}`;

/** The node_modules of RFSN itself, linked into JS/TS corpus projects so their test tools resolve. */
function ownNodeModules(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i += 1) {
    const candidate = join(dir, "node_modules");
    if (existsSync(join(candidate, "vitest"))) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

function table(results: readonly BenchBugResult[], totals: BenchTotals): string {
  const header = ["bug", "lang", "outcome", "operator", "tried", "runs", "time s", "× suite"];
  const rows = results.map((r) => [
    r.id,
    r.language,
    r.outcome,
    r.operator ?? "-",
    String(r.candidatesTried),
    String(r.testRuns),
    seconds(r.durationMs),
    r.suiteRunMs > 0 ? (r.durationMs / r.suiteRunMs).toFixed(1) : "-",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    "",
    `bugs ${totals.bugs}: correct ${totals.correct} (${pct(totals.correctRate)}), plausible ${totals.plausible} (${pct(totals.plausibleRate)}), failed ${totals.failed}`,
    `candidates tried ${totals.candidatesTried}, total time ${seconds(totals.durationMs)} s, median time to a plausible patch ${totals.medianRunsToPlausible ?? "-"}× one full test run, runs over budget ${totals.overBudget}`,
  ].join("\n");
}

export async function runBenchCommand(args: string[], io: CliIo): Promise<number> {
  let values: {
    json?: boolean;
    "time-budget"?: string;
    jobs?: string;
    only?: string;
    memory?: string;
    passes?: string;
    llm?: string;
    "llm-model"?: string;
    "llm-base-url"?: string;
    help?: boolean;
  };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: "boolean" },
        "time-budget": { type: "string" },
        jobs: { type: "string" },
        only: { type: "string" },
        memory: { type: "string" },
        passes: { type: "string" },
        help: { type: "boolean", short: "h" },
        ...LLM_FLAG_OPTIONS,
      },
    }));
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${BENCH_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(BENCH_HELP);
    return 0;
  }
  const corpusDir = positionals[0];
  if (!corpusDir) {
    io.stderr(`rfsn bench: missing <corpus-dir> (a folder with one sub-folder per bug)\n${BENCH_USAGE}`);
    return 2;
  }
  const passes = positiveInteger(values.passes, "--passes") ?? 1;
  const timeBudgetMs = (positiveInteger(values["time-budget"], "--time-budget") ?? 120) * 1000;
  const jobs = positiveInteger(values.jobs, "--jobs");
  const bugs = await loadCorpus(
    resolve(corpusDir),
    values.only?.split(",").map((id) => id.trim()),
  );
  if (bugs.length === 0) {
    io.stderr(`rfsn bench: no bugs found in ${corpusDir}`);
    return 2;
  }
  const memory = values.memory ? openOutcomeMemory(values.memory) : undefined;
  const nodeModulesDir = ownNodeModules();
  const llm = llmProposerFactory(
    DEFAULT_CONFIG.llm,
    llmFlags(values),
    memory ? { cacheDatabase: memory.database } : {},
  );
  if (llm.note) io.stderr(`rfsn bench: ${llm.note}`);
  const passResults: Array<{ results: BenchBugResult[]; totals: BenchTotals }> = [];
  try {
    for (let pass = 1; pass <= passes; pass += 1) {
      const results: BenchBugResult[] = [];
      for (const bug of bugs) {
        const result = await benchmarkBug(bug, {
          timeBudgetMs,
          ...(jobs ? { jobs } : {}),
          ...(memory ? { memory: memory.memory } : {}),
          ...(nodeModulesDir ? { nodeModulesDir } : {}),
          proposers: llm.create(),
        });
        results.push(result);
        io.stderr(
          `rfsn bench: pass ${pass} ${bug.id}: ${result.outcome} in ${seconds(result.durationMs)} s (${result.candidatesTried} tried)`,
        );
      }
      passResults.push({ results, totals: benchTotals(results) });
    }
  } finally {
    memory?.close();
  }
  const first = passResults[0];
  const last = passResults.at(-1);
  if (!first || !last) return 2;
  const learning =
    passResults.length > 1
      ? {
          candidatesRatio: Number(
            (last.totals.candidatesTried / Math.max(1, first.totals.candidatesTried)).toFixed(3),
          ),
          timeRatio: Number((last.totals.durationMs / Math.max(1, first.totals.durationMs)).toFixed(3)),
        }
      : undefined;
  if (values.json) {
    io.stdout(
      JSON.stringify({
        bugs: last.results,
        totals: last.totals,
        ...(passResults.length > 1 ? { passes: passResults.map((p) => p.totals), learning } : {}),
      }),
    );
  } else {
    passResults.forEach((p, i) => {
      if (passResults.length > 1) io.stdout(`\npass ${i + 1}`);
      io.stdout(table(p.results, p.totals));
    });
    if (learning) {
      io.stdout(
        `\nlearning: pass 2 tried ${learning.candidatesRatio}× the candidates and took ${learning.timeRatio}× the time of pass 1`,
      );
    }
  }
  return 0;
}
