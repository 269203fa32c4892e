// LLM client for OpenAI and OpenAI-compatible servers (vLLM, Ollama, ...) through the official `openai` SDK.
import OpenAI from "openai";
import { type LlmClient, type LlmCompletion, type LlmRequest, LlmRequestError } from "./llm-client.js";
import { estimateTokens, type ProviderClientOptions } from "./provider-options.js";
import { DEFAULT_RETRY_POLICY, withRetries } from "./request-retry.js";
import { translateSdkError } from "./sdk-errors.js";

export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

/** Reasoning models take `max_completion_tokens` and only their default temperature. */
function isReasoningModel(model: string): boolean {
  return /^(o\d|gpt-5)/i.test(model);
}

export function createOpenAiClient(options: ProviderClientOptions): LlmClient {
  const { model, baseUrl, apiKey, timeoutMs } = options;
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const sdk = new OpenAI({
    apiKey: apiKey.reveal(),
    baseURL: baseUrl,
    organization: null,
    project: null,
    timeout: timeoutMs,
    maxRetries: 0,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const classes = {
    apiError: OpenAI.APIError,
    timeoutError: OpenAI.APIConnectionTimeoutError,
    connectionError: OpenAI.APIConnectionError,
    abortError: OpenAI.APIUserAbortError,
  };

  async function attempt(request: LlmRequest): Promise<LlmCompletion> {
    const reasoning = isReasoningModel(model);
    let response: OpenAI.Chat.Completions.ChatCompletion;
    try {
      response = await sdk.chat.completions.create(
        {
          model,
          messages: [{ role: "system", content: request.system }, ...request.messages],
          ...(reasoning
            ? { max_completion_tokens: request.maxTokens }
            : { max_tokens: request.maxTokens, temperature: request.temperature }),
        },
        { timeout: timeoutMs, maxRetries: 0 },
      );
    } catch (error) {
      throw translateSdkError(error, { provider: "openai", baseUrl, model, timeoutMs, apiKey, classes });
    }
    const text = response.choices?.[0]?.message?.content;
    if (typeof text !== "string") {
      throw new LlmRequestError(
        `openai (${baseUrl}, model ${model}) answered without a message`,
        "invalid_response",
      );
    }
    const prompt = request.system + request.messages.map((message) => message.content).join("\n");
    return {
      text,
      inputTokens: response.usage?.prompt_tokens ?? estimateTokens(prompt),
      outputTokens: response.usage?.completion_tokens ?? estimateTokens(text),
      model: response.model || model,
    };
  }

  return {
    provider: "openai",
    model,
    baseUrl,
    complete: (request) => withRetries(() => attempt(request), retry),
  };
}
