// Shared domain types of the repair engine: tests, evidence, locations, proposals, gate verdicts and outcomes.

export type Language = "python" | "javascript" | "typescript";

export type Phase = "reproduce" | "localize" | "patch" | "verify";

export type RepairOutcome = "fixed" | "not_fixed" | "no_failure" | "flaky" | "cannot_run";

/** A place in a source file, lines 1-based and inclusive. */
export interface SourceLocation {
  file: string;
  startLine: number;
  endLine: number;
  functionName?: string;
}

/** A suspicious location with its suspiciousness score (higher is more suspicious) and why. */
export interface RankedLocation extends SourceLocation {
  score: number;
  reasons: string[];
}

export interface StackFrame {
  /** Path relative to the project root when inside it, absolute otherwise. */
  file: string;
  line: number;
  column?: number;
  functionName?: string;
}

export type TestStatus = "passed" | "failed" | "skipped";

export interface TestCaseResult {
  /** Stable identifier usable to select this test again (runner specific, e.g. `tests/test_a.py::test_x`). */
  id: string;
  name: string;
  file?: string;
  status: TestStatus;
  message?: string;
  frames: StackFrame[];
  durationMs?: number;
}

export interface TestRunResult {
  runner: string;
  argv: string[];
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  /** Combined stdout and stderr, capped. */
  output: string;
  tests: TestCaseResult[];
}

/** Operator families of the deterministic proposers; also the arms of the strategy bandit. */
export const OPERATOR_FAMILIES = [
  "binary_operator",
  "off_by_one",
  "negate_condition",
  "condition_clause",
  "add_guard",
  "swap_operands",
  "replace_identifier",
  "replace_constant",
  "replace_call",
  "wrap_call",
  "mutate_return",
  "add_call_or_return",
  "recursive_call",
  "slice_bounds",
  "swap_statements",
  "delete_statement",
  "insert_statement",
  "replace_property",
  "llm",
] as const;

export type OperatorFamily = (typeof OPERATOR_FAMILIES)[number];

export type ProposalOrigin = "operator" | "llm" | "human";

export interface Proposal {
  /** Unique within a session. */
  id: string;
  /** Unified diff (`--- a/x` / `+++ b/x`, paths relative to the workspace root). */
  diff: string;
  /** What the proposal means to do, e.g. `fix_bug`, `add_guard`. */
  intent: string;
  phase: Phase;
  origin: ProposalOrigin;
  operator: OperatorFamily;
  location?: SourceLocation;
  /** One line for humans, used in the PR body. */
  rationale: string;
}

export const GATE_REJECTION_TYPES = [
  "path_escape",
  "protected_path",
  "test_tampering",
  "forbidden_pattern",
  "secret",
  "too_large",
  "binary",
  "syntax_error",
  "phase_violation",
  "duplicate",
  "budget",
  "malformed_diff",
] as const;

export type GateRejectionType = (typeof GATE_REJECTION_TYPES)[number];

export type GateVerdict =
  | { accepted: true; fingerprint: string }
  | { accepted: false; type: GateRejectionType; reason: string; fingerprint?: string };

/** Why a candidate that passed the gate was not plausible. */
export type ValidationRejection = "apply_failed" | "tests_failed" | "regression" | "timeout";
