import { describe, expect, it } from "vitest";
import { costUsd, priceOf, UNKNOWN_MODEL_PRICE } from "../../src/repair/proposers/llm/price-table.js";
import { LlmRunBudget, MIN_PROMPT_TOKENS } from "../../src/repair/proposers/llm/run-budget.js";

describe("model prices", () => {
  it("knows the common families, prices unknown models conservatively and local servers at zero", () => {
    expect(priceOf("gpt-4.1-mini")).toEqual({ inputPerMillion: 0.4, outputPerMillion: 1.6 });
    expect(priceOf("gpt-4o-mini-2024-07-18").inputPerMillion).toBe(0.15);
    expect(priceOf("claude-sonnet-4-5").outputPerMillion).toBe(15);
    expect(priceOf("claude-haiku-4-5").inputPerMillion).toBe(1);
    expect(priceOf("llama3.1:8b")).toEqual(UNKNOWN_MODEL_PRICE);
    expect(priceOf("llama3.1:8b", "http://localhost:11434/v1")).toEqual({
      inputPerMillion: 0,
      outputPerMillion: 0,
    });
    expect(costUsd(priceOf("gpt-4.1"), 1_000_000, 500_000)).toBeCloseTo(6);
  });
});

describe("the per-run budget", () => {
  it("stops after max_calls calls with a reason naming the limit", () => {
    const budget = new LlmRunBudget(
      { maxCalls: 2, maxTokens: 100_000, maxCostUsd: 10 },
      priceOf("gpt-4.1-mini"),
    );
    budget.record(100, 10);
    expect(budget.exhausted()).toBeNull();
    budget.record(0, 0);
    expect(budget.exhausted()).toBe("LLM budget: 2 calls used (max_calls 2)");
  });

  it("stops when too few tokens are left for a useful prompt", () => {
    const budget = new LlmRunBudget(
      { maxCalls: 10, maxTokens: 5_000, maxCostUsd: 10 },
      priceOf("gpt-4.1-mini"),
    );
    budget.record(3_000, 500);
    expect(budget.exhausted()).toBe("LLM budget: 3500 of 5000 tokens used (max_tokens)");
  });

  it("stops when the estimated cost leaves no room for another call", () => {
    const budget = new LlmRunBudget(
      { maxCalls: 10, maxTokens: 10_000_000, maxCostUsd: 0.1 },
      priceOf("claude-opus-4"),
    );
    expect(budget.exhausted()).toBeNull();
    budget.record(3_000, 300);
    expect(budget.costUsd).toBeCloseTo(0.0675);
    expect(budget.exhausted()).toBe("LLM budget: $0.07 of $0.10 spent (max_cost_usd)");
  });

  it("sizes the next prompt so that neither the token nor the cost budget can be overrun", () => {
    const budget = new LlmRunBudget(
      { maxCalls: 10, maxTokens: 20_000, maxCostUsd: 0.1 },
      priceOf("claude-sonnet-4"),
    );
    const prompt = budget.promptTokensAffordable(2_000);
    expect(prompt).toBeGreaterThanOrEqual(MIN_PROMPT_TOKENS);
    expect(prompt + 2_000).toBeLessThanOrEqual(20_000);
    expect(costUsd(priceOf("claude-sonnet-4"), prompt, 2_000)).toBeLessThanOrEqual(0.1 + 1e-9);
  });

  it("treats a zero budget as no calls at all", () => {
    expect(
      new LlmRunBudget({ maxCalls: 5, maxTokens: 0, maxCostUsd: 1 }, priceOf("gpt-4.1")).exhausted(),
    ).toMatch(/max_tokens/);
    expect(
      new LlmRunBudget({ maxCalls: 5, maxTokens: 50_000, maxCostUsd: 0 }, priceOf("gpt-4.1")).exhausted(),
    ).toMatch(/max_cost_usd/);
  });
});
