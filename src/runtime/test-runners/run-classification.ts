// Decides whether a test run produced something to repair ("ok") or could not run the tests at all ("cannot_run").
import type { TestRunResult } from "../../core/types.js";

/**
 * `cannot_run` when the command could not start, or the runner stopped before executing any test because of a
 * collection, import or configuration error (`setupError`), or it exited non-zero without reporting a single test.
 * A hang is `ok` (the unfinished tests are failures to repair). Policy for broken test files: when at least one
 * test ran, files that failed to load are reported as failed tests (id = file) and the run is `ok`; when none ran
 * (e.g. the only test file has a syntax or import error), the run is `cannot_run`, because nothing shows what the
 * code is supposed to do.
 */
export function classifyRun(result: TestRunResult & { setupError?: string }): "ok" | "cannot_run" {
  if (result.setupError) return "cannot_run";
  if (result.timedOut) return "ok";
  if (result.tests.length === 0 && result.exitCode !== 0) return "cannot_run";
  return "ok";
}
