// The App's LLM relay: an OpenAI-compatible chat endpoint for repair runs it dispatched, authenticated by their Actions OIDC token.
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../observability/logger.js";
import type { LlmResponseCache } from "../store/llm-cache.js";
import { type DailyUsage, type LlmRelayUsageStore, utcDay } from "../store/llm-relay-usage.js";
import type { RepairDispatch, RepairDispatchStore } from "../store/repair-dispatches.js";
import type { RepairRequestStore } from "../store/repair-requests.js";
import { type ActionsTokenClaims, ActionsTokenError, type ActionsTokenVerifier } from "./actions-oidc.js";

export const RELAY_CHAT_PATH = "/rfsn/llm/v1/chat/completions";
export const RELAY_PHASE_PATH = "/rfsn/v1/phase";
const MAX_BODY_BYTES = 2 * 1024 * 1024;
const MAX_COMPLETION_TOKENS = 16_384;
const PHASES = ["reproduce", "localize", "patch", "verify"] as const;

/** The upstream the App asks with its own key (an `LlmClient` of src/runtime/llm has this shape). */
export interface RelayCompletionClient {
  readonly model: string;
  complete(request: {
    system: string;
    messages: Array<{ role: "user" | "assistant"; content: string }>;
    maxTokens: number;
    temperature: number;
  }): Promise<{ text: string; inputTokens: number; outputTokens: number; model: string }>;
}

export interface RelayBudgets {
  callsPerDay: number;
  tokensPerDay: number;
  dollarsPerDay: number;
}

export interface LlmRelaySettings {
  verify: ActionsTokenVerifier;
  upstream: RelayCompletionClient;
  budgets: RelayBudgets;
  /** Dollars for one call of `model`. */
  price: (model: string, inputTokens: number, outputTokens: number) => number;
  /** How long an answer is reused for the same prompt (default 7 days). */
  cacheTtlMs?: number;
}

export interface LlmRelayDependencies {
  dispatches: RepairDispatchStore;
  requests: RepairRequestStore;
  usage: LlmRelayUsageStore;
  cache: LlmResponseCache;
  logger: Logger;
  now: () => number;
  /** Shows a reported phase on the request's check run (best effort). */
  onPhase?: (dispatch: RepairDispatch, phase: string) => Promise<void>;
}

/** A refusal with the HTTP status it is answered with. */
class RelayRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "RelayRefusal";
  }
}

interface ChatRequest {
  system: string;
  messages: Array<{ role: "user" | "assistant"; content: string }>;
  maxTokens: number;
  temperature: number;
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  response
    .writeHead(status, {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(text)),
      ...headers,
    })
    .end(text);
}

