// What each test runner collects as a test and which files it reads as configuration, plus what a project's own config adds.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import type { RunnerName } from "./types.js";

/** One runner's knowledge, as globs in the gate's syntax (patterns without a slash match at any depth). */
export interface RunnerCollectionRules {
  /** Files the runner collects as tests by default. */
  testFiles: readonly string[];
  /** Files the runner, its interpreter or its package manager reads and that can change what a test run reports. */
  configFiles: readonly string[];
}

/** Python: pytest's defaults (`test_*.py`, `*_test.py`) and unittest's (`test*.py`), doctest text files. */
const PYTEST: RunnerCollectionRules = {
  testFiles: ["**/test_*.py", "**/*_test.py", "**/test*.py", "**/tests/**", "**/test/**", "**/conftest.py"],
  configFiles: [
    "pytest.ini",
    ".pytest.ini",
    "pytest.toml",
    ".pytest.toml",
    "pyproject.toml",
    "setup.cfg",
    "setup.py",
    "tox.ini",
    "noxfile.py",
    "**/conftest.py",
    "**/sitecustomize.py",
    "**/usercustomize.py",
    "**/*.pth",
    "**/__init__.py.pth",
    ".coveragerc",
    "**/pytest_*.py",
    "**/*.doctest",
    "requirements*.txt",
    "Pipfile",
    "poetry.lock",
    "uv.lock",
  ],
};

/** JavaScript runners share the package manager's files and the Node options files. */
const NODE_SHARED_CONFIG: readonly string[] = [
  "package.json",
  "**/package.json",
  ".npmrc",
  ".yarnrc*",
  ".pnpmfile.cjs",
  ".pnpmfile.mjs",
  "pnpm-workspace.yaml",
  ".node-version",
  ".nvmrc",
  "tsconfig*.json",
  "jsconfig*.json",
  "babel.config.*",
  ".babelrc*",
  ".swcrc",
];

const JEST: RunnerCollectionRules = {
  testFiles: [
    "**/__tests__/**",
    "**/*.test.*",
    "**/*.spec.*",
    "**/__mocks__/**",
    "**/__snapshots__/**",
    "**/*.snap",
  ],
  configFiles: [...NODE_SHARED_CONFIG, "jest.config.*", "jest.setup.*", "jest.preset.*", "**/setupTests.*"],
};

const VITEST: RunnerCollectionRules = {
  testFiles: ["**/*.test.*", "**/*.spec.*", "**/__tests__/**", "**/__snapshots__/**", "**/*.snap"],
  configFiles: [
    ...NODE_SHARED_CONFIG,
    "vitest.config.*",
    "vitest.workspace.*",
    "vitest.projects.*",
    "vite.config.*",
    "**/vitest.setup.*",
    "**/setupTests.*",
  ],
};

const MOCHA: RunnerCollectionRules = {
  testFiles: ["test/**", "**/test/**", "**/*.spec.*", "**/*.test.*"],
  configFiles: [...NODE_SHARED_CONFIG, ".mocharc*"],
};

/** `node --test` with no paths: these names anywhere, and every file under a `test` directory. */
const NODE_TEST: RunnerCollectionRules = {
  testFiles: [
    "**/*.test.{js,mjs,cjs,ts,mts,cts}",
    "**/*-test.{js,mjs,cjs,ts,mts,cts}",
    "**/*_test.{js,mjs,cjs,ts,mts,cts}",
    "**/test-*.{js,mjs,cjs,ts,mts,cts}",
    "**/test.{js,mjs,cjs,ts,mts,cts}",
    "**/test/**",
  ],
  configFiles: [...NODE_SHARED_CONFIG],
};

/** What any runner reads: CI, container and shell set-up, and the scripts a test command names. */
const ANY_RUNNER: RunnerCollectionRules = {
  testFiles: [],
  configFiles: [
    ".devcontainer/**",
    ".envrc",
    "Makefile",
    "GNUmakefile",
    "**/*.sh",
    "scripts/test*",
    "bin/test*",
  ],
};

export const RUNNER_COLLECTION_RULES: Readonly<Record<RunnerName, RunnerCollectionRules>> = {
  pytest: PYTEST,
  jest: JEST,
  vitest: VITEST,
  mocha: MOCHA,
  "node-test": NODE_TEST,
  generic: ANY_RUNNER,
};

