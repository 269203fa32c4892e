// Measures what an LLM-assisted repair sends and receives (tokens, as the scripted server counts them) and prices it at the default models' list prices.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBenchCommand } from "../../src/cli/commands/bench.js";
import { DEFAULT_CONFIG } from "../../src/core/config/schema.js";
import { DEFAULT_MODELS } from "../../src/repair/llm-settings.js";
import { costUsd, priceOf } from "../../src/repair/proposers/llm/price-table.js";
import { corpusFixResponder } from "../helpers/fake-llm/corpus-fix-responder.js";
import { type FakeLlmServer, startFakeLlmServer } from "../helpers/fake-llm/fake-llm-server.js";

const corpusDir = join(import.meta.dirname, "../../bench/corpus");
const KEY = "sk-cost-test-key-0123456789abcdef";
/** One bug per language; the LLM is consulted only where the deterministic operators fail, and the mean counts those repairs. */
const BUGS = ["js-event-once", "ts-lru-evict-order", "py-undo-redo-order"];

const responder = corpusFixResponder(corpusDir);
let server: FakeLlmServer;
const saved = { ...process.env };

beforeAll(async () => {
  server = await startFakeLlmServer({ expectedKey: KEY, fallback: responder });
  process.env.OPENAI_API_KEY = KEY;
  process.env.OPENAI_BASE_URL = server.openaiBaseUrl;
});

afterAll(async () => {
  await server.close();
  for (const name of ["OPENAI_API_KEY", "OPENAI_BASE_URL"]) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe("LLM cost per repair", () => {
  it("stays far below the default cost cap at the default models' list prices", async () => {
    const perBug: Array<{ bug: string; calls: number; inputTokens: number; outputTokens: number }> = [];
    for (const bug of BUGS) {
      const before = server.requests.length;
      const code = await runBenchCommand(
        [corpusDir, "--llm", "openai", "--only", bug, "--json", "--time-budget", "90", "--jobs", "1"],
        { stdout: () => {}, stderr: () => {} },
      );
      expect(code).toBe(0);
      const requests = server.requests.slice(before);
      // The scripted server reports a token per four characters of the prompt and of its answer in `usage`.
      const inputTokens = requests.reduce((sum, request) => sum + Math.ceil(request.prompt.length / 4), 0);
      const outputTokens = requests.reduce((sum, request, index) => {
        const reply = responder(request, before + index);
        return sum + (reply.kind === "answer" ? Math.ceil(reply.text.length / 4) : 0);
      }, 0);
      perBug.push({ bug, calls: requests.length, inputTokens, outputTokens });
    }
    const consulted = perBug.filter((entry) => entry.calls > 0);
    expect(consulted.length).toBeGreaterThan(0);
    const mean = (pick: (entry: (typeof perBug)[number]) => number) =>
      Math.round(consulted.reduce((sum, entry) => sum + pick(entry), 0) / consulted.length);
    const inputTokens = mean((entry) => entry.inputTokens);
    const outputTokens = mean((entry) => entry.outputTokens);
    const calls = mean((entry) => entry.calls);
    const prices = Object.fromEntries(
      // The Action's defaults per provider, and the App relay's default model (RFSN_LLM_MODEL).
      Object.entries({ ...DEFAULT_MODELS, "app relay": "gpt-4o-mini" }).map(([provider, model]) => [
        provider,
        {
          model,
          usd: Number(costUsd(priceOf(model), inputTokens, outputTokens).toFixed(5)),
          // The most one session can spend: llm.max_tokens, priced as if every token were an output token.
          capUsd: Number(costUsd(priceOf(model), 0, DEFAULT_CONFIG.llm.maxTokens).toFixed(3)),
        },
      ]),
    );
    process.stdout.write(
      `${JSON.stringify({ perBug, meanPerRepair: { calls, inputTokens, outputTokens }, prices })}\n`,
    );
    for (const { usd, capUsd } of Object.values(prices)) {
      expect(usd).toBeGreaterThan(0);
      expect(usd).toBeLessThan(capUsd);
      expect(capUsd).toBeLessThanOrEqual(DEFAULT_CONFIG.llm.maxCostUsd);
    }
  }, 300_000);
});
