// A scripted LLM server on 127.0.0.1 speaking the OpenAI chat-completions and Anthropic messages wire formats; records every request.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type LlmApi = "openai" | "anthropic";

/** What the server does with one request. */
export type ScriptedReply =
  | { kind: "answer"; text: string; inputTokens?: number; outputTokens?: number }
  | { kind: "rate_limit"; retryAfterSeconds?: number; retryAfterMs?: number }
  | { kind: "server_error"; status?: number }
  | { kind: "client_error"; status: number; message?: string }
  /** Never answers (until the client gives up or the server closes). */
  | { kind: "hang" }
  | { kind: "invalid_json" };

export interface RecordedRequest {
  api: LlmApi;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  /** System prompt and every message, joined. */
  prompt: string;
  model: string;
}

export type Responder = (request: RecordedRequest, index: number) => ScriptedReply;

export interface FakeLlmServerOptions {
  /** Replies in order, one per request; after the script runs out, `fallback` answers. */
  script?: ScriptedReply[];
  fallback?: ScriptedReply | Responder;
  /** When set, a request without this key gets 401. */
  expectedKey?: string;
}

export interface FakeLlmServer {
  url: string;
  /** Base URL for the OpenAI SDK (`…/v1`). */
  openaiBaseUrl: string;
  /** Base URL for the Anthropic SDK. */
  anthropicBaseUrl: string;
  requests: RecordedRequest[];
  /** Replies still scripted. */
  script: ScriptedReply[];
  close(): Promise<void>;
}

function promptOf(body: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof body.system === "string") parts.push(body.system);
  if (Array.isArray(body.system))
    for (const block of body.system) parts.push(String((block as { text?: unknown }).text ?? ""));
  const messages = Array.isArray(body.messages) ? body.messages : [];
  for (const message of messages) {
    const content = (message as { content?: unknown }).content;
    if (typeof content === "string") parts.push(content);
    else if (Array.isArray(content))
      for (const block of content) parts.push(String((block as { text?: unknown }).text ?? ""));
  }
  return parts.join("\n");
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}

function errorBody(api: LlmApi, type: string, message: string): unknown {
  return api === "openai"
    ? { error: { message, type, code: null } }
    : { type: "error", error: { type, message } };
}

function answerBody(
  api: LlmApi,
  request: RecordedRequest,
  reply: Extract<ScriptedReply, { kind: "answer" }>,
  index: number,
): unknown {
  const inputTokens = reply.inputTokens ?? Math.ceil(request.prompt.length / 4);
  const outputTokens = reply.outputTokens ?? Math.ceil(reply.text.length / 4);
  if (api === "openai") {
    return {
      id: `chatcmpl-fake-${index}`,
      object: "chat.completion",
      created: 1_700_000_000,
      model: request.model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: reply.text, refusal: null },
          finish_reason: "stop",
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: inputTokens,
        completion_tokens: outputTokens,
        total_tokens: inputTokens + outputTokens,
      },
    };
  }
  return {
    id: `msg_fake_${index}`,
    type: "message",
    role: "assistant",
    model: request.model,
    content: [{ type: "text", text: reply.text }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: inputTokens, output_tokens: outputTokens },
  };
}

/** The key a request carries: OpenAI uses a bearer token; Anthropic `x-api-key` (older SDKs) or a bearer token (newer). */
function keyOf(api: LlmApi, request: IncomingMessage): string | undefined {
  const header = request.headers["x-api-key"];
  if (api === "anthropic" && typeof header === "string") return header;
  return request.headers.authorization?.replace(/^Bearer\s+/i, "");
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeLlmServer(options: FakeLlmServerOptions = {}): Promise<FakeLlmServer> {
  const requests: RecordedRequest[] = [];
  const script = [...(options.script ?? [])];
  const fallback = options.fallback ?? { kind: "answer", text: "I cannot help with that." };
  const hanging = new Set<ServerResponse>();

  const server = createServer((request, response) => {
    void (async () => {
      const path = (request.url ?? "").split("?")[0] ?? "";
      const api: LlmApi | null = path.endsWith("/chat/completions")
        ? "openai"
        : path.endsWith("/messages")
          ? "anthropic"
          : null;
      if (request.method !== "POST" || !api) {
        send(response, 404, { error: { message: `no route for ${request.method} ${path}` } });
        return;
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(await readBody(request)) as Record<string, unknown>;
      } catch {
        send(response, 400, errorBody(api, "invalid_request_error", "body is not JSON"));
        return;
      }
      const recorded: RecordedRequest = {
        api,
        path,
        headers: { ...request.headers },
        body,
        prompt: promptOf(body),
        model: typeof body.model === "string" ? body.model : "",
      };
      const index = requests.length;
      requests.push(recorded);
      if (options.expectedKey !== undefined && keyOf(api, request) !== options.expectedKey) {
        send(response, 401, errorBody(api, "authentication_error", "invalid x-api-key"));
        return;
      }
      const next = script.shift() ?? (typeof fallback === "function" ? fallback(recorded, index) : fallback);
      switch (next.kind) {
        case "answer":
          send(response, 200, answerBody(api, recorded, next, index));
          return;
        case "rate_limit": {
          const headers: Record<string, string> = {};
          if (next.retryAfterMs !== undefined) headers["retry-after-ms"] = String(next.retryAfterMs);
          if (next.retryAfterSeconds !== undefined) headers["retry-after"] = String(next.retryAfterSeconds);
          send(response, 429, errorBody(api, "rate_limit_error", "rate limited, slow down"), headers);
          return;
        }
        case "server_error":
          send(response, next.status ?? 500, errorBody(api, "api_error", "internal server error"));
          return;
        case "client_error":
          send(response, next.status, errorBody(api, "invalid_request_error", next.message ?? "bad request"));
          return;
        case "invalid_json":
          send(response, 200, "{ this is not json");
          return;
        case "hang":
          hanging.add(response);
          response.on("close", () => hanging.delete(response));
          return;
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    requests,
    script,
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
