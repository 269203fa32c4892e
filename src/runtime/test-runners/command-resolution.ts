// Turns a test command (`npm test`, `npx vitest run`, `python -m pytest` …) into the runner it starts and an argv RFSN can add flags to.
import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { parseCommandLine } from "../../core/command-line.js";
import type { RunnerName } from "./types.js";

export interface ResolvedCommand {
  runner: RunnerName;
  /** Starts the runner directly (npm scripts and `npx` resolved), so reporter flags can be appended. */
  argv: string[];
  /** Assignments found on the way (`NODE_ENV=test jest` in a script). */
  env: Record<string, string>;
}

const NODE_BINARIES: Record<string, RunnerName> = {
  vitest: "vitest",
  jest: "jest",
  mocha: "mocha",
  _mocha: "mocha",
};
const PACKAGE_MANAGERS = new Set(["npm", "yarn", "pnpm", "bun"]);
const MAX_SCRIPT_DEPTH = 4;
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
/** What `npm init` writes when there are no tests; not a test command. */
const NPM_PLACEHOLDER = /no test specified/;

interface PackageJson {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** The package.json of `dir`, or undefined when absent or unreadable. */
export function readPackageJson(dir: string): PackageJson | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    return parsed && typeof parsed === "object" ? (parsed as PackageJson) : undefined;
  } catch {
    return undefined;
  }
}

