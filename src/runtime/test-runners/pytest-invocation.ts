// Builds the arguments and environment of one pytest run, the same for a cold command and a warm in-process run.
import { writeFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { PYTEST_PLUGIN_MODULE, PYTEST_PLUGIN_SOURCE } from "./pytest-plugin.js";
import { selectableIds } from "./unfinished-tests.js";

/** pytest options whose value is the next word (when not written as `--opt=value`). */
const OPTIONS_WITH_VALUE = new Set([
  "-k",
  "-m",
  "-c",
  "-p",
  "-o",
  "-W",
  "-r",
  "-n",
  "--tb",
  "--junitxml",
  "--junit-xml",
  "--rootdir",
  "--confcutdir",
  "--basetemp",
  "--deselect",
  "--ignore",
  "--ignore-glob",
  "--maxfail",
  "--durations",
  "--import-mode",
  "--log-level",
  "--capture",
  "--color",
  "--cov",
  "--cov-report",
  "--dist",
  "--timeout",
  "--override-ini",
  "--config-file",
  "--pyargs",
]);

/** Splits a pytest argv into the part before the pytest arguments, options, and positional paths. */
export function pytestArguments(argv: readonly string[]): {
  prefix: string[];
  options: string[];
  paths: string[];
} {
  const moduleIndex = argv.indexOf("-m");
  const start = moduleIndex >= 0 && argv[moduleIndex + 1] === "pytest" ? moduleIndex + 2 : 1;
  const prefix = argv.slice(0, start);
  const options: string[] = [];
  const paths: string[] = [];
  for (let index = start; index < argv.length; index += 1) {
    const word = argv[index] ?? "";
    if (word.startsWith("-")) {
      options.push(word);
      if (OPTIONS_WITH_VALUE.has(word) && index + 1 < argv.length) {
        options.push(argv[index + 1] ?? "");
        index += 1;
      }
    } else {
      paths.push(word);
    }
  }
  return { prefix, options, paths };
}

/** One run of a pytest command: what to pass to pytest and where its reports go. */
export interface PytestInvocation {
  /** The command as a process runs it: the interpreter or script words of `argv`, then `args`. */
  command: string[];
  /** pytest's own arguments: the user's options, RFSN's plugin and reports, then the selected ids or the paths. */
  args: string[];
  /** The requested ids that name real tests (empty: the whole command). */
  selected: string[];
  /** JSON lines written by RFSN's plugin. */
  eventsPath: string;
  /** JUnit XML, read when the event stream is missing. */
  junitPath: string;
}

/** The arguments of a run of `argv` that reports into `reportDir` and runs `testIds` (all tests when none). */
export function pytestInvocation(
  argv: readonly string[],
  reportDir: string,
  testIds: readonly string[] | undefined,
  blockedPlugins: readonly string[],
): PytestInvocation {
  const junitPath = join(reportDir, "junit.xml");
  const { prefix, options, paths } = pytestArguments(argv);
  const selected = selectableIds(testIds, argv);
  const args = [
    ...options,
    "-p",
    "no:cacheprovider",
    ...blockedPlugins.flatMap((plugin) => ["-p", `no:${plugin}`]),
    "-p",
    PYTEST_PLUGIN_MODULE,
    `--junitxml=${junitPath}`,
    "-o",
    "junit_family=xunit1",
    ...(selected.length > 0 ? selected : paths),
  ];
  return {
    command: [...prefix, ...args],
    args,
    selected,
    eventsPath: join(reportDir, "events.jsonl"),
    junitPath,
  };
}

/** Writes RFSN's pytest plugin module into `dir` (which then goes first on PYTHONPATH). */
export async function writePytestPlugin(dir: string): Promise<void> {
  await writeFile(join(dir, `${PYTEST_PLUGIN_MODULE}.py`), PYTEST_PLUGIN_SOURCE);
}

export interface PytestEnvironmentInput {
  /** Assignments that came with the command. */
  commandEnv: Record<string, string>;
  /** Assignments given for this run (they win over the command's). */
  runEnv?: Record<string, string> | undefined;
  /** Directory holding the plugin module. */
  pluginDir: string;
  /** The project root (the run's cwd). */
  cwd: string;
}

/** Environment added to the scrubbed one for pytest: the plugin on PYTHONPATH, no bytecode files, the project root. */
export function pytestEnvironment(input: PytestEnvironmentInput): Record<string, string> {
  const inheritedPythonPath =
    input.runEnv?.PYTHONPATH ?? input.commandEnv.PYTHONPATH ?? process.env.PYTHONPATH;
  return {
    ...input.commandEnv,
    ...input.runEnv,
    PYTHONPATH: [input.pluginDir, inheritedPythonPath].filter(Boolean).join(delimiter),
    PYTHONDONTWRITEBYTECODE: "1",
    RFSN_PROJECT_ROOT: input.cwd,
  };
}
