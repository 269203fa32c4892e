// The vitest adapter: run mode, default plus JSON reporter to a file, selection by file filter and `-t`, coverage via coverage-v8.
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import {
  createJsonReportRunner,
  fullNamePattern,
  type JsonReportRunnerSpec,
  jestSelection,
  optionsAndPositionals,
  scriptArgumentsStart,
} from "./jest-runner.js";
import { withoutOptions } from "./test-process.js";
import type { TestRunner } from "./types.js";

const VITEST_OWN_OPTIONS = new Set([
  "--reporter",
  "--outputFile",
  "--watch",
  "-w",
  "-t",
  "--testNamePattern",
  "--run",
]);
const VITEST_OWN_WITH_VALUE = new Set(["--reporter", "--outputFile", "-t", "--testNamePattern"]);
const VITEST_VALUE_OPTIONS = new Set([
  "-c",
  "--config",
  "--root",
  "-r",
  "--dir",
  "--project",
  "--pool",
  "--shard",
  "--environment",
]);
const SUBCOMMANDS = new Set(["run", "watch", "dev", "related"]);

const VITEST_SPEC: JsonReportRunnerSpec = {
  name: "vitest",
  split(argv) {
    const start = scriptArgumentsStart(argv);
    const rest = argv.slice(start);
    // `vitest`, `vitest watch` and `vitest dev` all become `vitest run`.
    const args = SUBCOMMANDS.has(rest[0] ?? "") && rest[0] !== "related" ? rest.slice(1) : rest;
    const subcommand = rest[0] === "related" ? [] : ["run"];
    return { command: [...argv.slice(0, start), ...subcommand], args };
  },
  clean(args) {
    return withoutOptions(args, VITEST_OWN_OPTIONS, VITEST_OWN_WITH_VALUE).filter(
      (word) => !word.startsWith("--outputFile.") && !word.startsWith("--reporter="),
    );
  },
  reporterArguments(reportPath) {
    return ["--reporter=default", "--reporter=json", `--outputFile.json=${reportPath}`];
  },
  selection(args, ids) {
    const { options } = optionsAndPositionals(args, VITEST_VALUE_OPTIONS);
    const { files, fullNames } = jestSelection(ids);
    return [...options, ...(fullNames.length > 0 ? ["-t", fullNamePattern(fullNames)] : []), ...files];
  },
  coverageArguments(dir) {
    // Vitest 4 reports only the files the tests loaded unless the project sets `coverage.include`; the reader drops
    // lines that did not run either way. Without reportOnFailure a run with a failing test writes no report.
    return [
      "--coverage.enabled=true",
      "--coverage.provider=v8",
      "--coverage.reporter=json",
      `--coverage.reportsDirectory=${dir}`,
      "--coverage.reportOnFailure=true",
    ];
  },
};

/** True when the V8 coverage provider vitest needs resolves from `projectDir` (the way vitest itself would load it). */
export function hasVitestCoverageProvider(projectDir: string): boolean {
  try {
    createRequire(join(resolve(projectDir), "package.json")).resolve("@vitest/coverage-v8");
    return true;
  } catch {
    return false;
  }
}

/** Per-test coverage (through `@vitest/coverage-v8`, mapped to the source files) only when the provider is installed. */
export function createVitestRunner(
  argv: string[],
  commandEnv: Record<string, string>,
  projectDir?: string,
): TestRunner {
  const coverage = projectDir !== undefined && hasVitestCoverageProvider(projectDir);
  return createJsonReportRunner(VITEST_SPEC, argv, commandEnv, coverage);
}
