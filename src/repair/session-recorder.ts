// Records what a repair session does (phases, timeline, counters, attempts) and builds its RepairReport.

import type { Span } from "@opentelemetry/api";
import {
  emptyGateRejectionCounts,
  emptyValidationRejectionCounts,
  type RepairReport,
} from "../core/report.js";
import type {
  GateRejectionType,
  OperatorFamily,
  Phase,
  RankedLocation,
  RepairOutcome,
  TestCaseResult,
  ValidationRejection,
} from "../core/types.js";
import { rfsnTracer } from "../observability/tracing.js";

const MAX_ATTEMPTS_KEPT = 200;

export interface PatchChoice {
  diff: string;
  operator: OperatorFamily;
  rationale: string;
  files: string[];
  location?: RankedLocation;
}

export class SessionRecorder {
  readonly startedAtMs: number;
  private readonly phases: RepairReport["phases"] = [];
  private readonly timeline: RepairReport["timeline"] = [];
  private currentPhase: { phase: Phase; startedMs: number; span: Span } | null = null;
  readonly rejectedByGate = emptyGateRejectionCounts();
  readonly rejectedByValidation = emptyValidationRejectionCounts();
  readonly attempts: RepairReport["attempts"] = [];
  generated = 0;
  tried = 0;
  accepted = 0;
  plausible = 0;
  testRuns = 0;
  testRunMs = 0;

  constructor(
    readonly sessionId: string,
    private readonly clock: () => number,
  ) {
    this.startedAtMs = clock();
  }

  private sinceStart(): number {
    return this.clock() - this.startedAtMs;
  }

  enterPhase(phase: Phase): void {
    this.closePhase();
    this.currentPhase = {
      phase,
      startedMs: this.clock(),
      span: rfsnTracer().startSpan(`rfsn.phase.${phase}`),
    };
    this.event(phase, `${phase} started`);
  }

  private closePhase(): void {
    if (!this.currentPhase) return;
    const { phase, startedMs, span } = this.currentPhase;
    span.end();
    const last = this.phases.at(-1);
    const durationMs = this.clock() - startedMs;
    if (last && last.phase === phase) last.durationMs += durationMs;
    else this.phases.push({ phase, startedAt: new Date(startedMs).toISOString(), durationMs });
    this.currentPhase = null;
  }

  event(phase: Phase | "done", event: string): void {
    this.timeline.push({ atMs: this.sinceStart(), phase, event });
  }

  testRun(durationMs: number): void {
    this.testRuns += 1;
    this.testRunMs += durationMs;
  }

  gateRejected(operator: OperatorFamily, rationale: string, type: GateRejectionType, file?: string): void {
    this.rejectedByGate[type] += 1;
    this.attempt({ operator, rationale, verdict: `gate:${type}`, ...(file ? { file } : {}) });
  }

  validated(
    operator: OperatorFamily,
    rationale: string,
    result: "plausible" | "partial" | ValidationRejection,
    file?: string,
  ): void {
    this.tried += 1;
    if (result === "plausible") this.plausible += 1;
    else if (result !== "partial") this.rejectedByValidation[result] += 1;
    this.attempt({
      operator,
      rationale,
      verdict: result === "plausible" || result === "partial" ? result : `validation:${result}`,
      ...(file ? { file } : {}),
    });
  }

  private attempt(entry: RepairReport["attempts"][number]): void {
    if (this.attempts.length < MAX_ATTEMPTS_KEPT) this.attempts.push(entry);
  }

  finish(input: {
    outcome: RepairOutcome;
    outcomeReason: string;
    testCommand: string[];
    runner: string;
    iterations: number;
    failing: readonly TestCaseResult[];
    passingCount: number;
    suiteRunMs: number;
    locations: readonly RankedLocation[];
    patch: PatchChoice | null;
    alternatives: readonly PatchChoice[];
    extra?: Partial<RepairReport>;
  }): RepairReport {
    this.closePhase();
    this.event("done", `${input.outcome}: ${input.outcomeReason}`);
    const trimmedFailing = input.failing.slice(0, 20).map((test) => ({
      ...test,
      message: test.message && test.message.length > 2000 ? `${test.message.slice(0, 2000)}…` : test.message,
      frames: test.frames.slice(0, 10),
    }));
    return {
      version: 1,
      sessionId: this.sessionId,
      outcome: input.outcome,
      outcomeReason: input.outcomeReason,
      trigger: "cli",
      testCommand: input.testCommand,
      runner: input.runner,
      startedAt: new Date(this.startedAtMs).toISOString(),
      durationMs: this.sinceStart(),
      iterations: input.iterations,
      candidates: {
        generated: this.generated,
        tried: this.tried,
        accepted: this.accepted,
        rejectedByGate: { ...this.rejectedByGate },
        rejectedByValidation: { ...this.rejectedByValidation },
        plausible: this.plausible,
      },
      testRuns: this.testRuns,
      testRunMs: this.testRunMs,
      baseline: {
        failing: trimmedFailing as TestCaseResult[],
        passingCount: input.passingCount,
        suiteRunMs: input.suiteRunMs,
      },
      phases: [...this.phases],
      timeline: [...this.timeline],
      locations: input.locations.slice(0, 10),
      patch: input.patch,
      alternatives: input.alternatives.map(({ diff, operator, rationale }) => ({
        diff,
        operator,
        rationale,
      })),
      attempts: [...this.attempts],
      ...input.extra,
    } as RepairReport;
  }
}
