// The vitest adapter: run mode, the default reporter plus the JSON reporter to a file, selection by file filter and `-t`.
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
};

export function createVitestRunner(argv: string[], commandEnv: Record<string, string>): TestRunner {
  return createJsonReportRunner(VITEST_SPEC, argv, commandEnv);
}
