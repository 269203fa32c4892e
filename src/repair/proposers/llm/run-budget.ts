// The per-run LLM budget: calls, tokens and estimated cost used so far, and the reason a further call is refused.
import { costUsd, type TokenPrice } from "./price-table.js";

export interface RunBudgetLimits {
  maxCalls: number;
  maxTokens: number;
  maxCostUsd: number;
}

/** The smallest completion worth asking for. */
export const MIN_COMPLETION_TOKENS = 512;
/** The smallest prompt worth sending (instructions, one failing test, one code region). */
export const MIN_PROMPT_TOKENS = 1_000;

export class LlmRunBudget {
  calls = 0;
  inputTokens = 0;
  outputTokens = 0;
  costUsd = 0;

  constructor(
    readonly limits: RunBudgetLimits,
    private readonly price: TokenPrice,
  ) {}

  get tokens(): number {
    return this.inputTokens + this.outputTokens;
  }

  /** Records one request: its tokens when the server answered, zeros when it failed. */
  record(inputTokens: number, outputTokens: number): void {
    this.calls += 1;
    this.inputTokens += inputTokens;
    this.outputTokens += outputTokens;
    this.costUsd += costUsd(this.price, inputTokens, outputTokens);
  }

  /** The largest prompt (in tokens) one more call may send when it allows `completionTokens` of answer. */
  promptTokensAffordable(completionTokens: number): number {
    const byTokens = this.limits.maxTokens - this.tokens - completionTokens;
    const moneyLeft = this.limits.maxCostUsd - this.costUsd - costUsd(this.price, 0, completionTokens);
    const byCost =
      this.price.inputPerMillion > 0
        ? Math.floor((moneyLeft * 1_000_000) / this.price.inputPerMillion)
        : moneyLeft >= 0
          ? Number.POSITIVE_INFINITY
          : -1;
    return Math.max(0, Math.min(byTokens, byCost));
  }

  /** Why no further call may be made, e.g. `LLM budget: 10 calls used (max_calls 10)`, or null. */
  exhausted(): string | null {
    const { maxCalls, maxTokens, maxCostUsd } = this.limits;
    if (this.calls >= maxCalls) return `LLM budget: ${this.calls} calls used (max_calls ${maxCalls})`;
    if (maxTokens - this.tokens - MIN_COMPLETION_TOKENS < MIN_PROMPT_TOKENS) {
      return `LLM budget: ${this.tokens} of ${maxTokens} tokens used (max_tokens)`;
    }
    if (this.promptTokensAffordable(MIN_COMPLETION_TOKENS) < MIN_PROMPT_TOKENS) {
      return `LLM budget: $${this.costUsd.toFixed(2)} of $${maxCostUsd.toFixed(2)} spent (max_cost_usd)`;
    }
    return null;
  }
}