/** The JavaScript file behind `node_modules/.bin/<name>` in `dir` or an ancestor, or undefined. */
export function findPackageBinary(dir: string, name: string): string | undefined {
  let current = dir;
  for (;;) {
    const candidate = join(current, "node_modules", ".bin", name);
    if (existsSync(candidate)) {
      try {
        return realpathSync(candidate);
      } catch {
        return undefined;
      }
    }
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

function commandName(word: string | undefined): string {
  return basename(word ?? "").replace(/\.(c|m)?js$|\.cmd$|\.exe$/i, "");
}

function isPython(name: string): boolean {
  return /^python(\d+(\.\d+)?)?$/.test(name);
}

/** The script name and the extra arguments of `npm test`, `npm run x -- a`, `yarn x a`, `pnpm run x a`. */
function packageScriptCall(argv: string[]): { script: string; extra: string[] } | undefined {
  const [manager, ...rest] = argv;
  if (!PACKAGE_MANAGERS.has(commandName(manager))) return undefined;
  const separator = rest.indexOf("--");
  const head = (separator >= 0 ? rest.slice(0, separator) : rest).filter((word) => !word.startsWith("-"));
  const tail = separator >= 0 ? rest.slice(separator + 1) : [];
  const [verb, second, ...others] = head;
  if (verb === "test" || verb === "t" || verb === "tst")
    return { script: "test", extra: [...(second ? [second, ...others] : []), ...tail] };
  if ((verb === "run" || verb === "run-script") && second)
    return { script: second, extra: [...others, ...tail] };
  if (commandName(manager) !== "npm" && verb && verb !== "exec" && verb !== "dlx") {
    return { script: verb, extra: [...(second ? [second, ...others] : []), ...tail] };
  }
  return undefined;
}

function stripLeadingAssignments(argv: string[]): { argv: string[]; env: Record<string, string> } {
  const env: Record<string, string> = {};
  let index = 0;
  for (; index < argv.length; index += 1) {
    const match = ASSIGNMENT.exec(argv[index] ?? "");
    if (!match?.[1]) break;
    env[match[1]] = match[2] ?? "";
  }
  return { argv: argv.slice(index), env };
}

/** Drops `npx` / `pnpm exec` / `yarn exec` and their own flags. */
function stripExecWrapper(argv: string[]): string[] | undefined {
  const name = commandName(argv[0]);
  let rest: string[];
  if (name === "npx" || name === "bunx") rest = argv.slice(1);
  else if ((name === "pnpm" || name === "yarn") && (argv[1] === "exec" || argv[1] === "dlx"))
    rest = argv.slice(2);
  else if (name === "npm" && argv[1] === "exec") rest = argv.slice(2);
  else return undefined;
  while (rest[0]?.startsWith("-")) rest = rest.slice(1);
  return rest;
}

function resolveNodeBinary(name: string, args: string[], projectDir: string): string[] {
  const file = findPackageBinary(projectDir, name);
  return file ? ["node", file, ...args] : [name, ...args];
}

function resolveWithin(argv: string[], projectDir: string, depth: number): ResolvedCommand {
  const { argv: words, env } = stripLeadingAssignments(argv);
  const generic: ResolvedCommand = { runner: "generic", argv: words, env };
  const first = words[0];
  if (first === undefined) return generic;
  const name = commandName(first);

  const unwrapped = stripExecWrapper(words);
  if (unwrapped) {
    const inner = resolveWithin(unwrapped, projectDir, depth + 1);
    return inner.runner === "generic" ? generic : { ...inner, env: { ...env, ...inner.env } };
  }

  const call = packageScriptCall(words);
  if (call) {
    const script = readPackageJson(projectDir)?.scripts?.[call.script];
    if (script === undefined || depth >= MAX_SCRIPT_DEPTH) return generic;
    let parsed: { argv: string[]; env: Record<string, string> };
    try {
      parsed = parseCommandLine(script);
    } catch {
      return generic;
    }
    const inner = resolveWithin([...parsed.argv, ...call.extra], projectDir, depth + 1);
    if (inner.runner === "generic") return generic;
    return { ...inner, env: { ...env, ...parsed.env, ...inner.env } };
  }

  const binaryRunner = NODE_BINARIES[name];
  if (binaryRunner) {
    const isPath = first.includes("/");
    const args = words.slice(1);
    return {
      runner: binaryRunner,
      argv: isPath ? ["node", first, ...args] : resolveNodeBinary(name, args, projectDir),
      env,
    };
  }
  if (name === "pytest" || name === "py.test") return { runner: "pytest", argv: words, env };
  if (isPython(name)) {
    const moduleIndex = words.indexOf("-m");
    if (moduleIndex > 0 && words[moduleIndex + 1] === "pytest") return { runner: "pytest", argv: words, env };
    return generic;
  }
  if (name === "node" || name === "nodejs") {
    const script = words.slice(1).find((word) => !word.startsWith("-"));
    if (words.includes("--test")) return { runner: "node-test", argv: words, env };
    const scriptRunner = script ? NODE_BINARIES[commandName(script)] : undefined;
    if (script && scriptRunner && /node_modules/.test(script))
      return { runner: scriptRunner, argv: words, env };
    return generic;
  }
  return generic;
}

/** Resolves a test command against the project in `projectDir` (reads its package.json for npm scripts). */
export function resolveTestCommand(argv: string[], projectDir: string): ResolvedCommand {
  return resolveWithin(argv, projectDir, 0);
}

/**
 * Which runner a user-given command starts. `npm test`, `npm run test`, `yarn test` look at the script they run
 * (read from `projectDir`'s package.json; without `projectDir` they are `generic`).
 */
export function identifyRunner(argv: string[], projectDir?: string): RunnerName {
  return resolveWithin(argv, projectDir ?? "/nonexistent-rfsn-project", 0).runner;
}

function fileContains(path: string, pattern: RegExp): boolean {
  try {
    return pattern.test(readFileSync(path, "utf8"));
  } catch {
    return false;
  }
}

function hasPythonTests(projectDir: string): boolean {
  if (existsSync(join(projectDir, "pytest.ini")) || existsSync(join(projectDir, "conftest.py"))) return true;
  if (fileContains(join(projectDir, "pyproject.toml"), /^\[tool\.pytest\.ini_options\]/m)) return true;
  if (fileContains(join(projectDir, "setup.cfg"), /^\[tool:pytest\]/m)) return true;
  if (fileContains(join(projectDir, "tox.ini"), /^\[pytest\]/m)) return true;
  for (const folder of ["tests", "test"]) {
    try {
      const entries = readdirSync(join(projectDir, folder));
      if (entries.some((entry) => /^test_.*\.py$|_test\.py$/.test(entry))) return true;
    } catch {
      // No such folder.
    }
  }
  return false;
}

/** Finds the test command of a project: package.json `scripts.test`, then known JS runners, then pytest. */
export async function detectTestCommand(
  projectDir: string,
): Promise<{ runner: RunnerName; argv: string[] } | null> {
  const pkg = readPackageJson(projectDir);
  const script = pkg?.scripts?.test;
  if (script && !NPM_PLACEHOLDER.test(script)) {
    const argv = ["npm", "test"];
    return { runner: identifyRunner(argv, projectDir), argv };
  }
  const dependencies = { ...pkg?.dependencies, ...pkg?.devDependencies };
  if (dependencies.vitest) return { runner: "vitest", argv: ["npx", "vitest", "run"] };
  if (dependencies.jest) return { runner: "jest", argv: ["npx", "jest"] };
  if (dependencies.mocha) return { runner: "mocha", argv: ["npx", "mocha"] };
  if (hasPythonTests(projectDir)) return { runner: "pytest", argv: ["python3", "-m", "pytest"] };
  return null;
}
