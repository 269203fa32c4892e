// Detects a repository's language, package manager and test command from its root file names and a few file texts.

export type StackLanguage = "javascript" | "python";
export type PackageManager = "npm" | "pnpm" | "yarn" | "pip" | "poetry" | "uv";
export type TestRunner = "vitest" | "jest" | "mocha" | "node-test" | "pytest" | "script";

export interface DetectedStack {
  language: StackLanguage;
  packageManager: PackageManager;
  testRunner: TestRunner;
  /** The command RFSN runs the tests with (split like a shell would, never run through one). */
  testCommand: string;
  /** Commands that install the dependencies, in order (each a plain command line without shell syntax). */
  installCommands: string[];
  /** The runtime version file to use (`.nvmrc`, `.python-version`, ...), when the repository has one. */
  versionFile: string | null;
  /** Yarn 2+ (a `.yarnrc.yml`), which wants `--immutable` instead of `--frozen-lockfile`. */
  yarnBerry: boolean;
  /** Files whose hash keys the dependency cache (lockfiles, requirement files). */
  cacheDependencyPaths: string[];
  /** One sentence per clue that decided the answer, shown to the user. */
  reasons: string[];
}

/** Root files whose text the detection reads when they exist; everything else is decided by names alone. */
export const FILES_READ_BY_DETECTION = [
  "package.json",
  "pyproject.toml",
  "requirements.txt",
  "requirements-dev.txt",
  "requirements-test.txt",
] as const;

/** Nothing in the repository says how to run its tests. */
export class StackNotDetectedError extends Error {
  constructor(readonly rootFiles: readonly string[]) {
    super(
      "no supported project found at the repository root: expected package.json (npm, pnpm, yarn) or pyproject.toml / requirements.txt / setup.py (pip, poetry, uv). Set `test_command` in .github/rfsn.yml and add your install steps to the workflow by hand.",
    );
    this.name = "StackNotDetectedError";
  }
}

export interface DetectionInput {
  /** File and folder names at the repository root (folders may end with `/`). */
  rootFiles: readonly string[];
  /** Texts of the FILES_READ_BY_DETECTION that exist. */
  contents: ReadonlyMap<string, string>;
}

interface PackageJson {
  scripts?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  packageManager?: unknown;
}

const NPM_DEFAULT_TEST_SCRIPT = /no test specified/;

function parsePackageJson(text: string | undefined): PackageJson {
  if (text === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null ? (parsed as PackageJson) : {};
  } catch {
    return {};
  }
}

function detectJavaScript(names: ReadonlySet<string>, input: DetectionInput): DetectedStack {
  const reasons: string[] = [];
  const pkg = parsePackageJson(input.contents.get("package.json"));
  const declared = typeof pkg.packageManager === "string" ? pkg.packageManager.split("@")[0] : undefined;
  let packageManager: PackageManager = "npm";
  let lockfile: string | null = null;
  if (names.has("pnpm-lock.yaml") || declared === "pnpm") {
    packageManager = "pnpm";
    lockfile = names.has("pnpm-lock.yaml") ? "pnpm-lock.yaml" : null;
  } else if (names.has("yarn.lock") || declared === "yarn") {
    packageManager = "yarn";
    lockfile = names.has("yarn.lock") ? "yarn.lock" : null;
  } else if (names.has("package-lock.json") || names.has("npm-shrinkwrap.json")) {
    lockfile = names.has("package-lock.json") ? "package-lock.json" : "npm-shrinkwrap.json";
  }
  reasons.push(
    lockfile
      ? `${lockfile} → ${packageManager}`
      : declared
        ? `package.json "packageManager" → ${packageManager}`
        : "package.json without a lockfile → npm",
  );
  const yarnBerry = packageManager === "yarn" && names.has(".yarnrc.yml");
  const installCommands =
    packageManager === "pnpm"
      ? [lockfile ? "pnpm install --frozen-lockfile" : "pnpm install"]
      : packageManager === "yarn"
        ? [
            yarnBerry
              ? "yarn install --immutable"
              : lockfile
                ? "yarn install --frozen-lockfile"
                : "yarn install",
          ]
        : [lockfile ? "npm ci" : "npm install"];

  const dependencies = { ...(pkg.dependencies ?? {}), ...(pkg.devDependencies ?? {}) };
  const testScript = typeof pkg.scripts?.test === "string" ? pkg.scripts.test : "";
  const hasScript = testScript.trim() !== "" && !NPM_DEFAULT_TEST_SCRIPT.test(testScript);
  const runnerIn = (text: string): TestRunner | null => {
    if (/\bvitest\b/.test(text)) return "vitest";
    if (/\bjest\b/.test(text)) return "jest";
    if (/\bmocha\b/.test(text)) return "mocha";
    if (/\bnode\b.*--test\b/.test(text)) return "node-test";
    return null;
  };
  const runnerFromDependencies: TestRunner | null =
    "vitest" in dependencies
      ? "vitest"
      : "jest" in dependencies
        ? "jest"
        : "mocha" in dependencies
          ? "mocha"
          : null;
  const testRunner = runnerIn(testScript) ?? runnerFromDependencies ?? (hasScript ? "script" : "node-test");
  let testCommand: string;
  if (hasScript) {
    testCommand = packageManager === "npm" ? "npm test" : `${packageManager} test`;
    reasons.push(`package.json "test" script (${testScript}) → ${testCommand}`);
  } else {
    const exec = packageManager === "npm" ? "npx" : `${packageManager} exec`;
    testCommand =
      testRunner === "vitest"
        ? `${exec} vitest run`
        : testRunner === "jest"
          ? `${exec} jest`
          : testRunner === "mocha"
            ? `${exec} mocha`
            : "node --test";
    reasons.push(
      runnerFromDependencies
        ? `${runnerFromDependencies} in package.json dependencies, no "test" script → ${testCommand}`
        : `no "test" script and no test framework dependency → Node's built-in runner (${testCommand})`,
    );
  }
  const versionFile = names.has(".nvmrc") ? ".nvmrc" : names.has(".node-version") ? ".node-version" : null;
  if (versionFile) reasons.push(`${versionFile} → the Node.js version`);
  return {
    language: "javascript",
    packageManager,
    testRunner,
    testCommand,
    installCommands,
    versionFile,
    yarnBerry,
    cacheDependencyPaths: lockfile ? [lockfile] : [],
    reasons,
  };
}

