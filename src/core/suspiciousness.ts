// Pure fault-localization scoring: stack frames, Ochiai spectrum scores and recent changes, merged into ranked lines.
import { compareText } from "./compare-text.js";
import type { RankedLocation, StackFrame, TestCaseResult } from "./types.js";

/** Lines executed by each test: testId → file → line numbers. */
export type TestCoverage = ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<number>>>;

/** Coverage of the failing tests together and of the passing tests together, without a split per test. */
export interface PooledCoverage {
  /** Lines the failing tests ran. */
  failing: ReadonlyMap<string, ReadonlySet<number>>;
  /** Lines at least one passing test ran. */
  passing: ReadonlyMap<string, ReadonlySet<number>>;
}

export interface LocalizationEvidence {
  failing: readonly TestCaseResult[];
  passing: readonly TestCaseResult[];
  coverage?: TestCoverage;
  /** Used when there is no per-test `coverage`: every failing test counts as running each line, a passing one as 1. */
  pooledCoverage?: PooledCoverage;
  /** Lines added or changed by the most recent commits, per file. */
  recentChanges?: ReadonlyMap<string, ReadonlySet<number>>;
  /** True for files that belong to the project's own source (not tests, not dependencies). */
  isProjectSource: (file: string) => boolean;
}

const WEIGHTS = { frame: 0.55, ochiai: 0.35, recent: 0.1 } as const;

interface LineScore {
  file: string;
  line: number;
  frame: number;
  ochiai: number;
  recent: number;
  functionName?: string;
  reasons: string[];
}

function lineKey(file: string, line: number): string {
  return `${file}\u0000${line}`;
}

/** Frames inside project source, closest to the error first (as stack traces list them). */
export function projectFrames(
  frames: readonly StackFrame[],
  isProjectSource: (file: string) => boolean,
): StackFrame[] {
  return frames.filter((frame) => frame.line > 0 && isProjectSource(frame.file));
}

/** Ochiai suspiciousness: ef / sqrt(totalFailing × (ef + ep)). */
export function ochiai(failedCovering: number, passedCovering: number, totalFailing: number): number {
  if (failedCovering === 0 || totalFailing === 0) return 0;
  return failedCovering / Math.sqrt(totalFailing * (failedCovering + passedCovering));
}

interface CoverageCount {
  ef: number;
  ep: number;
  file: string;
  line: number;
}

/** Counts from pooled coverage: the failing tests as if each ran every line they ran together, and one passing test. */
function pooledCounts(evidence: LocalizationEvidence, pooled: PooledCoverage): Map<string, CoverageCount> {
  const counts = new Map<string, CoverageCount>();
  for (const [file, lines] of pooled.failing) {
    if (!evidence.isProjectSource(file)) continue;
    const passing = pooled.passing.get(file);
    for (const line of lines) {
      counts.set(lineKey(file, line), {
        ef: evidence.failing.length,
        ep: passing?.has(line) ? 1 : 0,
        file,
        line,
      });
    }
  }
  return counts;
}

function coverageCounts(evidence: LocalizationEvidence): Map<string, CoverageCount> {
  const counts = new Map<string, CoverageCount>();
  const coverage = evidence.coverage;
  if (!coverage) return evidence.pooledCoverage ? pooledCounts(evidence, evidence.pooledCoverage) : counts;
  const tally = (tests: readonly TestCaseResult[], field: "ef" | "ep") => {
    for (const test of tests) {
      const files = coverage.get(test.id);
      if (!files) continue;
      for (const [file, lines] of files) {
        if (!evidence.isProjectSource(file)) continue;
        for (const line of lines) {
          const key = lineKey(file, line);
          const entry = counts.get(key) ?? { ef: 0, ep: 0, file, line };
          entry[field] += 1;
          counts.set(key, entry);
        }
      }
    }
  };
  tally(evidence.failing, "ef");
  tally(evidence.passing, "ep");
  return counts;
}

/** Ranks suspicious lines of project source, most suspicious first; ties keep a stable file/line order. */
export function rankSuspiciousLines(evidence: LocalizationEvidence, limit = 30): RankedLocation[] {
  const scores = new Map<string, LineScore>();
  const entry = (file: string, line: number): LineScore => {
    const key = lineKey(file, line);
    let score = scores.get(key);
    if (!score) {
      score = { file, line, frame: 0, ochiai: 0, recent: 0, reasons: [] };
      scores.set(key, score);
    }
    return score;
  };

  const totalFailing = evidence.failing.length;
  for (const test of evidence.failing) {
    const frames = projectFrames(test.frames, evidence.isProjectSource);
    frames.forEach((frame, depth) => {
      const score = entry(frame.file, frame.line);
      const weight = 1 / (1 + depth) / Math.max(1, totalFailing);
      if (score.frame === 0)
        score.reasons.push(`in the stack trace of ${test.name}${depth === 0 ? " (where it failed)" : ""}`);
      score.frame += weight;
      if (frame.functionName && !score.functionName) score.functionName = frame.functionName;
    });
  }

  const counts = coverageCounts(evidence);
  for (const { ef, ep, file, line } of counts.values()) {
    const value = ochiai(ef, ep, totalFailing);
    if (value === 0) continue;
    const score = entry(file, line);
    score.ochiai = value;
    score.reasons.push(
      evidence.coverage
        ? `Ochiai ${value.toFixed(2)}: run by ${ef}/${totalFailing} failing and ${ep} passing tests`
        : `Ochiai ${value.toFixed(2)}: run by the failing tests and ${ep ? "by passing ones" : "by no passing test"}`,
    );
  }

  for (const [file, lines] of evidence.recentChanges ?? []) {
    if (!evidence.isProjectSource(file)) continue;
    for (const line of lines) {
      const key = lineKey(file, line);
      const existing = scores.get(key);
      // A recent change alone is weak evidence when coverage exists and says no failing test ran the line.
      if (!existing && counts.size > 0) continue;
      const score = existing ?? entry(file, line);
      score.recent = 1;
      score.reasons.push("changed by a recent commit");
    }
  }

  const maxFrame = Math.max(0, ...[...scores.values()].map((s) => s.frame));
  const ranked = [...scores.values()].map((s) => {
    const frame = maxFrame > 0 ? s.frame / maxFrame : 0;
    const value = WEIGHTS.frame * frame + WEIGHTS.ochiai * s.ochiai + WEIGHTS.recent * s.recent;
    const location: RankedLocation = {
      file: s.file,
      startLine: s.line,
      endLine: s.line,
      score: Number(value.toFixed(4)),
      reasons: s.reasons,
    };
    if (s.functionName) location.functionName = s.functionName;
    return location;
  });
  ranked.sort((a, b) => b.score - a.score || compareText(a.file, b.file) || a.startLine - b.startLine);
  return ranked.filter((location) => location.score > 0).slice(0, limit);
}
