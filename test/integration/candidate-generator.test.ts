// Candidate generation in a worker thread (the compiled module: a worker thread runs JavaScript, so `npm run build` comes first).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { candidatesForLocation } from "../../src/repair/candidate-generation.js";
import type * as Generator from "../../src/repair/candidate-generator.js";

const compiled = fileURLToPath(new URL("../../dist/src/repair/candidate-generator.js", import.meta.url));

async function compiledModule(): Promise<typeof Generator> {
  if (!existsSync(compiled))
    throw new Error(`${compiled} is missing: run \`npm run build\` before the tests`);
  return (await import(compiled)) as typeof Generator;
}

const SOURCE =
  "export function total(items) {\n  let sum = 0;\n  for (const item of items) sum += item.price;\n  return sum > 100 ? sum - 1 : sum;\n}\n";
const location = { file: "src/total.js", startLine: 4, endLine: 4, score: 1, reasons: [] };

function counter(prefix: string) {
  let next = 0;
  return () => `${prefix}${++next}`;
}

describe("the candidate generator", () => {
  it("generates in a worker the same candidates, in the same order, as on the calling thread, with the session's ids", async () => {
    const { startCandidateGenerator } = await compiledModule();
    const generator = startCandidateGenerator();
    try {
      await generator.prepare("javascript");
      const fromWorker = await generator.generate({ location, source: SOURCE, nextId: counter("s") });
      const inThread = await candidatesForLocation({ location, source: SOURCE, nextId: counter("s") });
      expect(fromWorker.length).toBeGreaterThan(10);
      expect(fromWorker).toEqual(inThread);
      expect(fromWorker[0]?.proposal.id).toBe("s1");
    } finally {
      await generator.close();
    }
  });

  it("answers nothing after close, without starting to generate on the calling thread", async () => {
    const { startCandidateGenerator } = await compiledModule();
    const generator = startCandidateGenerator();
    const pending = generator.generate({ location, source: SOURCE, nextId: counter("p") });
    await generator.close();
    expect(await pending).toEqual([]);
    expect(await generator.generate({ location, source: SOURCE, nextId: counter("q") })).toEqual([]);
  });

  it("reports a failed generation as an error of that request and keeps serving others", async () => {
    const { startCandidateGenerator } = await compiledModule();
    const generator = startCandidateGenerator();
    try {
      const broken = { ...location, file: "src/total.js" };
      // A source that is not a string cannot be parsed: the worker reports it, and the next request still works.
      await expect(
        generator.generate({ location: broken, source: 42 as unknown as string, nextId: counter("x") }),
      ).rejects.toThrow();
      expect(
        (await generator.generate({ location, source: SOURCE, nextId: counter("y") })).length,
      ).toBeGreaterThan(0);
    } finally {
      await generator.close();
    }
  });
});
