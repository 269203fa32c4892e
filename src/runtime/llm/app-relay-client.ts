// LLM client for `llm-provider: app`: the OpenAI-compatible client aimed at the RFSN App's relay, keyed by the job's OIDC token.
import type { LlmClient } from "./llm-client.js";
import { createOpenAiClient } from "./openai-client.js";
import type { FetchFunction } from "./provider-options.js";
import type { RetryPolicy } from "./request-retry.js";
import { SecretValue } from "./secret-value.js";

export const APP_RELAY_AUDIENCE = "rfsn";
/** The relay picks the model; this name only labels the runner's report until the first answer names it. */
export const APP_RELAY_MODEL = "rfsn-app";
/** A token is fetched again this long before it expires. */
const REFRESH_MARGIN_MS = 60_000;

export interface AppRelayClientOptions {
  /** The App's public base URL (input `app-url`), e.g. `https://rfsn.example.com`. */
  appUrl: string;
  /** `@actions/core` getIDToken: the job's GitHub Actions OIDC token for an audience. */
  getIdToken: (audience: string) => Promise<string>;
  timeoutMs: number;
  model?: string;
  retry?: RetryPolicy;
  fetch?: FetchFunction;
  now?: () => number;
}

/** `<app-url>/rfsn/llm/v1`. */
export function appRelayBaseUrl(appUrl: string): string {
  return `${appUrl.replace(/\/+$/, "")}/rfsn/llm/v1`;
}

/** The `exp` of a JWT in milliseconds (unverified: only to know when to ask for a new one); 0 when unreadable. */
export function tokenExpiry(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as {
      exp?: unknown;
    };
    return typeof payload.exp === "number" ? payload.exp * 1000 : 0;
  } catch {
    return 0;
  }
}

/** Holds the job's OIDC token and asks the runner for a new one shortly before it expires. */
export function oidcTokenSource(
  getIdToken: (audience: string) => Promise<string>,
  now: () => number = Date.now,
): () => Promise<string> {
  let token: string | null = null;
  return async () => {
    if (token === null || tokenExpiry(token) - REFRESH_MARGIN_MS <= now())
      token = await getIdToken(APP_RELAY_AUDIENCE);
    return token;
  };
}

export function createAppRelayClient(options: AppRelayClientOptions): LlmClient {
  const baseUrl = appRelayBaseUrl(options.appUrl);
  const model = options.model ?? APP_RELAY_MODEL;
  const token = oidcTokenSource(options.getIdToken, options.now);
  let current: { token: string; client: LlmClient } | null = null;
  const clientFor = (bearer: string): LlmClient => {
    if (current?.token !== bearer)
      current = {
        token: bearer,
        client: createOpenAiClient({
          model,
          baseUrl,
          // The OIDC token is the bearer key: short-lived, bound to this run, worthless once the run ends.
          apiKey: new SecretValue(bearer),
          timeoutMs: options.timeoutMs,
          ...(options.retry ? { retry: options.retry } : {}),
          ...(options.fetch ? { fetch: options.fetch } : {}),
        }),
      };
    return current.client;
  };
  return {
    provider: "openai",
    model,
    baseUrl,
    complete: async (request) => clientFor(await token()).complete(request),
  };
}

/** Tells the App which phase the repair is in (shown on its check run); failures are the caller's to ignore. */
export async function reportPhaseToApp(
  appUrl: string,
  token: () => Promise<string>,
  phase: string,
  fetchFunction: FetchFunction = fetch,
): Promise<void> {
  const response = await fetchFunction(`${appUrl.replace(/\/+$/, "")}/rfsn/v1/phase`, {
    method: "POST",
    headers: { authorization: `Bearer ${await token()}`, "content-type": "application/json" },
    body: JSON.stringify({ phase }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`the RFSN App refused the phase report (${response.status})`);
}
