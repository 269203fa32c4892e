// The contract for proposers that the planner consults on demand (the LLM proposer), beside the deterministic operators.
import type { GateRejectionRecord } from "../core/repair-planner.js";
import type { OperatorFamily, Proposal, RankedLocation, TestCaseResult } from "../core/types.js";

export interface PreviousAttempt {
  operator: OperatorFamily;
  rationale: string;
  /** `gate:<type>`, `validation:<kind>`, `partial` or `plausible`. */
  verdict: string;
  detail?: string;
  diff?: string;
}

export interface ProposerRequest {
  /** Tests that still fail, with their messages and frames. */
  failing: readonly TestCaseResult[];
  locations: readonly RankedLocation[];
  /** Current text of a project file (base state plus any adopted partial fix). */
  readSource: (file: string) => Promise<string | undefined>;
  previousAttempts: readonly PreviousAttempt[];
  gateRejections: readonly GateRejectionRecord[];
  nextId: () => string;
  remainingMs: number;
}

export interface SessionProposer {
  readonly name: string;
  propose(request: ProposerRequest): Promise<Proposal[]>;
  /** Why this proposer cannot be asked again (a budget), or null while it can. */
  exhausted(): string | null;
  /** Figures for the report (calls, tokens, cost). */
  usage(): Record<string, number | string>;
}
