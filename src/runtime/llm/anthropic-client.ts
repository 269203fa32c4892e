// LLM client for Anthropic's Messages API through the official `@anthropic-ai/sdk`.
import Anthropic from "@anthropic-ai/sdk";
import { type LlmClient, type LlmCompletion, type LlmRequest, LlmRequestError } from "./llm-client.js";
import { estimateTokens, type ProviderClientOptions } from "./provider-options.js";
import { DEFAULT_RETRY_POLICY, withRetries } from "./request-retry.js";
import { translateSdkError } from "./sdk-errors.js";

export const ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com";

export function createAnthropicClient(options: ProviderClientOptions): LlmClient {
  const { model, baseUrl, apiKey, timeoutMs } = options;
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const sdk = new Anthropic({
    apiKey: apiKey.reveal(),
    authToken: null,
    baseURL: baseUrl,
    timeout: timeoutMs,
    maxRetries: 0,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const classes = {
    apiError: Anthropic.APIError,
    timeoutError: Anthropic.APIConnectionTimeoutError,
    connectionError: Anthropic.APIConnectionError,
    abortError: Anthropic.APIUserAbortError,
  };

  async function attempt(request: LlmRequest): Promise<LlmCompletion> {
    let response: Anthropic.Message;
    try {
      response = await sdk.messages.create(
        {
          model,
          system: request.system,
          messages: request.messages,
          // This API version takes no temperature; the model's default applies.
          max_tokens: request.maxTokens,
        },
        { timeout: timeoutMs, maxRetries: 0 },
      );
    } catch (error) {
      throw translateSdkError(error, { provider: "anthropic", baseUrl, model, timeoutMs, apiKey, classes });
    }
    const blocks = Array.isArray(response.content) ? response.content : [];
    const texts = blocks.flatMap((block) => (block.type === "text" ? [block.text] : []));
    if (texts.length === 0) {
      throw new LlmRequestError(
        `anthropic (${baseUrl}, model ${model}) answered without text`,
        "invalid_response",
      );
    }
    const text = texts.join("\n");
    const prompt = request.system + request.messages.map((message) => message.content).join("\n");
    return {
      text,
      inputTokens: response.usage?.input_tokens ?? estimateTokens(prompt),
      outputTokens: response.usage?.output_tokens ?? estimateTokens(text),
      model: response.model || model,
    };
  }

  return {
    provider: "anthropic",
    model,
    baseUrl,
    complete: (request) => withRetries(() => attempt(request), retry),
  };
}
