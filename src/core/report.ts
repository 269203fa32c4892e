// The one typed report of a repair session, shared by the PR comment, the job summary and `rfsn repair --json`.
import {
  GATE_REJECTION_TYPES,
  type GateRejectionType,
  type OperatorFamily,
  type Phase,
  type RankedLocation,
  type RepairOutcome,
  type SourceLocation,
  type TestCaseResult,
  type ValidationRejection,
} from "./types.js";

export const REPORT_VERSION = 1;

export const VALIDATION_REJECTIONS: readonly ValidationRejection[] = [
  "apply_failed",
  "tests_failed",
  "regression",
  "timeout",
];

export type RepairTrigger = "ci-failure" | "comment" | "manual" | "cli";

export interface ReportRepository {
  owner: string;
  name: string;
  ref?: string;
  sha?: string;
}

export interface CandidateCounts {
  /** Proposals produced by the proposers. */
  generated: number;
  /** Proposals validated against the tests. */
  tried: number;
  /** Proposals accepted by the gate. */
  accepted: number;
  rejectedByGate: Record<GateRejectionType, number>;
  rejectedByValidation: Record<ValidationRejection, number>;
  /** Proposals that made every failing test pass without regressions. */
  plausible: number;
}

export interface ReportBaseline {
  /** Tests failing before any change (trimmed: at most 20, messages capped). */
  failing: TestCaseResult[];
  passingCount: number;
  suiteRunMs: number;
}

export interface PhaseSpan {
  phase: Phase;
  startedAt: string;
  durationMs: number;
}

export interface TimelineEvent {
  /** Milliseconds since the session started. */
  atMs: number;
  phase: Phase | "done";
  event: string;
}

export interface ReportPatch {
  diff: string;
  operator: OperatorFamily;
  rationale: string;
  files: string[];
  location?: SourceLocation;
}

export interface ReportAlternative {
  diff: string;
  operator: OperatorFamily;
  rationale: string;
}

/**
 * What happened to one proposal. `verdict` is `accepted`, `plausible`, `partial`,
 * `gate:<GateRejectionType>` or `validation:<ValidationRejection>`.
 */
export interface ReportAttempt {
  operator: OperatorFamily;
  rationale: string;
  verdict: string;
  file?: string;
}

export interface ReportLlmUsage {
  provider: string;
  model: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  cacheHits?: number;
  /** Alias some proposers report instead of `cacheHits`. */
  cachedCalls?: number;
  failedCalls?: number;
  [extra: string]: string | number | undefined;
}

export interface ReportLinks {
  run?: string;
  pullRequest?: string;
  audit?: string;
}

/** The isolation repository code ran in (see src/runtime/sandbox): `full`, `partial` or `none`. */
export interface ReportIsolation {
  level: "full" | "partial" | "none";
  network: "closed" | "open";
  /** One sentence: what the isolation consists of, or why it is lower. */
  detail: string;
}

/** Why a session's search for a patch ended. */
export type SearchEnd = "fixed" | "time_budget" | "iteration_cap" | "candidates_exhausted";

export interface RepairReport {
  version: 1;
  sessionId: string;
  outcome: RepairOutcome;
  /** One sentence for humans saying why the session ended this way. */
  outcomeReason: string;
  /**
   * Why the search for a patch ended (absent when the session stopped before searching): a plausible patch, the
   * time budget, the optional iteration cap, or every candidate tried after widening the search.
   */
  searchEnded?: SearchEnd;
  /** Milliseconds from the start to the first plausible patch (the search may look on for a second one). */
  timeToPlausibleMs?: number;
  repository?: ReportRepository;
  trigger?: RepairTrigger;
  testCommand: string[];
  runner: string;
  /** ISO 8601. */
  startedAt: string;
  durationMs: number;
  iterations: number;
  candidates: CandidateCounts;
  testRuns: number;
  testRunMs: number;
  baseline: ReportBaseline;
  phases: PhaseSpan[];
  timeline: TimelineEvent[];
  /** The top suspicious locations (at most 10). */
  locations: RankedLocation[];
  patch: ReportPatch | null;
  alternatives: ReportAlternative[];
  /** Bounded list of what was tried. */
  attempts: ReportAttempt[];
  llm?: ReportLlmUsage;
  /** Settings a reader should know about, one sentence each ("LLM off: no key"). */
  notes?: string[];
  links?: ReportLinks;
  isolation?: ReportIsolation;
}

/** A zero count for every gate rejection type. */
export function emptyGateRejectionCounts(): Record<GateRejectionType, number> {
  const counts = {} as Record<GateRejectionType, number>;
  for (const type of GATE_REJECTION_TYPES) counts[type] = 0;
  return counts;
}

/** A zero count for every validation rejection kind. */
export function emptyValidationRejectionCounts(): Record<ValidationRejection, number> {
  const counts = {} as Record<ValidationRejection, number>;
  for (const kind of VALIDATION_REJECTIONS) counts[kind] = 0;
  return counts;
}

/** Both rejection tables at zero, as used in `CandidateCounts`. */
export function emptyRejectionCounts(): Pick<CandidateCounts, "rejectedByGate" | "rejectedByValidation"> {
  return {
    rejectedByGate: emptyGateRejectionCounts(),
    rejectedByValidation: emptyValidationRejectionCounts(),
  };
}

/** Total proposals the gate refused. */
export function totalGateRejections(report: Pick<RepairReport, "candidates">): number {
  return Object.values(report.candidates.rejectedByGate).reduce((sum, n) => sum + n, 0);
}

/** Total validated candidates that were not plausible. */
export function totalValidationRejections(report: Pick<RepairReport, "candidates">): number {
  return Object.values(report.candidates.rejectedByValidation).reduce((sum, n) => sum + n, 0);
}

/** LLM cache hits, whichever field name the proposer used. */
export function llmCacheHits(llm: ReportLlmUsage): number {
  return llm.cacheHits ?? llm.cachedCalls ?? 0;
}

/** A report with every counter at zero, for tests and early failures (`cannot_run` before anything ran). */
export function emptyRepairReport(fields: {
  sessionId: string;
  outcome: RepairOutcome;
  outcomeReason: string;
  startedAt: string;
  testCommand?: string[];
  runner?: string;
}): RepairReport {
  return {
    version: 1,
    sessionId: fields.sessionId,
    outcome: fields.outcome,
    outcomeReason: fields.outcomeReason,
    testCommand: fields.testCommand ?? [],
    runner: fields.runner ?? "unknown",
    startedAt: fields.startedAt,
    durationMs: 0,
    iterations: 0,
    candidates: { generated: 0, tried: 0, accepted: 0, ...emptyRejectionCounts(), plausible: 0 },
    testRuns: 0,
    testRunMs: 0,
    baseline: { failing: [], passingCount: 0, suiteRunMs: 0 },
    phases: [],
    timeline: [],
    locations: [],
    patch: null,
    alternatives: [],
    attempts: [],
  };
}
