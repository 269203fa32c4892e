// Classifies repository paths: project source versus tests and dependencies (used to focus fault localization).
import { protectedMatcher, testFileMatcher } from "./gate/protected-paths.js";

/** The gate's default test files: what localization leaves out is what the gate would refuse to edit as a test. */
const defaultTestFiles = testFileMatcher(undefined);
const DEPENDENCY_PATH = /(^|\/)(node_modules|site-packages|dist-packages|\.venv|venv|__pycache__|\.git)\//;
const SOURCE_EXTENSION = /\.(py|[cm]?[jt]sx?)$/;

export function isTestPath(path: string): boolean {
  return defaultTestFiles.match(path) !== null;
}

export function isDependencyPath(path: string): boolean {
  return DEPENDENCY_PATH.test(path) || path.startsWith("node:") || path.startsWith("internal/");
}

/** A relative path inside the project to a JavaScript, TypeScript or Python file that is not a test or a dependency. */
export function isProjectSourcePath(path: string): boolean {
  if (path.startsWith("/") || path.startsWith("..") || path.includes("://")) return false;
  return SOURCE_EXTENSION.test(path) && !isTestPath(path) && !isDependencyPath(path);
}

/**
 * Whether a repair may edit a path: project source (see `isProjectSourcePath`) that the gate does not protect, by
 * default or by the repository's extra `protectedPaths` globs.
 */
export function editableSourcePredicate(protectedPaths: readonly string[]): (path: string) => boolean {
  const matcher = protectedMatcher(protectedPaths);
  return (path) => isProjectSourcePath(path) && matcher.match(path) === null;
}
