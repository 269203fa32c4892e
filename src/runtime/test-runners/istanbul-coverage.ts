// Reads istanbul coverage (`coverage-final.json` from vitest's or jest's json reporter) into executed lines per project file.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { isProjectSourcePath } from "../../core/source-paths.js";
import { projectRelativePath } from "./stack-frames.js";

/** The file the istanbul json reporter writes into the coverage directory. */
export const ISTANBUL_REPORT_FILE = "coverage-final.json";

interface IstanbulPosition {
  line?: unknown;
}

interface IstanbulFileCoverage {
  path?: unknown;
  statementMap?: Record<string, { start?: IstanbulPosition; end?: IstanbulPosition } | undefined>;
  s?: Record<string, unknown>;
}

function lineNumber(position: IstanbulPosition | undefined): number | undefined {
  const line = position?.line;
  return typeof line === "number" && Number.isInteger(line) && line > 0 ? line : undefined;
}

/**
 * Lines of project source files (relative to `root`) covered by a statement that ran at least once: a statement
 * covers its lines from start to end. Test files, dependencies and files outside `root` are left out.
 */
export function istanbulExecutedLines(report: unknown, root: string): Map<string, Set<number>> {
  const executed = new Map<string, Set<number>>();
  if (!report || typeof report !== "object") return executed;
  for (const [key, value] of Object.entries(report as Record<string, unknown>)) {
    if (!value || typeof value !== "object") continue;
    const file = value as IstanbulFileCoverage;
    const relativePath = projectRelativePath(typeof file.path === "string" ? file.path : key, root);
    if (!isProjectSourcePath(relativePath)) continue;
    const lines = executed.get(relativePath) ?? new Set<number>();
    for (const [statement, count] of Object.entries(file.s ?? {})) {
      if (typeof count !== "number" || count <= 0) continue;
      const location = file.statementMap?.[statement];
      const start = lineNumber(location?.start);
      if (start === undefined) continue;
      const end = Math.max(start, lineNumber(location?.end) ?? start);
      for (let line = start; line <= end; line += 1) lines.add(line);
    }
    if (lines.size > 0) executed.set(relativePath, lines);
  }
  return executed;
}

/** Executed project lines from the istanbul report in `dir`; empty when the runner wrote none (or an unreadable one). */
export async function readIstanbulCoverageDirectory(
  dir: string,
  root: string,
): Promise<Map<string, Set<number>>> {
  let report: unknown;
  try {
    report = JSON.parse(await readFile(join(dir, ISTANBUL_REPORT_FILE), "utf8"));
  } catch {
    return new Map();
  }
  return istanbulExecutedLines(report, root);
}
