// Completes the results of a run that hit its time limit: unfinished tests become failures, so a hang is something to repair.
import type { TestCaseResult } from "../../core/types.js";
import { commandTestId, unfinishedMessage } from "./types.js";

export interface UnfinishedTestsInput {
  tests: TestCaseResult[];
  timedOut: boolean;
  timeoutMs: number;
  /** Tests the run was asked to run (when a subset was selected). */
  requestedIds?: readonly string[];
  /** Tests the runner reported as started but never finished. */
  startedIds?: readonly string[];
  /** The command as shown to the user, for the synthetic test. */
  argv: readonly string[];
}

/**
 * After a timeout: every started or requested test without a result fails with "did not finish within N s"; when
 * no such test is known, one synthetic test named after the command fails instead. Without a timeout the tests are
 * returned unchanged.
 */
export function withUnfinishedTests(input: UnfinishedTestsInput): TestCaseResult[] {
  if (!input.timedOut) return input.tests;
  const message = unfinishedMessage(input.timeoutMs);
  const tests = [...input.tests];
  const known = new Set(tests.map((test) => test.id));
  const syntheticId = commandTestId(input.argv);
  let added = 0;
  for (const id of [...(input.startedIds ?? []), ...(input.requestedIds ?? [])]) {
    if (known.has(id) || id === syntheticId) continue;
    known.add(id);
    const separator = id.lastIndexOf("::");
    const test: TestCaseResult = {
      id,
      name: separator >= 0 ? id.slice(separator + 2) : id,
      status: "failed",
      message,
      frames: [],
    };
    if (separator >= 0) test.file = id.slice(0, id.indexOf("::"));
    tests.push(test);
    added += 1;
  }
  if (added === 0) {
    tests.push({ id: syntheticId, name: syntheticId, status: "failed", message, frames: [] });
  }
  return tests;
}

/** The requested ids that name real tests (the synthetic whole-command id means "run everything"). */
export function selectableIds(testIds: readonly string[] | undefined, argv: readonly string[]): string[] {
  const syntheticId = commandTestId(argv);
  return (testIds ?? []).filter((id) => id !== syntheticId && id.trim() !== "");
}
