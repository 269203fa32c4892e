import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { BENCH_USAGE, runBenchCommand } from "../../src/cli/commands/bench.js";
import type { CliIo } from "../../src/cli/output.js";
import { corpusFixResponder } from "../helpers/fake-llm/corpus-fix-responder.js";
import { type FakeLlmServer, startFakeLlmServer } from "../helpers/fake-llm/fake-llm-server.js";

const corpusDir = join(import.meta.dirname, "../../bench/corpus");
const KEY = "sk-bench-test-key-0123456789abcdef";

let server: FakeLlmServer | undefined;
const saved = { ...process.env };
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const name of ["OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"]) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

it.skipIf(!BENCH_USAGE.includes("--llm"))(
  "runs `rfsn bench --llm openai` against the scripted server and judges the result",
  async () => {
    server = await startFakeLlmServer({ expectedKey: KEY, fallback: corpusFixResponder(corpusDir) });
    process.env.OPENAI_API_KEY = KEY;
    process.env.OPENAI_BASE_URL = server.openaiBaseUrl;
    const out: string[] = [];
    const code = await runBenchCommand(
      [corpusDir, "--llm", "openai", "--only", "js-event-once", "--json", "--time-budget", "60"],
      {
        stdout: (text) => void out.push(text),
        stderr: () => {},
      } satisfies CliIo,
    );
    expect(code).toBe(0);
    const result = JSON.parse(out.join("")) as { bugs: Array<{ id: string; outcome: string }> };
    expect(result.bugs[0]).toMatchObject({ id: "js-event-once", outcome: "correct" });
    expect(server.requests.every((request) => !request.prompt.includes(KEY))).toBe(true);
  },
  120_000,
);
