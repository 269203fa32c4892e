// Estimated prices (USD per million tokens) of known model families, for the per-run cost budget.

export interface TokenPrice {
  inputPerMillion: number;
  outputPerMillion: number;
}

/**
 * First match wins, so more specific patterns come first. Figures are list prices rounded up; they only need to be
 * good enough to stop a runaway session. Unknown models are priced like the most expensive family below, so an
 * unknown name can never make the budget looser than intended.
 */
const PRICES: ReadonlyArray<readonly [RegExp, TokenPrice]> = [
  [/gpt-4\.1-nano/i, { inputPerMillion: 0.1, outputPerMillion: 0.4 }],
  [/gpt-4\.1-mini/i, { inputPerMillion: 0.4, outputPerMillion: 1.6 }],
  [/gpt-4\.1/i, { inputPerMillion: 2, outputPerMillion: 8 }],
  [/gpt-4o-mini/i, { inputPerMillion: 0.15, outputPerMillion: 0.6 }],
  [/gpt-4o/i, { inputPerMillion: 2.5, outputPerMillion: 10 }],
  [/gpt-5[.\d]*-nano/i, { inputPerMillion: 0.05, outputPerMillion: 0.4 }],
  [/gpt-5[.\d]*-mini/i, { inputPerMillion: 0.25, outputPerMillion: 2 }],
  [/gpt-5/i, { inputPerMillion: 1.25, outputPerMillion: 10 }],
  [/o\d-mini/i, { inputPerMillion: 1.1, outputPerMillion: 4.4 }],
  [/^o\d/i, { inputPerMillion: 2, outputPerMillion: 8 }],
  [/gpt-3\.5/i, { inputPerMillion: 0.5, outputPerMillion: 1.5 }],
  [/claude-.*haiku-4|claude-haiku/i, { inputPerMillion: 1, outputPerMillion: 5 }],
  [/claude-3-5-haiku/i, { inputPerMillion: 0.8, outputPerMillion: 4 }],
  [/claude-3-haiku/i, { inputPerMillion: 0.25, outputPerMillion: 1.25 }],
  [/claude-.*sonnet|sonnet/i, { inputPerMillion: 3, outputPerMillion: 15 }],
  [/claude-.*opus|opus/i, { inputPerMillion: 15, outputPerMillion: 75 }],
];

/** The price assumed for a model missing from the table (as expensive as the dearest known family). */
export const UNKNOWN_MODEL_PRICE: TokenPrice = { inputPerMillion: 15, outputPerMillion: 75 };

/** A server on this machine (Ollama, vLLM on localhost) costs nothing per token. */
const FREE_PRICE: TokenPrice = { inputPerMillion: 0, outputPerMillion: 0 };

function isLocalEndpoint(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname;
    return host === "localhost" || host === "127.0.0.1" || host === "[::1]" || host === "::1";
  } catch {
    return false;
  }
}

export function priceOf(model: string, baseUrl = ""): TokenPrice {
  if (isLocalEndpoint(baseUrl)) return FREE_PRICE;
  return PRICES.find(([pattern]) => pattern.test(model))?.[1] ?? UNKNOWN_MODEL_PRICE;
}

export function costUsd(price: TokenPrice, inputTokens: number, outputTokens: number): number {
  return (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1_000_000;
}
