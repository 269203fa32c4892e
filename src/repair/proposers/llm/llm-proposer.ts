// The LLM proposer: asks a model for a fix built from the session's evidence, within a per-run budget, and turns answers into proposals.
import { createUnifiedDiff } from "../../../core/diff.js";
import type { Proposal } from "../../../core/types.js";
import { withSpan } from "../../../observability/tracing.js";
import {
  type LlmClient,
  type LlmCompletion,
  type LlmRequest,
  LlmRequestError,
} from "../../../runtime/llm/llm-client.js";
import type { ProposerRequest, SessionProposer } from "../../session-proposer.js";
import { parseAnswerEdits } from "./answer-edits.js";
import { applyAnswerEdits, changedRange } from "./edit-application.js";
import type { LlmTelemetry } from "./llm-telemetry.js";
import { buildRepairPrompt, type UnusableAnswer } from "./repair-prompt.js";
import { responseCacheKey, type TieredResponseCache } from "./response-cache.js";
import { type LlmRunBudget, MIN_COMPLETION_TOKENS, MIN_PROMPT_TOKENS } from "./run-budget.js";

export interface LlmProposerOptions {
  client: LlmClient;
  budget: LlmRunBudget;
  telemetry: LlmTelemetry;
  cache?: TieredResponseCache;
  clock?: () => number;
  /** Upper bound of one prompt, in estimated tokens. */
  maxPromptTokens?: number;
  /** Upper bound of one answer, in tokens. */
  maxCompletionTokens?: number;
  /** Calls in one `propose` when answers cannot be used (each retry is told why the last answer failed). */
  attemptsPerProposal?: number;
  /** Failed requests in a row after which the proposer stops asking. */
  maxConsecutiveErrors?: number;
  /** One line per event (call, cache hit, unusable answer, error) for progress output. Never contains the key. */
  onEvent?: (message: string) => void;
}

/** One thing that happened to a request, kept for the prompt and the report. */
export interface LlmProposerEvent {
  kind: "proposal" | "unparseable_answer" | "error" | "skipped";
  detail: string;
}

export const DEFAULT_MAX_PROMPT_TOKENS = 12_000;
export const DEFAULT_MAX_COMPLETION_TOKENS = 2_048;
const MIN_REMAINING_MS = 2_000;
/** How many suspicious locations the prompt draws from. */
const PROMPT_LOCATIONS = 8;

