// The repair session (planner v5): reproduce → localize → patch ⇄ verify, every proposal gated before it is tried.

import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { relative, resolve } from "node:path";
import { clamp } from "../core/clamp.js";
import { parseCommandLine } from "../core/command-line.js";
import { applyFilePatch, changedLineCount, parseUnifiedDiff } from "../core/diff.js";
import { editSize } from "../core/edit-size.js";
import { failureClass } from "../core/failure-fingerprint.js";
import { failureHints } from "../core/failure-hints.js";
import { defaultGateContext, gate, primeGate } from "../core/gate/index.js";
import { seededRandom } from "../core/random.js";
import { COMPETING_LOCATION_RATIO, type QueuedCandidate, RepairPlanner } from "../core/repair-planner.js";
import type { RepairReport, SearchEnd } from "../core/report.js";
import { StrategyBandit } from "../core/strategy-bandit.js";
import type { PooledCoverage } from "../core/suspiciousness.js";
import type {
  Language,
  OperatorFamily,
  RankedLocation,
  RepairOutcome,
  TestCaseResult,
  TestRunResult,
} from "../core/types.js";
import type { AuditLog } from "../observability/audit-chain.js";
import { createLogger, type Logger } from "../observability/logger.js";
import { isolationText } from "../observability/report-sections.js";
import { withSpan } from "../observability/tracing.js";
import type { IsolationLevel } from "../runtime/sandbox/sandbox-launch.js";
import { openSessionSandbox } from "../runtime/sandbox/session-sandbox.js";
import { unsandboxedRefusal } from "../runtime/sandbox/unsandboxed-refusal.js";
import { readProjectCollectionRules } from "../runtime/test-runners/collection-rules.js";
import {
  createTestRunner,
  detectTestCommand,
  type TestCoverage,
  type TestRunner,
  type TestRunnerResult,
} from "../runtime/test-runners/index.js";
import {
  type GrammarName,
  languageOfPath,
  loadGrammarParser,
  syntaxCheckerOnRequest,
} from "../runtime/tree-sitter.js";
import { openRepository, type SourceRepository, type Worktree } from "../runtime/workspace.js";
import type { OutcomeMemory } from "../store/outcome-memory.js";
import { type CandidateGenerator, startCandidateGenerator } from "./candidate-generator.js";
import {
  type ValidationPlan,
  type ValidationResult,
  validateCandidate,
  wholeSuiteCostsAsMuch,
} from "./candidate-validation.js";
import { EarlyGenerations } from "./early-generations.js";
import { HangTimeouts } from "./hang-timeouts.js";
import { localizeFault } from "./localization.js";
import { type PartialFix, PartialFixClimb } from "./partial-fix-climb.js";
import { confirmFailure, type Reproduction, type ReproductionInput, runBaseline } from "./reproduction.js";
import { sessionMetrics } from "./session-metrics.js";
import type { PreviousAttempt, SessionProposer } from "./session-proposer.js";
import { type PatchChoice, SessionRecorder } from "./session-recorder.js";
import { siblingCandidate } from "./sibling-edits.js";
import { TaskPipeline } from "./validation-pipeline.js";
import { WarmSessions } from "./warm-sessions.js";
import { widenedLocations } from "./widened-locations.js";
import { WorktreePool } from "./worktree-pool.js";

const NO_ISOLATION = { level: "none", network: "open", detail: "no sandbox was opened" } as const;

export interface RepairSessionOptions {
  projectDir: string;
  /** The test command as the user would type it; detected from the project when absent. */
  testCommand?: string;
  jobs?: number;
  maxIterations?: number;
  timeBudgetMs?: number;
  protectedPaths?: string[];
  limits?: { maxFiles: number; maxChangedLines: number };
  memory?: OutcomeMemory;
  audit?: AuditLog;
  onProgress?: (message: string) => void;
  seed?: number;
  clock?: () => number;
  includeUncommitted?: boolean;
  /** Proposers the planner consults on demand (e.g. the LLM), beside the deterministic operators. */
  proposers?: SessionProposer[];
  /** Extra fields merged into the report (trigger, repository, links). */
  reportExtra?: Partial<RepairReport>;
  /** How repository code is sandboxed (see src/runtime/sandbox). */
  sandbox?: SessionSandboxSettings;
}

export interface SessionSandboxSettings {
  /** Let sandboxed runs reach the network (`sandbox.network: true` in `.github/rfsn.yml`). Default false. */
  network?: boolean;
  /**
   * Run repository code even without any isolation while a secret is in RFSN's environment. Only from the operator
   * (CLI flag, Action input), never from the repository's config.
   */
  allowUnsandboxed?: boolean;
  /** Use at most this isolation level (`none` turns the sandbox off; tests and benchmarks). */
  maxLevel?: IsolationLevel;
}

/** Without a plausible patch, the on-demand proposers are consulted again after this many iterations. */
const CONSULT_EVERY_ITERATIONS = 3;
const MAX_LOCATIONS = 12;
/** Locations whose candidates are generated while the flaky guard's re-run runs (the first the patch phase expands). */
const EARLY_LOCATIONS = 3;
/**
 * Per-test coverage is collected once this many candidates per job were tried from the ranking without it, and the
 * candidates took at least COVERAGE_AFTER_SUITE_RUNS suite runs of time (cheap warm runs try more first).
 */
const CANDIDATES_BEFORE_COVERAGE_PER_JOB = 2;
const COVERAGE_AFTER_SUITE_RUNS = 3;
/** Candidates the overfitting guard runs at most, after the first plausible patch, looking for a second one. */
const SECOND_LOOK_CANDIDATES = 8;
/** A run of the failing tests alone taking at least this share of a full suite run is not worth doing first. */
const FOCUSED_RUN_NOT_CHEAPER = 0.75;

interface Baseline {
  failing: TestCaseResult[];
  passingIds: Set<string>;
  suiteRunMs: number;
}

/** A candidate's test run may take this multiple of the same run at the base state, plus a second, at least 2 s. */
function candidateTimeout(baseRunMs: number, remainingMs: number): number {
  return clamp(baseRunMs * 3 + 1_000, 2_000, remainingMs);
}

async function resolveCommand(
  dir: string,
  given: string | undefined,
): Promise<{ argv: string[]; env: Record<string, string> } | null> {
  if (given?.trim()) return parseCommandLine(given);
  const detected = await detectTestCommand(dir);
  return detected ? { argv: detected.argv, env: {} } : null;
}

