// Matches touched paths against the protected globs (defaults plus the context's), compiled once per globs array.
import type { FilePatch } from "../diff.js";
import type { GateFinding } from "./changed-lines.js";
import { DEFAULT_PROTECTED_PATHS, DEFAULT_TEST_PATH_PATTERNS } from "./context.js";
import { GlobSet } from "./glob.js";
import { pathSkeleton } from "./path-safety.js";

const defaultProtected = new GlobSet(DEFAULT_PROTECTED_PATHS);
const defaultTests = new GlobSet(DEFAULT_TEST_PATH_PATTERNS);
const protectedCache = new WeakMap<readonly string[], GlobSet>();
const testCache = new WeakMap<readonly string[], GlobSet>();

/** The protected-path matcher for a context's extra globs (cached by array identity). */
export function protectedMatcher(extra: readonly string[]): GlobSet {
  if (extra.length === 0) return defaultProtected;
  let set = protectedCache.get(extra);
  if (!set) {
    set = new GlobSet([...DEFAULT_PROTECTED_PATHS, ...extra]);
    protectedCache.set(extra, set);
  }
  return set;
}

/** The test-file matcher: the context's patterns when given, the defaults otherwise (cached by array identity). */
export function testFileMatcher(patterns: readonly string[] | undefined): GlobSet {
  if (!patterns) return defaultTests;
  let set = testCache.get(patterns);
  if (!set) {
    set = new GlobSet(patterns);
    testCache.set(patterns, set);
  }
  return set;
}

export function checkProtectedPaths(patches: readonly FilePatch[], matcher: GlobSet): GateFinding | null {
  for (const patch of patches) {
    for (const path of [patch.oldPath, patch.newPath]) {
      if (path === null) continue;
      const action = patch.isDeleted ? "deletes" : patch.isNew ? "creates" : "modifies";
      const glob = matcher.match(path);
      if (glob) return { path, what: `${action} a protected path (matches ${glob})` };
      const skeleton = pathSkeleton(path);
      const lookAlike = skeleton === path ? null : matcher.match(skeleton);
      if (lookAlike) {
        return {
          path: JSON.stringify(path).slice(1, -1),
          what: `${action} a protected path in disguise: it reads as (or some file systems store it as) ${skeleton}, which matches ${lookAlike}`,
        };
      }
    }
  }
  return null;
}
