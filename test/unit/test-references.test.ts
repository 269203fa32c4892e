import { describe, expect, it } from "vitest";
import type { TestCaseResult } from "../../src/core/types.js";
import { locationsReferencedByTests } from "../../src/repair/test-references.js";

function files(map: Record<string, string>) {
  return async (file: string) => map[file];
}

const failing = (id: string, file: string, frameLine?: number): TestCaseResult => ({
  id,
  name: id.split("::")[1] ?? id,
  file,
  status: "failed",
  frames: frameLine === undefined ? [] : [{ file, line: frameLine }],
});

const TS_SOURCE = [
  "const GROUP_SIZE = 4;", // 1
  "", // 2
  "function group(digits: string): string {", // 3
  "  return digits.replace(/\\B(?=(\\d{4})+(?!\\d))/g, String(GROUP_SIZE));", // 4
  "}", // 5
  "", // 6
  "export const formatMoney = (cents: number): string => {", // 7
  "  const whole = Math.floor(cents / 100);", // 8
  "  return `$${group(String(whole))}`;", // 9
  "};", // 10
  "", // 11
  "export function unrelated(): number {", // 12
  "  return 1;", // 13
  "}", // 14
  "",
].join("\n");

const TS_TEST = [
  'import { describe, expect, it } from "vitest";',
  'import { formatMoney } from "../src/currency";',
  "",
  'describe("formatMoney", () => {',
  '  it("groups thousands", () => {',
  '    expect(formatMoney(123456789)).toBe("$1,234,567");',
  "  });",
  "});",
  "",
].join("\n");

describe("locations referenced by failing tests", () => {
  it("ranks the functions a failing test calls, their helpers lower, and the module settings they use", async () => {
    const locations = await locationsReferencedByTests({
      failing: [failing("test/currency.test.ts::formatMoney > groups thousands", "test/currency.test.ts", 6)],
      readSource: files({ "test/currency.test.ts": TS_TEST, "src/currency.ts": TS_SOURCE }),
    });
    const byLine = new Map(locations.map((location) => [location.startLine, location]));
    for (const line of [1, 4, 8, 9]) expect(byLine.has(line), `line ${line}`).toBe(true);
    for (const line of [2, 12, 13, 14]) expect(byLine.has(line), `line ${line}`).toBe(false);
    expect(byLine.get(8)).toMatchObject({ file: "src/currency.ts", functionName: "formatMoney", score: 0.2 });
    expect(byLine.get(8)?.reasons[0]).toBe(
      "in formatMoney, which the failing test formatMoney > groups thousands calls",
    );
    expect(byLine.get(4)).toMatchObject({ functionName: "group", score: 0.1 });
    expect(byLine.get(4)?.reasons[0]).toMatch(/a helper of what the failing test/);
    expect(byLine.get(1)?.reasons[0]).toMatch(/^module setting GROUP_SIZE used by functions/);
  });

  it("follows Python imports relative to the project and to src/", async () => {
    const locations = await locationsReferencedByTests({
      failing: [failing("tests/test_pages.py::test_offset", "tests/test_pages.py")],
      readSource: files({
        "tests/test_pages.py":
          "from pagination import page_offset\n\n\ndef test_offset():\n    assert page_offset(2, 10) == 10\n",
        "src/pagination.py":
          "def page_offset(page, size):\n    return page * size\n\n\ndef other():\n    return 0\n",
      }),
    });
    expect(locations.map((location) => [location.file, location.startLine, location.functionName])).toEqual([
      ["src/pagination.py", 2, "page_offset"],
    ]);
  });

  it("ignores tests outside test files, imports of packages and sources it cannot read", async () => {
    const locations = await locationsReferencedByTests({
      failing: [
        failing("src/not-a-test.ts::x", "src/not-a-test.ts"),
        failing("test/pkg.test.ts::uses a package", "test/pkg.test.ts"),
      ],
      readSource: files({
        "src/not-a-test.ts": 'import { a } from "./a";\na();\n',
        "test/pkg.test.ts":
          'import { chunk } from "lodash";\nimport { gone } from "../src/missing";\nchunk(gone());\n',
      }),
    });
    expect(locations).toEqual([]);
  });
});