/** The grammar a project tested by this runner most likely needs. */
function likelyGrammar(runnerName: string): GrammarName {
  if (runnerName === "pytest") return "python";
  return runnerName === "vitest" ? "typescript" : "javascript";
}

function touchedFiles(diff: string): string[] {
  return parseUnifiedDiff(diff)
    .map((patch) => patch.newPath ?? patch.oldPath ?? "")
    .filter(Boolean);
}

/**
 * Candidates start as soon as the baseline has ranked the locations, while the flaky guard's re-run still runs. When
 * the re-run finds some (not all) failing tests flaky, every judgement so far counted those tests, so the session
 * starts again from the confirmed reproduction (same recorder, no new baseline).
 */
interface SessionRestart {
  recorder: SessionRecorder;
  reproduction: Extract<Reproduction, { kind: "failing" }>;
}

/** Whether the flaky guard's re-run found any failing test flaky (all of them, or some). */
function foundFlaky(confirmed: Extract<Reproduction, { kind: "flaky" | "failing" }>): boolean {
  return confirmed.kind === "flaky" || confirmed.flaky.length > 0;
}

/** Runs a whole repair session on a project directory and reports what happened. */
export function runRepairSession(options: RepairSessionOptions): Promise<RepairReport> {
  return withSpan("rfsn.repair", { "rfsn.project": options.projectDir }, async (span) => {
    const settings = options.sandbox ?? {};
    const handle = openSessionSandbox({
      ...(settings.network !== undefined ? { network: settings.network } : {}),
      ...(settings.maxLevel !== undefined ? { forceLevel: settings.maxLevel } : {}),
    });
    try {
      const isolation = handle.sandbox.summary;
      sandboxLogger().info({ isolation }, `repository code runs with isolation ${isolationText(isolation)}`);
      const sessionOptions = {
        ...options,
        reportExtra: { ...options.reportExtra, isolation: { ...isolation } },
      };
      const refusal = unsandboxedRefusal(isolation.level, process.env, settings.allowUnsandboxed === true);
      let result = await repairSession(sessionOptions, undefined, refusal);
      while (!("outcome" in result)) result = await repairSession(sessionOptions, result);
      span.setAttribute("rfsn.outcome", result.outcome);
      return result;
    } finally {
      handle.release();
    }
  });
}

let logger: Logger | undefined;
function sandboxLogger(): Logger {
  logger ??= createLogger({ base: { component: "sandbox" } });
  return logger;
}

