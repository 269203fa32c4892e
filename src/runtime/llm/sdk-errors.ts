// Turns an error thrown by the OpenAI or Anthropic SDK into an `LlmRequestError` with a key-free, actionable message.
import { type LlmProviderName, LlmRequestError } from "./llm-client.js";
import { retryAfterFromHeaders } from "./request-retry.js";
import type { SecretValue } from "./secret-value.js";

type ErrorClass = abstract new (...args: never[]) => Error;

/** The error classes of one SDK, so that both SDKs share one translation. */
export interface SdkErrorClasses {
  apiError: ErrorClass;
  timeoutError: ErrorClass;
  connectionError: ErrorClass;
  abortError: ErrorClass;
}

const KEY_VARIABLE: Record<LlmProviderName, string> = {
  openai: "OPENAI_API_KEY",
  anthropic: "ANTHROPIC_API_KEY",
};

function serverMessage(error: Error, apiKey: SecretValue): string {
  const body = (error as { error?: unknown }).error;
  const nested =
    body && typeof body === "object" && "message" in body
      ? (body as { message?: unknown }).message
      : undefined;
  const inner =
    body && typeof body === "object" && "error" in body
      ? (body as { error?: { message?: unknown } }).error?.message
      : undefined;
  const text = typeof nested === "string" ? nested : typeof inner === "string" ? inner : "";
  const trimmed = apiKey.redact(text).replace(/\s+/g, " ").trim();
  return trimmed ? `: ${trimmed.slice(0, 200)}` : "";
}

export function translateSdkError(
  error: unknown,
  context: {
    provider: LlmProviderName;
    baseUrl: string;
    model: string;
    timeoutMs: number;
    apiKey: SecretValue;
    classes: SdkErrorClasses;
  },
): LlmRequestError {
  const { provider, baseUrl, model, timeoutMs, apiKey, classes } = context;
  if (error instanceof LlmRequestError) return error;
  const where = `${provider} (${baseUrl}, model ${model})`;
  if (error instanceof classes.timeoutError || error instanceof classes.abortError) {
    return new LlmRequestError(
      `${where} did not answer within ${Math.round(timeoutMs / 1000)} s; raise llm.timeout_seconds or try again later`,
      "timeout",
    );
  }
  if (error instanceof classes.connectionError) {
    return new LlmRequestError(`cannot reach ${where}: check the base URL and the network`, "connection");
  }
  if (error instanceof classes.apiError) {
    const status = (error as { status?: unknown }).status;
    const headers = (error as { headers?: { get(name: string): string | null } }).headers;
    const detail = serverMessage(error, apiKey);
    if (typeof status === "number") {
      if (status === 429) {
        const retryAfterMs = retryAfterFromHeaders(headers);
        return new LlmRequestError(`${where} is rate limiting requests (HTTP 429)${detail}`, "rate_limited", {
          status,
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        });
      }
      if (status >= 500)
        return new LlmRequestError(`${where} failed with HTTP ${status}${detail}`, "server", { status });
      if (status === 401 || status === 403) {
        return new LlmRequestError(
          `${where} rejected the credentials (HTTP ${status}): check ${KEY_VARIABLE[provider]}${detail}`,
          "authentication",
          { status },
        );
      }
      if (status === 408 || status === 409)
        return new LlmRequestError(`${where} failed with HTTP ${status}${detail}`, "server", { status });
      return new LlmRequestError(`${where} refused the request (HTTP ${status})${detail}`, "client", {
        status,
      });
    }
  }
  const message = error instanceof Error ? apiKey.redact(error.message) : "unknown error";
  return new LlmRequestError(`request to ${where} failed: ${message.slice(0, 200)}`, "connection");
}
