import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keptScriptCoverages, type V8ScriptCoverage } from "../../src/runtime/test-runners/v8-coverage.js";

const wholeParse = (text: string, keep: (url: string) => boolean) =>
  (JSON.parse(text) as { result: V8ScriptCoverage[] }).result.filter((script) => keep(script.url));

describe("reading the project's scripts from a V8 coverage file", () => {
  let dir: string;
  let text: string;
  let scriptUrl: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "rfsn-v8-coverage-"));
    const script = join(dir, 'sum "quoted" é.js');
    scriptUrl = pathToFileURL(script).href;
    await writeFile(script, "function sum(a, b) { return a + b; }\nif (sum(1, 2) !== 3) process.exit(1);\n");
    const coverageDir = join(dir, "coverage");
    await execa(process.execPath, [script], { env: { NODE_V8_COVERAGE: coverageDir } });
    const [file] = await readdir(coverageDir);
    text = await readFile(join(coverageDir, file as string), "utf8");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("gives what parsing the whole file gives, for the project's script and for every script", () => {
    const isScript = (url: string) => url === scriptUrl;
    const kept = keptScriptCoverages(text, isScript);
    expect(kept).toHaveLength(1);
    expect(kept?.[0]?.functions.some((fn) => fn.functionName === "sum")).toBe(true);
    expect(kept).toEqual(wholeParse(text, isScript));
    const everything = () => true;
    expect(keptScriptCoverages(text, everything)).toEqual(wholeParse(text, everything));
  });

  it("is not misled by escaped quotes or a script's start inside a string", () => {
    const tricky = JSON.stringify({
      result: [
        { scriptId: "1", url: "node:fs", functions: [{ functionName: '{"scriptId":"9"', ranges: [] }] },
        {
          scriptId: "2",
          url: 'file:///p/a\\"b.js',
          functions: [{ functionName: 'x"}]', ranges: [{ startOffset: 0, endOffset: 4, count: 1 }] }],
        },
      ],
      timestamp: 1,
    });
    const keep = (url: string) => url.startsWith("file:") || url === "9";
    expect(keptScriptCoverages(tricky, keep)).toEqual(wholeParse(tricky, keep));
    expect(keptScriptCoverages(tricky, keep)).toHaveLength(1);
  });

  it("parses a file laid out otherwise whole, and gives nothing for one that is cut short", () => {
    const reordered = JSON.stringify({
      result: [{ url: "file:///p/a.js", scriptId: "3", functions: [] }],
    });
    expect(keptScriptCoverages(reordered, () => true)).toEqual([
      { url: "file:///p/a.js", scriptId: "3", functions: [] },
    ]);
    const cut = text.slice(0, text.indexOf(scriptUrl.slice(-10)) + 40);
    expect(keptScriptCoverages(cut, (url) => url === scriptUrl)).toBeUndefined();
    expect(keptScriptCoverages("not json", () => true)).toBeUndefined();
  });
});