async function repairSession(
  options: RepairSessionOptions,
  restart?: SessionRestart,
  refusal: string | null = null,
): Promise<RepairReport | SessionRestart> {
  const clock = options.clock ?? Date.now;
  const recorder = restart?.recorder ?? new SessionRecorder(randomUUID(), clock);
  const budgetMs = options.timeBudgetMs ?? 20 * 60_000;
  // Work stops a little before the budget ends, so that stopping the running tests fits inside it.
  const deadlineMs = recorder.startedAtMs + budgetMs - Math.min(500, budgetMs * 0.01);
  const jobs = Math.max(1, options.jobs ?? availableParallelism());
  const progress = options.onProgress ?? (() => {});
  const audit = options.audit;
  const bandit = new StrategyBandit({ random: seededRandom(options.seed ?? 1) });
  const planner = new RepairPlanner(bandit, {
    ...(options.maxIterations ? { maxIterations: options.maxIterations } : {}),
    deadlineMs,
  });
  let testCommand: string[] = [];
  let runnerName = "unknown";
  let baseline: Baseline = { failing: [], passingIds: new Set(), suiteRunMs: 0 };
  let locations: RankedLocation[] = [];
  let language: Language | null = null;
  const familyTime = new Map<OperatorFamily, { attempts: number; plausible: number; ms: number }>();

  const proposers = options.proposers ?? [];
  const proposerUsage = (): Partial<RepairReport> => {
    const [first] = proposers;
    return first ? ({ llm: first.usage() } as unknown as Partial<RepairReport>) : {};
  };
  const previousAttempts: PreviousAttempt[] = [];
  let iterationsSinceConsult = 0;

  if (restart) {
    audit?.append("session_restarted", {
      sessionId: recorder.sessionId,
      flaky: restart.reproduction.flaky.map((test) => test.id),
    });
  } else {
    sessionMetrics.sessionStarted();
    audit?.append("session_started", { sessionId: recorder.sessionId, projectDir: options.projectDir });
  }

  const finish = (
    outcome: RepairOutcome,
    reason: string,
    patch: PatchChoice | null = null,
    alternatives: PatchChoice[] = [],
    searchEnded?: SearchEnd,
    timeToPlausible?: number,
  ): RepairReport => {
    planner.phase = "done";
    const report = recorder.finish({
      outcome,
      outcomeReason: reason,
      testCommand,
      runner: runnerName,
      iterations: planner.iterations,
      failing: baseline.failing,
      passingCount: baseline.passingIds.size,
      suiteRunMs: baseline.suiteRunMs,
      locations,
      patch,
      alternatives,
      extra: {
        ...options.reportExtra,
        ...proposerUsage(),
        ...(searchEnded ? { searchEnded } : {}),
        ...(timeToPlausible !== undefined ? { timeToPlausibleMs: timeToPlausible } : {}),
      },
    });
    if (options.memory && language && baseline.failing.length > 0 && familyTime.size > 0) {
      const fingerprintClass = failureClass(language, baseline.failing);
      options.memory.recordMany(
        [...familyTime].map(([family, stats]) => ({ fingerprintClass, family, ...stats })),
      );
    }
    sessionMetrics.sessionFinished(report);
    audit?.append("session_finished", {
      outcome,
      reason,
      iterations: report.iterations,
      durationMs: report.durationMs,
    });
    progress(`${outcome}: ${reason}`);
    return report;
  };

  let repository: SourceRepository | undefined;
  let pool: WorktreePool | undefined;
  let poolPromise: Promise<WorktreePool> | undefined;
  let reference: Worktree | undefined;
  /** Aborts candidate validations still running (set once the patch phase starts). */
  let stopValidations: (() => Promise<void>) | undefined;
  let deadlineTimer: NodeJS.Timeout | undefined;
  let warmSessions: WarmSessions | undefined;
  let generator: CandidateGenerator | undefined;
  try {
    recorder.enterPhase("reproduce");
    progress(`sandbox: ${isolationText(options.reportExtra?.isolation ?? NO_ISOLATION)}`);
    if (refusal) return finish("cannot_run", refusal);
    const opened = await openRepository(options.projectDir, {
      includeUncommitted: options.includeUncommitted ?? true,
    });
    repository = opened;
    const command = await resolveCommand(opened.root, options.testCommand);
    if (!command) return finish("cannot_run", "no test command was given and none could be detected");
    testCommand = command.argv;
    const runner: TestRunner = createTestRunner({
      projectDir: repository.root,
      argv: command.argv,
      env: command.env,
    });
    runnerName = runner.name;
    const referenceWorktree = await repository.createWorktree();
    reference = referenceWorktree;
    const referenceDir = referenceWorktree.dir;
    const warm = new WarmSessions(runner, (detail) =>
      progress(`verify: the kept-alive test process fails where a fresh run works; running cold (${detail})`),
    );
    warmSessions = warm;
    const syntax = syntaxCheckerOnRequest();
    const candidateGenerator = startCandidateGenerator();
    generator = candidateGenerator;
    /**
     * Worktrees, their warm test processes and the grammars are prepared while the baseline runs (once its process
     * has started: this thread's part would delay it); nothing waits for them unless there is work.
     */
    const prepareWorkers = (): Promise<WorktreePool> => {
      if (poolPromise) return poolPromise;
      const created = WorktreePool.create(opened, jobs);
      poolPromise = created;
      created.then(
        (pool) => {
          for (const worktree of pool.worktrees) warm.for(worktree);
        },
        () => {},
      );
      // Candidates are generated off this thread, localization names enclosing functions on this one: both load the
      // grammar the project most likely needs meanwhile.
      const grammar = likelyGrammar(runner.name);
      candidateGenerator.prepare(grammar).catch(() => {});
      loadGrammarParser(grammar).catch(() => {});
      return created;
    };

    const onTestRun = (run: TestRunResult) => {
      recorder.testRun(run.durationMs);
      sessionMetrics.testRun(run);
    };
    const sources = new Map<string, string>();
    const readSource = async (file: string) => {
      if (!sources.has(file)) {
        const text = await readWorktreeFile(referenceDir, file);
        if (text === undefined) return undefined;
        sources.set(file, text);
      }
      return sources.get(file);
    };
    /** What the user configured for the gate (the same for priming it and for every candidate). */
    // The project's own test and runner configuration (pytest python_files, jest testMatch, scripts the tests run).
    const projectRules = await readProjectCollectionRules(referenceDir, testCommand);
    const gateSettings = {
      protectedPaths: [
        ...(options.protectedPaths ?? []),
        ...projectRules.testFiles,
        ...projectRules.configFiles,
      ],
      ...(options.limits ? { limits: options.limits } : {}),
    };
    /** Ranks suspicious locations for the given failing tests of a baseline. */
    const rankLocations = (
      baselineRun: TestRunnerResult,
      failingTests: TestCaseResult[],
      coverage: TestCoverage | undefined,
      pooledCoverage?: PooledCoverage,
    ) =>
      localizeFault({
        dir: referenceDir,
        ...(repository?.historyRoot ? { historyDir: repository.historyRoot } : {}),
        failing: failingTests,
        passing: baselineRun.tests.filter((test) => test.status === "passed"),
        ...(coverage ? { coverage } : {}),
        ...(pooledCoverage ? { pooledCoverage } : {}),
        readSource,
        limit: MAX_LOCATIONS * 2,
        protectedPaths: gateSettings.protectedPaths,
      });
    /** Candidates for the locations the baseline alone points at, generated while the flaky guard's re-run runs. */
    const early = new EarlyGenerations(candidateGenerator);
    /** The baseline's own ranking; the localize phase's ranking is the same unless a failing test turns out flaky. */
    let earlyRanking: Promise<RankedLocation[]> | undefined;
    /** Whether the baseline alone ranks as well as the baseline with the re-run (which adds line counts for mocha). */
    const ranksFromBaseline = (baselineRun: TestRunnerResult) =>
      baselineRun.coverage !== undefined || baselineRun.lineCounts === undefined;
    const generateEarly = async (baselineRun: TestRunnerResult) => {
      const failingTests = baselineRun.tests.filter((test) => test.status === "failed");
      earlyRanking = rankLocations(baselineRun, failingTests, baselineRun.coverage);
      const ranked = await earlyRanking;
      // The gate's grammars load while candidates are generated.
      syntax.prepare(ranked.map((location) => location.file)).catch(() => {});
      const hints = failureHints(failingTests);
      // Only locations that compete with the best one: the others wait until its candidates run short.
      const top = ranked[0]?.score ?? 0;
      const competing = ranked.filter((location) => location.score >= top * COMPETING_LOCATION_RATIO);
      for (const location of competing.slice(0, EARLY_LOCATIONS)) {
        const source = await readSource(location.file);
        if (source !== undefined) early.start(location, source, hints);
      }
      // This thread waits for those candidates: meanwhile the gate pays its first-run costs.
      primeGate(defaultGateContext(gateSettings));
    };
    const remaining = () => Math.max(1_000, deadlineMs - clock());
    const reproductionInput: ReproductionInput = {
      runner,
      cwd: referenceDir,
      remainingMs: remaining,
      onTestRun,
      onBaselineStarted: () => void prepareWorkers(),
      ...(warm.available
        ? {
            // A kept-alive process in another worktree stands in for an immediate re-run only when the baseline
            // left nothing behind that a re-run in place would see.
            rerun: async (testIds, timeoutMs, onRun) =>
              (await referenceWorktree.isPristine())
                ? (await prepareWorkers()).use((worktree) =>
                    warm.runTests(worktree, { testIds, timeoutMs, startupTimeoutMs: timeoutMs }, onRun),
                  )
                : undefined,
          }
        : {}),
    };
    let reproduction: Reproduction;
    /** The flaky guard's verdict when candidates start before it (the baseline alone ranks the locations). */
    let confirmation: Promise<Extract<Reproduction, { kind: "flaky" | "failing" }>> | undefined;
    if (restart) {
      progress(
        `restarting without the flaky tests: ${restart.reproduction.flaky.map((t) => t.name).join(", ")}`,
      );
      reproduction = restart.reproduction;
    } else {
      progress(`reproduce: running ${testCommand.join(" ")}`);
      const verdict = await runBaseline(reproductionInput);
      if (verdict.kind === "settled") reproduction = verdict.reproduction;
      else {
        const confirming = confirmFailure(reproductionInput, verdict.baselineRun, verdict.failing);
        if (ranksFromBaseline(verdict.baselineRun)) {
          void generateEarly(verdict.baselineRun).catch(() => {});
          confirmation = confirming;
          confirming.catch(() => {});
          reproduction = {
            kind: "failing",
            baselineRun: verdict.baselineRun,
            failing: verdict.failing,
            flaky: [],
            failingRunMs: verdict.baselineRun.durationMs,
          };
        } else reproduction = await confirming;
      }
    }
    const { baselineRun } = reproduction;
    audit?.append("evidence", {
      kind: "baseline",
      exitCode: baselineRun.exitCode,
      timedOut: baselineRun.timedOut,
      tests: baselineRun.tests.length,
    });
    baseline = {
      failing: baselineRun.tests.filter((test) => test.status === "failed"),
      passingIds: new Set(
        baselineRun.tests.filter((test) => test.status === "passed").map((test) => test.id),
      ),
      suiteRunMs: baselineRun.durationMs,
    };
    if (reproduction.kind === "cannot_run") return finish("cannot_run", reproduction.reason);
    if (reproduction.kind === "no_failure") return finish("no_failure", "all tests pass; nothing to repair");
    if (reproduction.kind === "flaky") return finish("flaky", reproduction.reason);
    const { failing, pooledCoverage } = reproduction;
    let { failingRunMs } = reproduction;
    baseline.failing = failing;
    /**
     * Waits for the flaky guard when candidates started before it: an outcome stands only for failures its re-run
     * confirmed. Answers the session's end when it found flaky tests (all of them: `flaky`; some: a restart).
     */
    const settleFlakyGuard = async (): Promise<RepairReport | SessionRestart | undefined> => {
      const confirmed = await confirmation;
      if (!confirmed || !foundFlaky(confirmed)) return undefined;
      await stopValidations?.();
      if (confirmed.kind === "flaky") return finish("flaky", confirmed.reason);
      return { recorder, reproduction: confirmed };
    };
    if (reproduction.flaky.length > 0)
      progress(`ignoring flaky tests: ${reproduction.flaky.map((test) => test.name).join(", ")}`);

    const exitCodeOnly = runner.name === "generic";
    // Per-test coverage that needs runs of its own is collected only when the first candidates, ranked from stack
    // frames and the code the failing tests call, did not fix the bug (easy bugs never pay for it).
    const coverageDeferred =
      !baselineRun.coverage && runner.supportsCoverage && !exitCodeOnly && !baselineRun.timedOut;
    progress(`reproduce: ${failing.length} failing, ${baseline.passingIds.size} passing`);

    recorder.enterPhase("localize");
    planner.transition("localize");
    const hasProjectFrames = failing.some((test) => test.frames.length > 0);
    const localize = (coverage: TestCoverage | undefined) =>
      rankLocations(baselineRun, failing, coverage, pooledCoverage);
    let coverageCollected = !coverageDeferred;
    /** Runs the suite once more for per-test coverage and ranks the locations again with it. */
    const localizeWithCoverage = async (): Promise<void> => {
      coverageCollected = true;
      // The flaky guard's re-run may still run in the reference worktree (when the baseline left files there).
      await confirmation?.catch(() => undefined);
      progress("localize: collecting per-test coverage");
      const timeoutMs = clamp(baselineRun.durationMs * 4 + 5_000, 5_000, remaining());
      let coverage: TestCoverage | undefined;
      // The baseline's results choose which tests to cover; a runner that covers them without another whole run does.
      if (runner.coverageOf)
        coverage = await runner.coverageOf(baselineRun.tests, { cwd: referenceDir, timeoutMs });
      else {
        const covered = await runner.run({ cwd: referenceDir, timeoutMs, coverage: true });
        onTestRun(covered);
        coverage = covered.coverage;
      }
      if (!coverage) return;
      const better = await localize(coverage);
      if (better.length > 0) locations = better;
      audit?.append("localization", { coverage: true, locations: locations.slice(0, 10) });
    };
    const rankedEarly =
      reproduction.flaky.length === 0 ? await earlyRanking?.catch(() => undefined) : undefined;
    locations = rankedEarly ?? (await localize(baselineRun.coverage));
    audit?.append("localization", { locations: locations.slice(0, 10) });
    if (locations.length === 0 && !coverageCollected) await localizeWithCoverage();
    if (locations.length === 0) {
      const ended = await settleFlakyGuard();
      if (ended) return ended;
      return finish(
        "not_fixed",
        hasProjectFrames
          ? "no suspicious location in project source"
          : "could not localize the fault: no stack frame or coverage points into project source",
      );
    }
    language = languageOfPath(locations[0]?.file ?? "");
    if (options.memory && language) {
      const fingerprintClass = failureClass(language, failing);
      const priors = options.memory.statsFor(fingerprintClass);
      bandit.loadPriors(priors);
      if (priors.size > 0) {
        audit?.append("memory_priors", {
          fingerprintClass,
          families: Object.fromEntries(priors),
          quarantined: bandit.quarantinedFamilies(),
        });
      }
    }
    progress(
      `localize: top ${locations
        .slice(0, 3)
        .map((l) => `${l.file}:${l.startLine} (${l.score.toFixed(2)})`)
        .join(", ")}`,
    );

    recorder.enterPhase("patch");
    planner.transition("patch");
    const workers = await prepareWorkers();
    pool = workers;
    let proposalCounter = 0;
    const nextId = () => `p${++proposalCounter}`;
    let baseDiff = "";
    let currentFailing = failing;
    const currentSources = new Map<string, string>();
    const currentSource = async (file: string) => currentSources.get(file) ?? (await readSource(file));

    const flakyIds = new Set(reproduction.flaky.map((test) => test.id));
    // Running the failing tests alone first pays only when that is clearly cheaper than the whole suite.
    const focusedRuns: number[] = baselineRun.timedOut || confirmation ? [] : [failingRunMs];
    const focusedCostsASuite = () =>
      focusedRuns.length > 0 && Math.min(...focusedRuns) >= FOCUSED_RUN_NOT_CHEAPER * baseline.suiteRunMs;
    let suiteOnly =
      focusedCostsASuite() ||
      (!baselineRun.timedOut &&
        wholeSuiteCostsAsMuch(
          baselineRun,
          failing.map((test) => test.id),
        ));
    /**
     * After a hung baseline the failing tests' own time is unknown: candidates get about what the passing tests of
     * their files take (near one second), doubled while candidates keep timing out (`retryTimedOut`).
     */
    const hangTimeouts = baselineRun.timedOut
      ? new HangTimeouts<QueuedCandidate>({
          tests: baselineRun.tests,
          failing,
          maxMs: baselineRun.durationMs,
        })
      : undefined;
    if (hangTimeouts)
      progress(
        `reproduce: the suite hung; candidates' failing tests get ${hangTimeouts.currentLevelMs} ms at first`,
      );
    const plan = (): ValidationPlan => ({
      runner,
      failingIds: currentFailing.map((test) => test.id),
      passingIds: baseline.passingIds,
      flakyIds,
      exitCodeOnly,
      suiteOnly,
      failingTimeoutMs:
        hangTimeouts?.failingTimeoutMs(remaining()) ?? candidateTimeout(failingRunMs, remaining()),
      suiteTimeoutMs:
        hangTimeouts?.suiteTimeoutMs(remaining()) ?? candidateTimeout(baselineRun.durationMs, remaining()),
      baseDiff,
      onTestRun,
      ...(warm.available ? { runTests: warm.runTests.bind(warm) } : {}),
    });

    // Until the flaky guard's re-run ends, a candidate's failing tests get the baseline's time; then their own.
    confirmation?.then(
      (confirmed) => {
        if (confirmed.kind !== "failing" || foundFlaky(confirmed)) return;
        failingRunMs = confirmed.failingRunMs;
        focusedRuns.push(failingRunMs);
      },
      () => {},
    );

    /** Bumped whenever the queue restarts (new ranking or base): generation still running for the old one is dropped. */
    let expansionEpoch = 0;
    const restartExpansion = () => {
      expansionEpoch += 1;
      planner.restartExpansion();
    };
    /** Candidates for a location: those generated early when they were for the same source, else new ones. */
    const generateCandidates = async (location: RankedLocation, source: string): Promise<QueuedCandidate[]> =>
      (await early.take(location, source, nextId)) ??
      (await candidateGenerator.generate({
        location,
        source,
        nextId,
        hints: failureHints(currentFailing),
      }));
    /**
     * How far the search reaches: the best MAX_LOCATIONS ranked lines at first; once their candidates run out, every
     * ranked line, then the whole functions around them, then the other functions of their files (`widen`).
     */
    let rankedLimit = MAX_LOCATIONS;
    let widerLocations: RankedLocation[] = [];
    const searchLocations = () => [...locations.slice(0, rankedLimit), ...widerLocations];
    const wideningSteps: ReadonlyArray<{ name: string; apply: () => Promise<boolean> }> = [
      {
        name: "every ranked line",
        apply: async () => {
          if (locations.length <= rankedLimit) return false;
          rankedLimit = locations.length;
          return true;
        },
      },
      {
        name: "the whole functions around the ranked lines",
        apply: async () => {
          const { enclosing } = await widenedLocations(locations, currentSource);
          if (enclosing.length === 0) return false;
          widerLocations = enclosing;
          return true;
        },
      },
      {
        name: "the other functions of the suspicious files",
        apply: async () => {
          const { enclosing, siblings } = await widenedLocations(locations, currentSource);
          if (siblings.length === 0) return false;
          widerLocations = [...enclosing, ...siblings];
          return true;
        },
      },
    ];
    /** The widening steps taken so far, by name. */
    const widenings: string[] = [];
    let nextWidening = 0;
    /** Takes the search one step wider; false when it is as wide as it gets. */
    const widen = async (): Promise<boolean> => {
      while (nextWidening < wideningSteps.length) {
        const step = wideningSteps[nextWidening] as (typeof wideningSteps)[number];
        nextWidening += 1;
        if (await step.apply()) {
          widenings.push(step.name);
          progress(`widening the search: ${step.name}`);
          audit?.append("search_widened", { step: step.name });
          return true;
        }
      }
      return false;
    };
    /** Generates candidates for the locations worth it now (each location once per base). */
    const expand = async () => {
      const epoch = expansionEpoch;
      for (const location of planner.locationsWorthExpanding(searchLocations(), batchSize)) {
        // What the locations before added to the queue may leave this one no chance yet: it waits for a later call.
        if (epoch !== expansionEpoch || !planner.competes(location)) return;
        planner.markExpanded(location);
        const source = await currentSource(location.file);
        if (source === undefined) continue;
        const queued = await generateCandidates(location, source);
        if (epoch !== expansionEpoch) return;
        recorder.generated += queued.length;
        planner.enqueue(queued);
      }
    };
    /** The expansion running while candidates are validated, if any. */
    let backgroundExpansion: Promise<void> | undefined;
    const expandInBackground = () => {
      if (backgroundExpansion) return;
      const running = expand().finally(() => {
        backgroundExpansion = undefined;
      });
      // A failure surfaces where the expansion is awaited (refilling the queue), not as an unhandled rejection.
      running.catch(() => {});
      backgroundExpansion = running;
    };

    const batchSize = Math.max(2, jobs * 2);
    const plausible: Array<{
      candidate: QueuedCandidate;
      result: Extract<ValidationResult, { kind: "plausible" }>;
    }> = [];
    const climb = new PartialFixClimb();
    /** Milliseconds from the session's start to its first plausible patch. */
    let timeToPlausibleMs: number | undefined;
    await expand();

    /** Asks the on-demand proposers for candidates; they go to the front of the queue. */
    const consultProposers = async (): Promise<number> => {
      iterationsSinceConsult = 0;
      let added = 0;
      for (const proposer of proposers) {
        if (proposer.exhausted()) continue;
        const proposals = await proposer.propose({
          failing: currentFailing,
          locations: locations.slice(0, MAX_LOCATIONS),
          readSource: currentSource,
          previousAttempts: previousAttempts.slice(-20),
          gateRejections: planner.gateRejections.slice(-20),
          nextId,
          remainingMs: remaining(),
        });
        recorder.generated += proposals.length;
        const top = locations[0];
        planner.enqueue(
          proposals.map((proposal, rankInLocation) => {
            const at = locations.find((l) => l.file === proposal.location?.file) ?? top;
            return { proposal, location: { ...(at as RankedLocation), score: 1 }, rankInLocation };
          }),
        );
        added += proposals.length;
        progress(`patch: ${proposer.name} proposed ${proposals.length} candidates`);
      }
      return added;
    };
    const proposersAvailable = () => proposers.some((proposer) => proposer.exhausted() === null);

    /** Gates a batch from the planner; the accepted candidates are returned in the planner's order. */
    const gateBatch = (batch: readonly QueuedCandidate[]): QueuedCandidate[] => {
      const gated: QueuedCandidate[] = [];
      for (const candidate of batch) {
        const { proposal } = candidate;
        sessionMetrics.proposal(proposal);
        const verdict = gate(
          proposal,
          defaultGateContext({
            phase: "patch",
            ...gateSettings,
            seenFingerprints: planner.triedFingerprints,
            budget: { candidatesLeft: Number.MAX_SAFE_INTEGER, deadlineMs, nowMs: clock() },
            readFile: (path: string) => currentSources.get(path) ?? sources.get(path),
            checkSyntax: syntax.check,
          }),
        );
        sessionMetrics.gateVerdict(verdict);
        audit?.append("gate_verdict", {
          proposal: proposal.id,
          operator: proposal.operator,
          rationale: proposal.rationale,
          verdict,
        });
        if (verdict.fingerprint) planner.triedFingerprints.add(verdict.fingerprint);
        if (!verdict.accepted) {
          if (verdict.type !== "duplicate")
            recorder.gateRejected(
              proposal.operator,
              proposal.rationale,
              verdict.type,
              proposal.location?.file,
            );
          // An operator edit that does not parse is a rare slip of the operator, not a sign against its family.
          if (!(verdict.type === "syntax_error" && proposal.origin === "operator"))
            planner.onGateRejection(proposal, verdict.type, verdict.reason);
          if (proposal.origin === "llm") {
            previousAttempts.push({
              operator: proposal.operator,
              rationale: proposal.rationale,
              verdict: `gate:${verdict.type}`,
              detail: verdict.reason,
              diff: proposal.diff,
            });
          }
          continue;
        }
        recorder.accepted += 1;
        if (verdict.fingerprint) readyFingerprints.set(candidate, verdict.fingerprint);
        gated.push(candidate);
      }
      return gated;
    };

    /** Gated candidates waiting for a free worktree, best first. */
    const ready: QueuedCandidate[] = [];
    const readyFingerprints = new Map<QueuedCandidate, string>();
    /** Fingerprints of the started candidates, so that one that timed out can be tried again with more time. */
    const startedFingerprints = new Map<QueuedCandidate, { fingerprint: string; base: string }>();
    const takeReady = (): QueuedCandidate => {
      const candidate = ready.shift() as QueuedCandidate;
      const fingerprint = readyFingerprints.get(candidate);
      if (fingerprint && hangTimeouts) startedFingerprints.set(candidate, { fingerprint, base: baseDiff });
      readyFingerprints.delete(candidate);
      return candidate;
    };
    /**
     * Iterative deepening after a hung baseline: doubles the timeout and queues again the candidates that timed out
     * on the current base (first, as they were the best ones). False when there is nothing to try again.
     */
    const retryTimedOut = (): boolean => {
      const retry = hangTimeouts?.deepen();
      if (!retry) return false;
      const again = retry.filter((candidate) => startedFingerprints.get(candidate)?.base === baseDiff);
      for (const candidate of again) {
        const started = startedFingerprints.get(candidate);
        if (started) planner.triedFingerprints.delete(started.fingerprint);
      }
      planner.enqueue(again);
      progress(
        `verify: ${retry.length} candidates timed out; trying them again with ${hangTimeouts?.currentLevelMs} ms`,
      );
      return again.length > 0;
    };
    /** Drops the gated candidates not yet started; they were never tried, so they may come back later. */
    const discardReady = () => {
      for (const candidate of ready.splice(0)) {
        const fingerprint = readyFingerprints.get(candidate);
        if (fingerprint) planner.triedFingerprints.delete(fingerprint);
        recorder.accepted -= 1;
      }
      readyFingerprints.clear();
    };
    /** Refills `ready` from the planner (one planner iteration per batch); false when nothing more can come. */
    const refillReady = async (): Promise<boolean> => {
      while (ready.length === 0) {
        if (planner.exhausted(clock())) return false;
        // Competing locations are expanded while candidates run (below, each enqueued as it is ready); here the
        // queue waits for that expansion, or expands itself, only when it runs short.
        if (planner.queuedCount() < batchSize) await backgroundExpansion;
        if (planner.queuedCount() < batchSize) await expand();
        if (
          proposersAvailable() &&
          (planner.queuedCount() === 0 || iterationsSinceConsult >= CONSULT_EVERY_ITERATIONS)
        ) {
          await consultProposers();
        }
        iterationsSinceConsult += 1;
        const batch = planner.nextBatch(batchSize);
        if (batch.length === 0) return false;
        await syntax.prepare(batch.flatMap((candidate) => touchedFiles(candidate.proposal.diff)));
        ready.push(...gateBatch(batch));
      }
      return true;
    };

    /** Queues a partial fix's edit made at every copy of the code it changed, first (see `siblingCandidate`). */
    const trySiblings = async (candidate: QueuedCandidate) => {
      const epoch = expansionEpoch;
      const before = await currentSource(candidate.location.file);
      if (before === undefined) return;
      const sibling = await siblingCandidate(candidate, before, nextId()).catch(() => null);
      if (sibling && epoch === expansionEpoch) planner.enqueue([sibling]);
    };
    /** Counts and records one validation result. */
    const recordValidation = (candidate: QueuedCandidate, result: ValidationResult): void => {
      const { proposal } = candidate;
      const verdict = result.kind;
      hangTimeouts?.record(candidate, verdict === "timeout");
      // Nothing finishes at this depth (the command may take longer to start than the estimate): deepen at once.
      if (hangTimeouts?.everythingTimesOut(Math.max(2, jobs))) retryTimedOut();
      planner.onValidation(proposal, verdict);
      recorder.validated(proposal.operator, proposal.rationale, verdict, proposal.location?.file);
      if (result.focusedRunMs !== undefined && !suiteOnly) {
        focusedRuns.push(result.focusedRunMs);
        suiteOnly = focusedRuns.length >= 2 && focusedCostsASuite();
        if (suiteOnly)
          progress("verify: the failing tests alone take as long as the suite; running the suite only");
      }
      const stats = familyTime.get(proposal.operator) ?? { attempts: 0, plausible: 0, ms: 0 };
      stats.attempts += 1;
      stats.ms += result.durationMs;
      if (verdict === "plausible") stats.plausible += 1;
      familyTime.set(proposal.operator, stats);
      const detail = "detail" in result ? result.detail : undefined;
      audit?.append("validation", { proposal: proposal.id, result: verdict, detail });
      previousAttempts.push({
        operator: proposal.operator,
        rationale: proposal.rationale,
        verdict: verdict === "plausible" || verdict === "partial" ? verdict : `validation:${verdict}`,
        ...(detail ? { detail } : {}),
        diff: proposal.diff,
      });
      if (result.kind === "plausible") {
        if (plausible.length === 0) timeToPlausibleMs = clock() - recorder.startedAtMs;
        plausible.push({ candidate, result });
      } else if (result.kind === "partial") {
        climb.consider({ candidate, result }, planner.iterations);
        void trySiblings(candidate);
      }
    };

    // Validation is a pipeline: a candidate starts as soon as a worktree is free; after the first plausible patch no
    // new one starts, and the deadline stops them all. A change of base (adopting or giving up a partial fix)
    // waits for the running ones.
    const validations = new TaskPipeline<QueuedCandidate, ValidationResult>(jobs);
    /** Running candidates whose failing tests passed: they are on the whole suite and may be plausible too. */
    const inWholeSuite = new Set<QueuedCandidate>();
    const validationStartedAt = clock();
    stopValidations = () => validations.abortAll();
    const startValidation = (candidate: QueuedCandidate) => {
      if (planner.phase === "patch") {
        planner.transition("verify");
        recorder.enterPhase("verify");
      }
      const validationPlan = { ...plan(), onWholeSuite: () => inWholeSuite.add(candidate) };
      validations.start(candidate, (signal) =>
        workers.use((worktree) =>
          withSpan(
            "rfsn.candidate.validate",
            { "rfsn.operator": candidate.proposal.operator, "rfsn.file": candidate.location.file },
            async (span) => {
              const result = await validateCandidate(
                worktree,
                candidate.proposal,
                validationPlan,
                clock,
                signal,
              );
              span.setAttribute("rfsn.result", signal.aborted ? "aborted" : result.kind);
              return result;
            },
          ),
        ),
      );
    };
    const deadlinePassed = new Promise<void>((resolve) => {
      deadlineTimer = setTimeout(resolve, Math.max(0, deadlineMs - clock()));
    });
    const never = new Promise<never>(() => {});
    /** Settles when the flaky guard found a flaky test: what the running candidates show no longer counts. */
    const flakinessFound =
      confirmation?.then(
        (confirmed) => (foundFlaky(confirmed) ? undefined : never),
        () => never,
      ) ?? never;
    const stopWaitingForCandidates = Promise.race([deadlinePassed, flakinessFound]);
    /** Coverage sharpens the ranking: candidates are generated again from the new locations (tried ones stay tried). */
    const rankAgainWithCoverage = async () => {
      await localizeWithCoverage();
      restartExpansion();
      discardReady();
    };
    while (plausible.length === 0) {
      const baseChange = climb.due(planner.iterations);
      while (baseChange === null && validations.hasRoom() && !planner.exhausted(clock())) {
        if (ready.length === 0) {
          if (planner.phase === "verify") {
            planner.transition("patch");
            recorder.enterPhase("patch");
          }
          if (!(await refillReady())) break;
        }
        startValidation(takeReady());
      }
      // Budget used up: the running candidates may still finish (the deadline stops them below).
      if (validations.size === 0 && planner.exhausted(clock())) break;
      if (validations.size === 0 && !coverageCollected && !climb.climbing) {
        await rankAgainWithCoverage();
        continue;
      }
      if (validations.size === 0) {
        // Hill climbing: a partial fix that holds on the whole suite becomes the base of every later candidate.
        if (baseChange === "backtrack") {
          backtrack();
          continue;
        }
        const partial = climb.takeBest();
        if (partial && (await adoptPartial(partial))) continue;
        if (baseChange === "adopt") continue;
        // Candidates ran out with budget left: those that timed out get more time, then the search reaches further.
        if (retryTimedOut()) continue;
        if (await widen()) continue;
        break;
      }
      expandInBackground();
      const finished = await validations.next(stopWaitingForCandidates);
      if (finished === null) break;
      inWholeSuite.delete(finished.item);
      if (finished.result === null) continue;
      recordValidation(finished.item, finished.result);
      progress(
        `verify: ${recorder.tried} tried, ${plausible.length} plausible (iteration ${planner.iterations})`,
      );
      if (
        plausible.length === 0 &&
        !coverageCollected &&
        !climb.climbing &&
        recorder.tried >= jobs * CANDIDATES_BEFORE_COVERAGE_PER_JOB &&
        clock() - validationStartedAt >= COVERAGE_AFTER_SUITE_RUNS * baseline.suiteRunMs
      ) {
        await rankAgainWithCoverage();
      }
    }
    const ended = await settleFlakyGuard();
    if (ended) return ended;
    await lookForAnotherPlausible();
    // Candidates already on the whole suite when the first plausible patch came may hold a smaller one: they finish
    // (no new one starts) if they take no longer than the plausible one did (a candidate running on is most likely a
    // mutant heading for its timeout), within the deadline. The others stop at once.
    const [first] = plausible;
    if (first && inWholeSuite.size > 0) {
      let graceTimer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<void>((resolve) => {
        graceTimer = setTimeout(resolve, Math.max(first.result.durationMs, baseline.suiteRunMs));
      });
      const stopWaiting = Promise.race([graceOver, deadlinePassed]);
      while (inWholeSuite.size > 0) {
        const finished = await validations.next(stopWaiting);
        if (finished === null) break;
        inWholeSuite.delete(finished.item);
        if (finished.result) recordValidation(finished.item, finished.result);
      }
      clearTimeout(graceTimer);
    }
    await validations.abortAll();

    /**
     * Overfitting guard: with budget to spare, a few more candidates run after the first plausible patch, for a
     * second one to compare it with (the smaller, more natural patch is reported; both are listed). The look lasts
     * at most SECOND_LOOK_CANDIDATES candidates and about half the time the first one took (at least two suite runs).
     */
    async function lookForAnotherPlausible(): Promise<void> {
      if (plausible.length !== 1 || climb.climbing || baseDiff !== "") return;
      const start = clock();
      const lookUntil = Math.min(
        deadlineMs,
        start + Math.max(2 * baseline.suiteRunMs, (start - validationStartedAt) / 2),
      );
      if (lookUntil - start < baseline.suiteRunMs) return;
      let timer: NodeJS.Timeout | undefined;
      const lookOver = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, lookUntil - start);
      });
      const stopWaiting = Promise.race([lookOver, deadlinePassed]);
      let started = 0;
      try {
        while (plausible.length < 2 && clock() < lookUntil) {
          while (validations.hasRoom() && started < SECOND_LOOK_CANDIDATES && clock() < lookUntil) {
            if (ready.length === 0 && !(await refillReady())) break;
            startValidation(takeReady());
            started += 1;
          }
          if (validations.size === 0) break;
          const finished = await validations.next(stopWaiting);
          if (finished === null) break;
          inWholeSuite.delete(finished.item);
          if (finished.result) recordValidation(finished.item, finished.result);
        }
      } finally {
        clearTimeout(timer);
      }
      if (plausible.length > 1) progress(`verify: a second plausible patch to compare with the first`);
    }

    /** Gives up the last adopted partial fix (it led nowhere) and returns to the base before it. */
    function backtrack(): void {
      const previous = climb.backtrack(planner.iterations);
      if (!previous) return;
      baseDiff = previous.diff;
      planner.useBase(baseDiff);
      currentFailing = previous.failing;
      currentSources.clear();
      for (const [file, text] of previous.sources) currentSources.set(file, text);
      restartExpansion();
      discardReady();
      progress(
        `backtracking: the adopted partial fix led to no plausible patch; ${currentFailing.length} tests failing again`,
      );
      audit?.append("partial_abandoned", { stillFailing: currentFailing.map((test) => test.id) });
    }

    /** Makes `partial` the base when it breaks nothing that passed before the session. */
    async function adoptPartial(partial: PartialFix): Promise<boolean> {
      const holds = await workers.use(async (worktree) => {
        await worktree.applyDiff(partial.result.diff);
        const suite = await warm.runTests(worktree, { timeoutMs: plan().suiteTimeoutMs }, onTestRun);
        const failed = new Set(suite.tests.filter((test) => test.status === "failed").map((test) => test.id));
        return !suite.timedOut && ![...baseline.passingIds].some((id) => failed.has(id));
      });
      if (!holds) {
        progress(`a partial fix (${partial.candidate.proposal.rationale}) breaks other tests; not adopted`);
        return false;
      }
      climb.adopted(
        { diff: baseDiff, failing: currentFailing, sources: new Map(currentSources) },
        planner.iterations,
      );
      const fixedIds = new Set(partial.result.fixed);
      currentFailing = currentFailing.filter((test) => !fixedIds.has(test.id));
      baseDiff = partial.result.diff;
      planner.useBase(baseDiff);
      for (const patch of parseUnifiedDiff(baseDiff)) {
        const file = patch.newPath ?? patch.oldPath;
        if (!file) continue;
        const original = (await readSource(file)) ?? "";
        currentSources.set(file, applyFilePatch(original, patch));
      }
      restartExpansion();
      discardReady();
      progress(
        `adopting a partial fix (${partial.candidate.proposal.rationale}); ${currentFailing.length} tests still failing`,
      );
      audit?.append("partial_adopted", {
        proposal: partial.candidate.proposal.id,
        stillFailing: currentFailing.map((t) => t.id),
      });
      return true;
    }

    if (plausible.length === 0) {
      const proposerLimit = proposers
        .map((proposer) => proposer.exhausted())
        .find((reason) => reason !== null);
      const stop = planner.budgetStop(clock());
      const widened = widenings.length > 0 ? ` (search widened to ${widenings.join(", then ")})` : "";
      const reason =
        stop?.reason ??
        (proposerLimit
          ? `every candidate was tried${widened}; ${proposerLimit}`
          : `every candidate was tried without a plausible patch${widened}`);
      return finish("not_fixed", reason, null, [], stop?.kind ?? "candidates_exhausted");
    }
    const ranked = plausible
      .map(({ candidate, result }) => ({
        candidate,
        diff: result.diff,
        lines: changedLineCount(parseUnifiedDiff(result.diff)),
        novel: novelTokens(result.diff),
        characters: editSize(result.diff),
      }))
      .sort(
        (a, b) =>
          a.lines - b.lines ||
          a.novel - b.novel ||
          a.characters - b.characters ||
          b.candidate.location.score - a.candidate.location.score,
      );
    const choices: PatchChoice[] = ranked.map(({ candidate, diff }) => ({
      diff,
      operator: candidate.proposal.operator,
      rationale: candidate.proposal.rationale,
      files: touchedFiles(diff),
      location: candidate.location,
    }));
    const [best, ...others] = choices;
    if (!best) return finish("not_fixed", "no plausible patch could be reported");
    return finish(
      "fixed",
      `${best.rationale} makes the failing tests pass without breaking others`,
      best,
      others.slice(0, 2),
      "fixed",
      timeToPlausibleMs,
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return finish("cannot_run", `the session stopped on an error: ${message}`);
  } finally {
    clearTimeout(deadlineTimer);
    await stopValidations?.();
    pool ??= await poolPromise?.catch(() => undefined);
    warmSessions?.closeAll();
    await generator?.close();
    await pool?.dispose();
    await reference?.dispose();
    await repository?.dispose();
  }
}

/**
 * Words and literals a patch adds that its hunks did not hold before (a new number, string or name): fewer reads more
 * naturally, with the code's own vocabulary.
 */
export function novelTokens(diff: string): number {
  const before = new Set<string>();
  const added: string[] = [];
  const tokens = (text: string) => text.match(/[A-Za-z_$][\w$]*|\d+(?:\.\d+)?|"[^"]*"|'[^']*'/g) ?? [];
  for (const line of diff.split("\n")) {
    if (line.startsWith("+++") || line.startsWith("---") || line.startsWith("@@")) continue;
    if (line.startsWith("+")) added.push(...tokens(line.slice(1)));
    else for (const token of tokens(line.slice(1))) before.add(token);
  }
  return added.filter((token) => !before.has(token)).length;
}

async function readWorktreeFile(dir: string, file: string): Promise<string | undefined> {
  const full = resolve(dir, file);
  if (relative(dir, full).startsWith("..")) return undefined;
  try {
    return await readFile(full, "utf8");
  } catch {
    return undefined;
  }
}
