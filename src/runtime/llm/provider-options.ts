// Options shared by the OpenAI-compatible and Anthropic clients: endpoint, model, key, timeout, retries, fetch.
import type { RetryPolicy } from "./request-retry.js";
import type { SecretValue } from "./secret-value.js";

export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface ProviderClientOptions {
  model: string;
  baseUrl: string;
  apiKey: SecretValue;
  /** Timeout of one HTTP attempt. */
  timeoutMs: number;
  retry?: RetryPolicy;
  fetch?: FetchFunction;
}

/** Token count estimate (about four characters a token) for servers that report no usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
