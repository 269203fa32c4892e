// What the gate needs to know besides the proposal: phase, protected paths, limits, seen fingerprints, budget, file access.
import type { Phase } from "../types.js";

export interface GateLimits {
  maxFiles: number;
  maxChangedLines: number;
}

export interface GateBudget {
  candidatesLeft: number;
  /** Wall-clock deadline (epoch ms); checked only together with `nowMs`, since the gate reads no clock. */
  deadlineMs?: number;
  nowMs?: number;
}

export interface GateContext {
  /** The session's current phase; proposals are only accepted in `patch`. */
  phase: Phase;
  /** Extra protected globs, added to `DEFAULT_PROTECTED_PATHS`. */
  protectedPaths: string[];
  /** Globs naming test files (defaults to `DEFAULT_TEST_PATH_PATTERNS`); stricter tampering rules apply there. */
  testPathPatterns?: string[];
  limits: GateLimits;
  seenFingerprints: ReadonlySet<string>;
  budget: GateBudget;
  /** Current content of a workspace file, undefined when unknown or absent. */
  readFile?: (path: string) => string | undefined;
  /** A syntax problem in `content` (a message) or null; provided by the engine (tree-sitter). */
  checkSyntax?: (path: string, content: string) => string | null;
}

export const DEFAULT_LIMITS: GateLimits = Object.freeze({ maxFiles: 3, maxChangedLines: 60 });

/** Test files and directories: protected by default, and where removed or changed assertions count as tampering. */
export const DEFAULT_TEST_PATH_PATTERNS: readonly string[] = Object.freeze([
  "**/test/**",
  "**/tests/**",
  "**/__tests__/**",
  "**/__mocks__/**",
  "**/__snapshots__/**",
  "**/spec/**",
  "**/specs/**",
  "**/e2e/**",
  "**/*.test.*",
  "**/*.spec.*",
  "**/*_spec.rb",
  "**/test_*.py",
  "**/*_test.py",
  "**/conftest.py",
  // unittest's default `test*.py` and node --test's defaults (see src/runtime/test-runners/collection-rules.ts)
  "**/test*.py",
  "**/*-test.{js,mjs,cjs,ts,mts,cts}",
  "**/*_test.{js,mjs,cjs,ts,mts,cts}",
  "**/test-*.{js,mjs,cjs,ts,mts,cts}",
  "**/test.{js,mjs,cjs,ts,mts,cts}",
  "**/*.doctest",
  "**/*_test.go",
  "**/*Test.java",
  "**/*.snap",
]);

/** Paths a repair must never touch: CI, tests, lockfiles, dependency manifests, build and tool configuration, secrets. */
export const DEFAULT_PROTECTED_PATHS: readonly string[] = Object.freeze([
  ".github/**",
  ...DEFAULT_TEST_PATH_PATTERNS,
  // lockfiles
  "package-lock.json",
  "npm-shrinkwrap.json",
  "yarn.lock",
  "pnpm-lock.yaml",
  "pnpm-workspace.yaml",
  "bun.lock",
  "bun.lockb",
  "poetry.lock",
  "Pipfile.lock",
  "uv.lock",
  "pdm.lock",
  "Cargo.lock",
  "go.sum",
  "Gemfile.lock",
  "composer.lock",
  // manifests and build configuration
  "package.json",
  "tsconfig*.json",
  "jsconfig*.json",
  "pyproject.toml",
  "setup.cfg",
  "setup.py",
  "tox.ini",
  "pytest.ini",
  ".pytest.ini",
  "pytest.toml",
  ".pytest.toml",
  // files the Python interpreter or a runner loads before any test runs
  "**/sitecustomize.py",
  "**/usercustomize.py",
  "**/*.pth",
  "**/pytest_*.py",
  "jest.setup.*",
  "jest.preset.*",
  "**/setupTests.*",
  "**/vitest.setup.*",
  "vitest.projects.*",
  ".pnpmfile.cjs",
  ".pnpmfile.mjs",
  ".node-version",
  ".nvmrc",
  ".devcontainer/**",
  ".envrc",
  "**/*.sh",
  "scripts/test*",
  "bin/test*",
  "**/package.json",
  "noxfile.py",
  "requirements*.txt",
  "Pipfile",
  "go.mod",
  "Cargo.toml",
  "Gemfile",
  ".coveragerc",
  "jest.config.*",
  "vitest.config.*",
  "vitest.workspace.*",
  "vite.config.*",
  "karma.conf.*",
  "playwright.config.*",
  "cypress.config.*",
  ".mocharc*",
  "babel.config.*",
  ".babelrc*",
  ".swcrc",
  "biome.json*",
  ".eslintrc*",
  "eslint.config.*",
  "Makefile",
  "GNUmakefile",
  "Dockerfile",
  "Dockerfile.*",
  "*.dockerfile",
  "docker-compose*.y*ml",
  "compose.y*ml",
  // CI systems
  ".gitlab-ci.yml",
  ".circleci/**",
  ".travis.yml",
  "Jenkinsfile",
  "azure-pipelines.yml",
  ".buildkite/**",
  ".pre-commit-config.yaml",
  ".husky/**",
  // installed dependencies (symlinked into worktrees: a patch there changes installed code, not the project)
  "**/node_modules/**",
  "**/bower_components/**",
  "**/.venv/**",
  "**/site-packages/**",
  // credentials and git plumbing
  ".npmrc",
  ".yarnrc*",
  ".pypirc",
  ".netrc",
  ".env*",
  ".gitattributes",
  ".gitmodules",
  "CODEOWNERS",
]);

/** A context for a session in the `patch` phase with default limits; fields in `overrides` win. */
export function defaultGateContext(overrides: Partial<GateContext> = {}): GateContext {
  return {
    phase: "patch",
    protectedPaths: [],
    limits: DEFAULT_LIMITS,
    seenFingerprints: new Set<string>(),
    budget: { candidatesLeft: Number.MAX_SAFE_INTEGER },
    ...overrides,
  };
}