/** The model's explanation before its first edit, as one short line for the PR body. */
function explanationOf(answer: string): string {
  const before = answer.split(/^\s*(?:```|<{5,9}\s*SEARCH|---\s+\S|diff --git)/m)[0] ?? "";
  const lines = before
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !/^[\w./-]+\.\w+$/.test(line));
  const text = lines.join(" ").replace(/[`*#]/g, "").replace(/\s+/g, " ").trim();
  const sentence = /^.*?[.!?](\s|$)/.exec(text)?.[0]?.trim() ?? text;
  return sentence.length > 120 ? `${sentence.slice(0, 117)}...` : sentence;
}

export class LlmProposer implements SessionProposer {
  readonly name = "llm";
  readonly events: LlmProposerEvent[] = [];
  private readonly unusable: UnusableAnswer[] = [];
  private readonly clock: () => number;
  private consecutiveErrors = 0;
  private stopReason: string | null = null;
  private cachedCalls = 0;
  private failedCalls = 0;
  private proposals = 0;

  constructor(private readonly options: LlmProposerOptions) {
    this.clock = options.clock ?? Date.now;
  }

  exhausted(): string | null {
    return this.stopReason ?? this.options.budget.exhausted();
  }

  usage(): Record<string, number | string> {
    const { budget, client } = this.options;
    return {
      provider: client.provider,
      model: client.model,
      calls: budget.calls,
      cachedCalls: this.cachedCalls,
      failedCalls: this.failedCalls,
      inputTokens: budget.inputTokens,
      outputTokens: budget.outputTokens,
      tokens: budget.tokens,
      costUsd: Number(budget.costUsd.toFixed(4)),
      proposals: this.proposals,
      unparseableAnswers: this.unusable.length,
      ...(this.exhausted() ? { stopped: this.exhausted() as string } : {}),
    };
  }

  async propose(request: ProposerRequest): Promise<Proposal[]> {
    const attempts = Math.max(1, this.options.attemptsPerProposal ?? 2);
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      if (this.exhausted()) return [];
      if (request.remainingMs < MIN_REMAINING_MS) {
        this.record("skipped", "too little session time left for an LLM call");
        return [];
      }
      const outcome = await this.proposeOnce(request);
      if (outcome === "retry") continue;
      return outcome;
    }
    return [];
  }

  /** One request: proposals, [] after an error (the session goes on), or "retry" after an unusable answer. */
  private async proposeOnce(request: ProposerRequest): Promise<Proposal[] | "retry"> {
    const { budget } = this.options;
    const locations = request.locations.slice(0, PROMPT_LOCATIONS);
    const sources = new Map<string, string>();
    for (const location of locations) {
      if (sources.has(location.file)) continue;
      const text = await request.readSource(location.file);
      if (text !== undefined) sources.set(location.file, text);
    }
    const completionTokens = Math.max(
      MIN_COMPLETION_TOKENS,
      this.options.maxCompletionTokens ?? DEFAULT_MAX_COMPLETION_TOKENS,
    );
    const promptBudget = Math.min(
      this.options.maxPromptTokens ?? DEFAULT_MAX_PROMPT_TOKENS,
      budget.promptTokensAffordable(completionTokens),
    );
    if (promptBudget < MIN_PROMPT_TOKENS) {
      this.stopReason =
        budget.exhausted() ??
        `LLM budget: too few tokens left for a prompt (max_tokens ${budget.limits.maxTokens})`;
      return [];
    }
    const prompt = buildRepairPrompt(
      {
        failing: request.failing,
        locations,
        sources,
        previousAttempts: request.previousAttempts,
        unusableAnswers: this.unusable,
      },
      { tokenBudget: promptBudget },
    );
    const llmRequest: LlmRequest = {
      system: prompt.system,
      messages: [{ role: "user", content: prompt.user }],
      maxTokens: completionTokens,
      temperature:
        this.unusable.length > 0 || request.previousAttempts.some((a) => a.operator === "llm") ? 0.3 : 0,
    };
    const completion = await this.complete(llmRequest);
    if (!completion) return [];

    const parsed = parseAnswerEdits(completion.text);
    if (parsed.edits.length === 0) return this.unusableAnswer(parsed.problem ?? "no edit found");
    const applied = await applyAnswerEdits(parsed.edits, {
      readSource: request.readSource,
      knownFiles: [...sources.keys()],
    });
    if (!applied.ok) return this.unusableAnswer(applied.reason);

    const diff = applied.files.map((file) => createUnifiedDiff(file.path, file.before, file.after)).join("");
    const [first] = applied.files;
    if (!first || !diff) return this.unusableAnswer("the edit changes nothing");
    const range = changedRange(first.before, first.after);
    const explanation = explanationOf(completion.text);
    const proposal: Proposal = {
      id: request.nextId(),
      diff,
      intent: "fix_bug",
      phase: "patch",
      origin: "llm",
      operator: "llm",
      location: { file: first.path, ...range },
      rationale: `LLM edit of ${first.path}:${range.startLine}${explanation ? ` — ${explanation}` : ""}`,
    };
    this.proposals += 1;
    this.record("proposal", `${proposal.id} edits ${applied.files.map((file) => file.path).join(", ")}`);
    return [proposal];
  }

  private unusableAnswer(reason: string): "retry" {
    this.unusable.push({ reason });
    this.record("unparseable_answer", reason);
    return "retry";
  }

  /** The completion from the cache or the provider, or undefined after a failed request. */
  private async complete(request: LlmRequest): Promise<LlmCompletion | undefined> {
    const { client, cache, telemetry, budget } = this.options;
    const key = responseCacheKey(client, request);
    const cached = cache?.get(key);
    if (cached) {
      this.cachedCalls += 1;
      this.options.onEvent?.(`llm: answer from the ${cached.tier} cache`);
      return cached.completion;
    }
    const started = this.clock();
    try {
      const completion = await withSpan("rfsn.llm.call", { "rfsn.llm.model": client.model }, () =>
        client.complete(request),
      );
      const seconds = (this.clock() - started) / 1000;
      telemetry.call(client.model, "ok", seconds);
      telemetry.tokens(client.model, "input", completion.inputTokens);
      telemetry.tokens(client.model, "output", completion.outputTokens);
      budget.record(completion.inputTokens, completion.outputTokens);
      this.consecutiveErrors = 0;
      cache?.set(key, completion);
      this.options.onEvent?.(
        `llm: ${client.provider} ${client.model} answered (${completion.inputTokens}+${completion.outputTokens} tokens, ${seconds.toFixed(1)} s)`,
      );
      return completion;
    } catch (error) {
      const failure =
        error instanceof LlmRequestError
          ? error
          : new LlmRequestError(
              `LLM request failed: ${error instanceof Error ? error.message : String(error)}`,
              "connection",
            );
      telemetry.call(client.model, failure.kind, (this.clock() - started) / 1000);
      telemetry.error();
      budget.record(0, 0);
      this.failedCalls += 1;
      this.consecutiveErrors += 1;
      const attempts = failure.attempts > 1 ? ` after ${failure.attempts} attempts` : "";
      this.record("error", `${failure.message}${attempts}`);
      if (failure.kind === "authentication" || failure.kind === "client") {
        this.stopReason = `LLM unavailable: ${failure.message}`;
      } else if (this.consecutiveErrors >= (this.options.maxConsecutiveErrors ?? 3)) {
        this.stopReason = `LLM unavailable: ${this.consecutiveErrors} requests in a row failed (last: ${failure.message})`;
      }
      return undefined;
    }
  }

  private record(kind: LlmProposerEvent["kind"], detail: string): void {
    this.events.push({ kind, detail });
    this.options.onEvent?.(`llm: ${kind === "unparseable_answer" ? "unusable answer" : kind}: ${detail}`);
  }
}