function requirementFiles(names: ReadonlySet<string>): string[] {
  return ["requirements.txt", "requirements-dev.txt", "requirements-test.txt"].filter((name) =>
    names.has(name),
  );
}

function detectPython(names: ReadonlySet<string>, input: DetectionInput): DetectedStack {
  const reasons: string[] = [];
  const pyproject = input.contents.get("pyproject.toml") ?? "";
  const requirements = requirementFiles(names);
  let packageManager: PackageManager;
  let installCommands: string[];
  let cacheDependencyPaths: string[];
  if (names.has("uv.lock") || /^\[tool\.uv\]/m.test(pyproject)) {
    packageManager = "uv";
    installCommands = ["uv sync"];
    cacheDependencyPaths = names.has("uv.lock") ? ["uv.lock"] : ["pyproject.toml"];
    reasons.push(names.has("uv.lock") ? "uv.lock → uv" : "[tool.uv] in pyproject.toml → uv");
  } else if (names.has("poetry.lock") || /^\[tool\.poetry\]/m.test(pyproject)) {
    packageManager = "poetry";
    installCommands = ["poetry install --no-interaction"];
    cacheDependencyPaths = names.has("poetry.lock") ? ["poetry.lock"] : ["pyproject.toml"];
    reasons.push(
      names.has("poetry.lock") ? "poetry.lock → poetry" : "[tool.poetry] in pyproject.toml → poetry",
    );
  } else {
    packageManager = "pip";
    installCommands = requirements.map((file) => `python -m pip install -r ${file}`);
    const installable = names.has("setup.py") || /^\[(project|build-system)\]/m.test(pyproject);
    if (installable) installCommands.push("python -m pip install -e .");
    cacheDependencyPaths =
      requirements.length > 0
        ? requirements
        : names.has("pyproject.toml")
          ? ["pyproject.toml"]
          : ["setup.py"];
    reasons.push(
      requirements.length > 0
        ? `${requirements.join(", ")} → pip`
        : `${names.has("pyproject.toml") ? "pyproject.toml" : "setup.py"} without a lockfile → pip`,
    );
  }
  const declaresPytest =
    /\bpytest\b/i.test(pyproject) ||
    requirements.some((file) => /^\s*pytest\b/im.test(input.contents.get(file) ?? ""));
  if (packageManager === "pip" && !declaresPytest) {
    installCommands.push("python -m pip install pytest");
    reasons.push("pytest is not among the dependencies → installed next to them");
  }
  const testCommand =
    packageManager === "uv"
      ? "uv run pytest"
      : packageManager === "poetry"
        ? "poetry run pytest"
        : "python -m pytest";
  reasons.push(`pytest (it also runs unittest suites) → ${testCommand}`);
  const versionFile = names.has(".python-version") ? ".python-version" : null;
  if (versionFile) reasons.push(".python-version → the Python version");
  return {
    language: "python",
    packageManager,
    testRunner: "pytest",
    testCommand,
    installCommands,
    versionFile,
    yarnBerry: false,
    cacheDependencyPaths,
    reasons,
  };
}

const PYTHON_MARKERS = ["pyproject.toml", "requirements.txt", "setup.py", "setup.cfg"];

/** Whether a package.json declares tests (a real "test" script or a test framework), not only front-end tooling. */
function packageJsonHasTests(text: string | undefined): boolean {
  const pkg = parsePackageJson(text);
  const testScript = typeof pkg.scripts?.test === "string" ? pkg.scripts.test : "";
  if (testScript.trim() !== "" && !NPM_DEFAULT_TEST_SCRIPT.test(testScript)) return true;
  const dependencies = { ...(pkg.dependencies ?? {}), ...(pkg.devDependencies ?? {}) };
  return ["vitest", "jest", "mocha"].some((name) => name in dependencies);
}

/**
 * The stack of a repository. When both a package.json and Python files sit at the root, Python wins unless the
 * package.json declares tests (front-end tooling often sits beside a Python project).
 */
export function detectStack(input: DetectionInput): DetectedStack {
  const names = new Set(input.rootFiles.map((name) => name.replace(/\/$/, "")));
  const python = PYTHON_MARKERS.some((name) => names.has(name));
  if (names.has("package.json") && (!python || packageJsonHasTests(input.contents.get("package.json")))) {
    return detectJavaScript(names, input);
  }
  if (python) return detectPython(names, input);
  throw new StackNotDetectedError(input.rootFiles);
}

/** Runs the detection with any file source: the file system (`rfsn init`) or GitHub's contents API (onboarding). */
export async function detectStackFrom(source: {
  listRoot: () => Promise<string[]>;
  readFile: (path: string) => Promise<string | null>;
}): Promise<DetectedStack> {
  const rootFiles = await source.listRoot();
  const present = new Set(rootFiles);
  const contents = new Map<string, string>();
  for (const name of FILES_READ_BY_DETECTION) {
    if (!present.has(name)) continue;
    const text = await source.readFile(name);
    if (text !== null) contents.set(name, text);
  }
  return detectStack({ rootFiles, contents });
}
