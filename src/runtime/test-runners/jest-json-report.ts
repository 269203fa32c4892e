// Parses the JSON report that jest (`--json`) and vitest (`--reporter=json`) write: per-test status, message and frames.
import type { TestCaseResult } from "../../core/types.js";
import { parseV8Stack, projectRelativePath } from "./stack-frames.js";

export const ID_FILE_SEPARATOR = "::";
export const ID_LEVEL_SEPARATOR = " > ";

interface AssertionResult {
  ancestorTitles?: string[];
  title?: string;
  status?: string;
  failureMessages?: string[];
  duration?: number | null;
}

interface FileResult {
  name?: string;
  status?: string;
  message?: string;
  assertionResults?: AssertionResult[];
}

export interface JestReportSummary {
  tests: TestCaseResult[];
  /** Tests that ran (passed or failed), not counting files that failed to load. */
  executed: number;
  /** Files that failed before any of their tests ran (import, syntax or setup errors). */
  fileErrors: string[];
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** The human part of a failure (before the first `at …` stack line). */
export function failureHeadline(text: string): string {
  const lines = stripAnsi(text).split("\n");
  const stackStart = lines.findIndex((line) => /^\s+at /.test(line));
  return (stackStart >= 0 ? lines.slice(0, stackStart) : lines).join("\n").trim();
}

function statusOf(status: string | undefined): TestCaseResult["status"] {
  if (status === "passed") return "passed";
  if (status === "failed") return "failed";
  return "skipped";
}

/** Results from a jest/vitest JSON report; ids are `<file>::<describe> > <test>`. */
export function parseJestJsonReport(json: string, root: string): JestReportSummary {
  const parsed = JSON.parse(json) as { testResults?: FileResult[] };
  const tests: TestCaseResult[] = [];
  const fileErrors: string[] = [];
  let executed = 0;
  for (const fileResult of parsed.testResults ?? []) {
    const file = fileResult.name ? projectRelativePath(fileResult.name, root) : "";
    const assertions = fileResult.assertionResults ?? [];
    for (const assertion of assertions) {
      const path = [...(assertion.ancestorTitles ?? []), assertion.title ?? ""];
      const test: TestCaseResult = {
        id: `${file}${ID_FILE_SEPARATOR}${path.join(ID_LEVEL_SEPARATOR)}`,
        name: path.join(ID_LEVEL_SEPARATOR),
        status: statusOf(assertion.status),
        frames: [],
      };
      if (file) test.file = file;
      if (typeof assertion.duration === "number") test.durationMs = Math.round(assertion.duration);
      if (test.status !== "skipped") executed += 1;
      if (test.status === "failed") {
        const text = stripAnsi((assertion.failureMessages ?? []).join("\n"));
        test.message = failureHeadline(text) || "failed";
        test.frames = parseV8Stack(text, root);
      }
      tests.push(test);
    }
    const message = stripAnsi(fileResult.message ?? "").trim();
    if (
      fileResult.status === "failed" &&
      message &&
      !assertions.some((assertion) => assertion.status === "failed")
    ) {
      fileErrors.push(file);
      tests.push({
        id: file,
        name: file,
        ...(file ? { file } : {}),
        status: "failed",
        message: failureHeadline(message) || message,
        frames: parseV8Stack(message, root),
      });
    }
  }
  return { tests, executed, fileErrors };
}
