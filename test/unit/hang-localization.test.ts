import { describe, expect, it } from "vitest";
import type { TestCaseResult } from "../../src/core/types.js";
import { localizeFault } from "../../src/repair/localization.js";

const SOURCE = [
  "export function skipSpaces(text, start) {", // 1
  "  const limit = text.length;", // 2
  "  let i = start;", // 3
  '  while (text[i] === " ") {', // 4
  "    i += 0;", // 5
  "  }", // 6
  "  return i;", // 7
  "}", // 8
  "",
].join("\n");

const TEST = 'import { skipSpaces } from "../src/scan.js";\nskipSpaces("  a", 0);\n';

function failingTest(message: string): TestCaseResult {
  return {
    id: "test/scan.test.js",
    name: "test/scan.test.js",
    file: "test/scan.test.js",
    status: "failed",
    message,
    frames: [],
  };
}

async function ranking(message: string) {
  const sources = new Map([
    ["src/scan.js", SOURCE],
    ["test/scan.test.js", TEST],
  ]);
  return localizeFault({
    dir: "/nonexistent",
    failing: [failingTest(message)],
    passing: [],
    readSource: async (file) => sources.get(file),
  });
}

describe("localizing a hang", () => {
  it("puts the loop first when the failing tests never finished", async () => {
    const hung = await ranking("did not finish within 20 s");
    expect(hung.slice(0, 2).map((location) => location.startLine)).toEqual([4, 5]);
    expect(hung[0]?.reasons.join(" ")).toMatch(/hang: a loop header/);
  });

  it("leaves the order alone when the failure is an assertion", async () => {
    const failed = await ranking("expected 2, got 0");
    expect(failed[0]?.startLine).not.toBe(4);
    expect(failed.every((location) => !location.reasons.join(" ").includes("hang"))).toBe(true);
  });
});