/** OpenAI's error body, so that the SDK on the runner reports the message. */
function sendError(response: ServerResponse, refusal: RelayRefusal): void {
  const type =
    refusal.status === 429 ? "rate_limit_exceeded" : refusal.status === 401 ? "invalid_api_key" : "forbidden";
  sendJson(
    response,
    refusal.status,
    { error: { message: refusal.message, type, code: type, param: null } },
    refusal.headers,
  );
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new RelayRefusal(413, `request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new RelayRefusal(400, "the request body is not JSON");
  }
}

/** The chat request in OpenAI's shape, reduced to what the App forwards (the App picks the model). */
export function readChatRequest(body: unknown): ChatRequest {
  const root = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : null;
  if (!root || !Array.isArray(root.messages) || root.messages.length === 0)
    throw new RelayRefusal(400, "messages must be a non-empty array");
  const system: string[] = [];
  const messages: ChatRequest["messages"] = [];
  for (const entry of root.messages) {
    const message = typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>) : {};
    if (typeof message.content !== "string")
      throw new RelayRefusal(400, "every message needs a string content");
    if (message.role === "system" || message.role === "developer") system.push(message.content);
    else if (message.role === "user" || message.role === "assistant")
      messages.push({ role: message.role, content: message.content });
    else throw new RelayRefusal(400, `message role ${JSON.stringify(message.role)} is not supported`);
  }
  if (messages.length === 0) throw new RelayRefusal(400, "at least one user message is required");
  const asked = root.max_completion_tokens ?? root.max_tokens ?? 1024;
  if (typeof asked !== "number" || !Number.isInteger(asked) || asked <= 0)
    throw new RelayRefusal(400, "max_tokens must be a positive integer");
  const temperature = root.temperature ?? 0;
  if (typeof temperature !== "number" || temperature < 0 || temperature > 2)
    throw new RelayRefusal(400, "temperature must be a number from 0 to 2");
  return {
    system: system.join("\n\n"),
    messages,
    maxTokens: Math.min(asked, MAX_COMPLETION_TOKENS),
    temperature,
  };
}

/** The workflow ref a dispatched run's token must carry: the repair workflow on the dispatched branch. */
export function expectedWorkflowRef(dispatch: RepairDispatch): string {
  return `${dispatch.repo}/${dispatch.workflowPath}@refs/heads/${dispatch.dispatchRef}`;
}

/** Which budget `used` has reached, or null when there is room for another call. */
export function exhaustedBudget(used: DailyUsage, budgets: RelayBudgets): string | null {
  if (used.calls >= budgets.callsPerDay) return `${used.calls} of ${budgets.callsPerDay} calls`;
  if (used.tokens >= budgets.tokensPerDay) return `${used.tokens} of ${budgets.tokensPerDay} tokens`;
  if (used.dollars >= budgets.dollarsPerDay)
    return `$${used.dollars.toFixed(2)} of $${budgets.dollarsPerDay.toFixed(2)}`;
  return null;
}

function secondsToMidnightUtc(now: number): number {
  const next = new Date(now);
  next.setUTCHours(24, 0, 0, 0);
  return Math.max(1, Math.ceil((next.getTime() - now) / 1000));
}

export interface LlmRelay {
  /** True when the request was for the relay (answered); false leaves it to other routes. */
  handle(request: IncomingMessage, response: ServerResponse, path: string): boolean;
}

export function createLlmRelay(settings: LlmRelaySettings, deps: LlmRelayDependencies): LlmRelay {
  const ttl = settings.cacheTtlMs ?? 7 * 24 * 60 * 60 * 1000;

  /** The verified claims and the dispatch they belong to: a run the App dispatched, on its workflow, still going. */
  async function authorize(
    request: IncomingMessage,
  ): Promise<{ claims: ActionsTokenClaims; dispatch: RepairDispatch }> {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
    if (!match?.[1])
      throw new RelayRefusal(
        401,
        "send the job's GitHub Actions OIDC token (audience rfsn) as a Bearer token",
      );
    let claims: ActionsTokenClaims;
    try {
      claims = await settings.verify(match[1]);
    } catch (error) {
      if (error instanceof ActionsTokenError) throw new RelayRefusal(401, error.message);
      throw error;
    }
    const dispatch = deps.dispatches.findByRun(claims.repository, claims.runId);
    if (!dispatch)
      throw new RelayRefusal(
        403,
        `run ${claims.runId} of ${claims.repository} is not a repair run the App dispatched`,
      );
    const expected = expectedWorkflowRef(dispatch).toLowerCase();
    if (claims.workflowRef.toLowerCase() !== expected || claims.jobWorkflowRef.toLowerCase() !== expected)
      throw new RelayRefusal(
        403,
        `the token's workflow ${claims.jobWorkflowRef} is not ${expectedWorkflowRef(dispatch)}`,
      );
    if (claims.eventName !== "workflow_dispatch")
      throw new RelayRefusal(
        403,
        `the token comes from a ${claims.eventName} run, not the App's workflow_dispatch`,
      );
    const status = deps.requests.get(dispatch.requestId)?.status;
    if (
      dispatch.finishedAt !== null ||
      status === "completed" ||
      status === "failed" ||
      status === "cancelled"
    )
      throw new RelayRefusal(403, `run ${claims.runId} has finished; the relay answers running repairs only`);
    return { claims, dispatch };
  }

  async function chat(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { claims, dispatch } = await authorize(request);
    const chatRequest = readChatRequest(await readJson(request));
    const now = deps.now();
    const day = utcDay(now);
    const account = claims.repositoryOwner.toLowerCase();
    const over = exhaustedBudget(deps.usage.usage(account, day), settings.budgets);
    if (over)
      throw new RelayRefusal(
        429,
        `the installation's daily LLM budget is used up (${over}); it resets at 00:00 UTC`,
        {
          "retry-after": String(secondsToMidnightUtc(now)),
        },
      );
    const model = settings.upstream.model;
    const key = `relay:${createHash("sha256")
      .update(
        JSON.stringify([
          model,
          chatRequest.system,
          chatRequest.messages,
          chatRequest.maxTokens,
          chatRequest.temperature,
        ]),
      )
      .digest("hex")}`;
    const cached = deps.cache.get(key, now);
    let completion: { text: string; inputTokens: number; outputTokens: number; model: string };
    if (cached !== undefined) {
      completion = JSON.parse(cached) as typeof completion;
      deps.usage.record(account, day, { calls: 1, tokens: 0, dollars: 0 });
    } else {
      try {
        completion = await settings.upstream.complete(chatRequest);
      } catch (error) {
        deps.usage.record(account, day, { calls: 1, tokens: 0, dollars: 0 });
        deps.logger.warn(
          { err: error, repository: claims.repository, runId: claims.runId },
          "LLM relay upstream failed",
        );
        throw new RelayRefusal(502, "the App's LLM provider did not answer; try again later");
      }
      deps.usage.record(account, day, {
        calls: 1,
        tokens: completion.inputTokens + completion.outputTokens,
        dollars: settings.price(completion.model || model, completion.inputTokens, completion.outputTokens),
      });
      deps.cache.set(key, JSON.stringify(completion), ttl, now);
    }
    deps.logger.info(
      {
        repository: claims.repository,
        runId: claims.runId,
        requestId: dispatch.requestId,
        cached: cached !== undefined,
      },
      "LLM relay answered",
    );
    sendJson(
      response,
      200,
      {
        id: `rfsn-${key.slice(6, 30)}`,
        object: "chat.completion",
        created: Math.floor(now / 1000),
        model: completion.model || model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: completion.text, refusal: null },
            finish_reason: "stop",
            logprobs: null,
          },
        ],
        usage: {
          prompt_tokens: cached !== undefined ? 0 : completion.inputTokens,
          completion_tokens: cached !== undefined ? 0 : completion.outputTokens,
          total_tokens: cached !== undefined ? 0 : completion.inputTokens + completion.outputTokens,
        },
      },
      { "x-rfsn-cache": cached !== undefined ? "hit" : "miss" },
    );
  }

  async function phase(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { dispatch } = await authorize(request);
    const body = (await readJson(request)) as { phase?: unknown } | null;
    const reported = body?.phase;
    if (typeof reported !== "string" || !(PHASES as readonly string[]).includes(reported))
      throw new RelayRefusal(400, `phase must be one of ${PHASES.join(", ")}`);
    deps.dispatches.recordPhase(dispatch.requestId, reported);
    await deps
      .onPhase?.(dispatch, reported)
      .catch((error: unknown) =>
        deps.logger.warn(
          { err: error, requestId: dispatch.requestId },
          "could not show the phase on the check run",
        ),
      );
    response.writeHead(204).end();
  }

  return {
    handle(request, response, path) {
      const route = path === RELAY_CHAT_PATH ? chat : path === RELAY_PHASE_PATH ? phase : null;
      if (!route) return false;
      if (request.method !== "POST") {
        sendError(response, new RelayRefusal(405, `${request.method} ${path} is not supported; use POST`));
        return true;
      }
      route(request, response).catch((error: unknown) => {
        if (response.headersSent) return;
        if (error instanceof RelayRefusal) {
          sendError(response, error);
          return;
        }
        deps.logger.error({ err: error }, "LLM relay failed");
        sendError(response, new RelayRefusal(500, "internal error"));
      });
      return true;
    },
  };
}
