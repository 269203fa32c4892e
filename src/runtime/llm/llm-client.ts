// The provider-neutral LLM client contract (one completion call) and the typed errors every client throws.

export type LlmProviderName = "openai" | "anthropic";

export interface LlmMessage {
  role: "user" | "assistant";
  content: string;
}

export interface LlmRequest {
  system: string;
  messages: LlmMessage[];
  /** Most completion tokens the model may produce. */
  maxTokens: number;
  temperature: number;
}

export interface LlmCompletion {
  text: string;
  inputTokens: number;
  outputTokens: number;
  /** The model that answered (as the server names it). */
  model: string;
}

export interface LlmClient {
  readonly provider: LlmProviderName;
  /** The model asked for. */
  readonly model: string;
  /** The endpoint, without credentials. */
  readonly baseUrl: string;
  complete(request: LlmRequest): Promise<LlmCompletion>;
}

/** Why a request failed: decides whether it is retried and whether the proposer keeps asking. */
export type LlmFailureKind =
  | "rate_limited"
  | "server"
  | "authentication"
  | "client"
  | "timeout"
  | "connection"
  | "invalid_response";

/** A failed LLM request. The message never contains the API key. */
export class LlmRequestError extends Error {
  readonly kind: LlmFailureKind;
  readonly status: number | undefined;
  /** How long the server asked us to wait before retrying, when it said so. */
  readonly retryAfterMs: number | undefined;
  /** Attempts made, retries included. */
  attempts = 1;

  constructor(
    message: string,
    kind: LlmFailureKind,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "LlmRequestError";
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** 429, 5xx, dropped connections and invalid bodies are worth another try; other 4xx and timeouts are not. */
  get retryable(): boolean {
    return this.kind === "rate_limited" || this.kind === "server" || this.kind === "connection";
  }
}