/** Every runner's rules together: what the gate protects by default when it does not know the runner. */
export function allRunnerRules(): RunnerCollectionRules {
  const tests = new Set<string>();
  const configs = new Set<string>();
  for (const rules of [...Object.values(RUNNER_COLLECTION_RULES), ANY_RUNNER]) {
    for (const glob of rules.testFiles) tests.add(glob);
    for (const glob of rules.configFiles) configs.add(glob);
  }
  return { testFiles: [...tests], configFiles: [...configs] };
}

type ReadProjectFile = (path: string) => string | undefined;

/** A pytest `python_files`/`testpaths` value: whitespace- or newline-separated (ini) or a TOML array. */
function iniValues(text: string, section: RegExp, key: string): string[] {
  const values: string[] = [];
  let inSection = false;
  let collecting = false;
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      inSection = section.test(header[1] ?? "");
      collecting = false;
      continue;
    }
    if (!inSection) continue;
    const assignment = new RegExp(`^\\s*${key}\\s*=\\s*(.*)$`).exec(line);
    if (assignment) {
      collecting = true;
      values.push(...words(assignment[1] ?? ""));
      continue;
    }
    if (collecting && /^\s+\S/.test(line)) values.push(...words(line));
    else collecting = false;
  }
  return values;
}

function words(text: string): string[] {
  const array = /\[(.*)\]/.exec(text);
  const source = array ? (array[1] ?? "") : text.replace(/\s[#;].*$/, "");
  return source
    .split(array ? "," : /\s+/)
    .map((word) => word.trim().replace(/^["']|["']$/g, ""))
    .filter((word) => word !== "");
}

/** String literals of a `key: [ … ]` or `key: "…"` entry in a JavaScript config file (no evaluation). */
function jsConfigStrings(text: string, key: string): string[] {
  const found: string[] = [];
  const entry = new RegExp(`\\b${key}\\s*:\\s*(\\[[^\\]]*\\]|["'\`][^"'\`]*["'\`])`, "g");
  for (const match of text.matchAll(entry)) {
    for (const literal of (match[1] ?? "").matchAll(/["'`]([^"'`]+)["'`]/g)) found.push(literal[1] ?? "");
  }
  return found;
}

/** Jest's `testMatch` globs start with `**` or `<rootDir>`; strip what the gate's globs do not know. */
function jestGlob(glob: string): string {
  return glob.replace(/^<rootDir>\//, "").replace(/^!/, "");
}

/** Globs from `package.json`: jest's `testMatch`, mocha's `spec`, and every file a script runs. */
function packageJsonGlobs(text: string): { tests: string[]; configs: string[] } {
  const tests: string[] = [];
  const configs: string[] = [];
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return { tests, configs };
  }
  if (typeof manifest !== "object" || manifest === null) return { tests, configs };
  const record = manifest as Record<string, unknown>;
  const jest = record.jest as Record<string, unknown> | undefined;
  for (const glob of stringList(jest?.testMatch)) tests.push(jestGlob(glob));
  const mocha = record.mocha as Record<string, unknown> | undefined;
  for (const spec of stringList(mocha?.spec)) tests.push(spec);
  const scripts = record.scripts as Record<string, unknown> | undefined;
  for (const script of Object.values(scripts ?? {})) {
    if (typeof script !== "string") continue;
    for (const word of script.split(/[\s;&|()]+/)) {
      if (/^(?:\.\/)?[\w./-]+\.(?:sh|bash|js|mjs|cjs|ts|py)$/.test(word))
        configs.push(word.replace(/^\.\//, ""));
    }
  }
  return { tests, configs };
}

function stringList(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** Python files a `python_files` pattern names, as globs at any depth. */
function pythonFileGlobs(patterns: readonly string[]): string[] {
  return patterns.map((pattern) => (pattern.includes("/") ? pattern : `**/${pattern}`));
}

/**
 * What the project's own configuration adds to the runners' defaults: pytest `python_files` (from every file pytest
 * reads its configuration from), jest `testMatch`, vitest `include` (not `includeSource`: those are source files,
 * whose in-source test blocks the gate's content rules guard), mocha `spec`, and the files
 * package.json scripts, setup options and the test command run. `testpaths` and `roots` are left out on purpose:
 * they name where to look (often `src`), not what is a test. `readFile` returns a file's text or undefined.
 */
export function projectCollectionRules(
  readFile: ReadProjectFile,
  testCommand: readonly string[] = [],
): RunnerCollectionRules {
  const tests: string[] = [];
  const configs: string[] = [];
  for (const file of ["pytest.ini", ".pytest.ini", "tox.ini", "setup.cfg"]) {
    const text = readFile(file);
    if (text === undefined) continue;
    const section = /^(?:tool:)?pytest$/;
    tests.push(...pythonFileGlobs(iniValues(text, section, "python_files")));
  }
  for (const file of ["pyproject.toml", "pytest.toml", ".pytest.toml"]) {
    const text = readFile(file);
    if (text === undefined) continue;
    const section = /^(?:tool\.pytest\.ini_options|tool\.pytest|pytest)$/;
    tests.push(...pythonFileGlobs(iniValues(text, section, "python_files")));
  }
  const manifest = readFile("package.json");
  if (manifest !== undefined) {
    const found = packageJsonGlobs(manifest);
    tests.push(...found.tests);
    configs.push(...found.configs);
  }
  for (const file of ["jest.config.js", "jest.config.cjs", "jest.config.mjs", "jest.config.ts"]) {
    const text = readFile(file);
    if (text === undefined) continue;
    tests.push(...jsConfigStrings(text, "testMatch").map(jestGlob));
  }
  for (const file of [
    "vitest.config.ts",
    "vitest.config.js",
    "vitest.config.mts",
    "vitest.config.mjs",
    "vite.config.ts",
    "vite.config.js",
  ]) {
    const text = readFile(file);
    if (text === undefined) continue;
    tests.push(...jsConfigStrings(text, "include"));
    configs.push(...jsConfigStrings(text, "setupFiles").map((path) => path.replace(/^\.\//, "")));
  }
  for (const file of [".mocharc.yml", ".mocharc.yaml", ".mocharc.json", ".mocharc.jsonc"]) {
    const text = readFile(file);
    if (text === undefined) continue;
    try {
      const parsed = parseYaml(text) as Record<string, unknown> | null;
      tests.push(...stringList(parsed?.spec));
      configs.push(
        ...stringList(parsed?.require)
          .filter((path) => path.startsWith("."))
          .map((path) => path.replace(/^\.\//, "")),
      );
    } catch {
      // an unreadable mocharc adds nothing; the defaults still hold
    }
  }
  for (const word of testCommand) {
    if (/^(?:\.\/)?[\w./-]+\.(?:sh|bash|py|js|mjs|cjs)$/.test(word)) configs.push(word.replace(/^\.\//, ""));
  }
  return { testFiles: [...new Set(tests)], configFiles: [...new Set(configs)] };
}

/** Configuration files `projectCollectionRules` reads. */
const PROJECT_CONFIG_FILES = [
  "pytest.ini",
  ".pytest.ini",
  "tox.ini",
  "setup.cfg",
  "pyproject.toml",
  "pytest.toml",
  ".pytest.toml",
  "package.json",
  "jest.config.js",
  "jest.config.cjs",
  "jest.config.mjs",
  "jest.config.ts",
  "vitest.config.ts",
  "vitest.config.js",
  "vitest.config.mts",
  "vitest.config.mjs",
  "vite.config.ts",
  "vite.config.js",
  ".mocharc.yml",
  ".mocharc.yaml",
  ".mocharc.json",
  ".mocharc.jsonc",
] as const;
const MAX_CONFIG_BYTES = 256 * 1024;

/** `projectCollectionRules` over the configuration files in `dir` (missing or oversized files read as absent). */
export async function readProjectCollectionRules(
  dir: string,
  testCommand: readonly string[] = [],
): Promise<RunnerCollectionRules> {
  const texts = new Map<string, string>();
  await Promise.all(
    PROJECT_CONFIG_FILES.map(async (name) => {
      try {
        const text = await readFile(join(dir, name), "utf8");
        if (text.length <= MAX_CONFIG_BYTES) texts.set(name, text);
      } catch {
        // absent: the runner's defaults hold
      }
    }),
  );
  return projectCollectionRules((path) => texts.get(path), testCommand);
}
