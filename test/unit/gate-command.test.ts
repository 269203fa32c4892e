// Tests `rfsn gate <patch-file>`: verdict output (human and JSON), exit codes, --protected, and bad input.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runGateCommand } from "../../src/cli/commands/gate.js";
import { createUnifiedDiff } from "../../src/core/diff.js";

const dir = mkdtempSync(join(tmpdir(), "rfsn-gate-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function patchFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runGateCommand(args, {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
  });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

const fix = createUnifiedDiff(
  "src/sum.js",
  "export const sum = (a, b) => a - b;\n",
  "export const sum = (a, b) => a + b;\n",
);
const evil = createUnifiedDiff(
  "src/sum.js",
  "export const sum = (a, b) => a + b;\n",
  'export const sum = (a, b) => eval(String(a) + "+" + String(b));\n',
);

describe("rfsn gate", () => {
  it("prints an accepted verdict and exits 0", async () => {
    const result = await run([patchFile("fix.diff", fix)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^accepted .*fix\.diff \(fingerprint [0-9a-f]{16}\)$/);
  });

  it("prints the rejection type and reason and exits 1", async () => {
    const result = await run([patchFile("evil.diff", evil)]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "forbidden_pattern: src/sum.js: refers to eval, which runs code from a string (line 1)",
    );
  });

  it("prints one JSON object with --json", async () => {
    const result = await run(["--json", patchFile("evil2.diff", evil)]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      accepted: false,
      type: "forbidden_pattern",
      reason: "src/sum.js: refers to eval, which runs code from a string (line 1)",
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    const accepted = await run([patchFile("fix2.diff", fix), "--json"]);
    expect(JSON.parse(accepted.stdout)).toEqual({ accepted: true, fingerprint: expect.any(String) });
  });

  it("adds --protected globs to the defaults", async () => {
    const path = patchFile("fix3.diff", fix);
    const result = await run([path, "--protected", "docs/**", "--protected", "src/*.js", "--json"]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ type: "protected_path" });
  });

  it("exits 2 for a missing file, text that is not a diff, an empty file and bad flags", async () => {
    const missing = await run([join(dir, "nope.diff")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.diff/);
    const prose = await run([patchFile("prose.diff", "please fix the bug\n")]);
    expect(prose.code).toBe(2);
    expect(prose.stderr).toMatch(/not a unified diff/);
    expect((await run([patchFile("empty.diff", "")])).code).toBe(2);
    const unknown = await run(["--frobnicate", "x.diff"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("usage: rfsn gate");
    expect((await run([])).stderr).toContain("missing <patch-file>");
    expect((await run(["a.diff", "b.diff"])).code).toBe(2);
    expect((await run(["a.diff", "--protected", " "])).code).toBe(2);
  });

  it("prints usage with --help", async () => {
    const result = await run(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("usage: rfsn gate");
  });

  it("reads the patch through the io's readFile when given", async () => {
    const code = await runGateCommand(["virtual.diff"], {
      stdout: () => {},
      stderr: () => {},
      readFile: async (path) => (path === "virtual.diff" ? fix : ""),
    });
    expect(code).toBe(0);
  });
});
