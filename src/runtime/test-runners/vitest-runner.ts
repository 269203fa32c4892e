// The vitest adapter: run mode, default plus JSON reporter to a file, selection by file filter and `-t`, coverage via coverage-v8.
import { createRequire } from "node:module";
import { basename, join, resolve } from "node:path";
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
import { startVitestWarmSession, type VitestWarmCommand } from "./vitest-warm.js";

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

const NODE_COMMAND = /(^|\/)node(js)?$/;
const VITEST_COMMAND = /^vitest(\.m?js)?$/;
const VITEST_PACKAGE_FILE = /(^|\/)node_modules\/vitest\//;

/**
 * What a warm session needs from the cold command, or undefined when the command is not plainly `vitest [run]`
 * (`vitest related`, or a command forced to the vitest adapter that does not start vitest).
 */
export function vitestWarmCommand(
  argv: string[],
  env: Record<string, string>,
): VitestWarmCommand | undefined {
  const start = scriptArgumentsStart(argv);
  const launcher = argv.slice(0, start);
  const program = launcher.at(-1) ?? "";
  const startsVitest = VITEST_COMMAND.test(basename(program)) || VITEST_PACKAGE_FILE.test(program);
  if (!startsVitest || argv[start] === "related") return undefined;
  const { command, args } = VITEST_SPEC.split(argv);
  const userArgs = VITEST_SPEC.clean(args);
  const { options, positionals } = optionsAndPositionals(userArgs, VITEST_VALUE_OPTIONS);
  const viaNode = NODE_COMMAND.test(argv[0] ?? "");
  return {
    argv,
    node: viaNode ? launcher.slice(0, -1) : ["node"],
    ...(viaNode ? { vitestScript: program } : {}),
    options,
    filters: positionals,
    env,
    commandFor: (ids) => [...command, ...(ids.length > 0 ? VITEST_SPEC.selection(userArgs, ids) : userArgs)],
  };
}

/**
 * Per-test coverage (through `@vitest/coverage-v8`, mapped to the source files) only when the provider is installed.
 * Warm sessions run vitest through its Node API in a process kept alive per worktree (see vitest-warm.ts).
 */
export function createVitestRunner(
  argv: string[],
  commandEnv: Record<string, string>,
  projectDir?: string,
): TestRunner {
  const coverage = projectDir !== undefined && hasVitestCoverageProvider(projectDir);
  const runner = createJsonReportRunner(VITEST_SPEC, argv, commandEnv, coverage);
  const warm = vitestWarmCommand(argv, commandEnv);
  return warm ? { ...runner, startWarmSession: (cwd) => startVitestWarmSession(cwd, warm) } : runner;
}
