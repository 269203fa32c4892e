// `rfsn repair` through the CLI entry: JSON output, --apply, exit codes, and /metrics served while the session runs.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/output.js";

const ROOT = join(import.meta.dirname, "../..");
const workspace = mkdtempSync(join(tmpdir(), "rfsn-cli-repair-"));
let copies = 0;

afterAll(() => {
  rmSync(workspace, { recursive: true, force: true });
});

interface Captured extends CliIo {
  out: string[];
  err: string[];
}

function captureIo(): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (text) => out.push(text), stderr: (text) => err.push(text) };
}

function copyOf(fixture: string): string {
  copies += 1;
  const dir = join(workspace, `project-${copies}`);
  cpSync(join(ROOT, fixture), dir, { recursive: true });
  return dir;
}

/** Flags every run gets: no API key is used, and the outcome memory lives in this test's folder. */
function quietFlags(): string[] {
  return ["--llm", "off", "--memory", join(workspace, "memory.db"), "--jobs", "2"];
}

function testsPass(dir: string): boolean {
  try {
    execFileSync(process.execPath, ["--test"], { cwd: dir, stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

describe("rfsn repair", () => {
  it("prints exactly one JSON object with the headline figures and leaves the project untouched", async () => {
    const dir = copyOf("examples/quickstart");
    const before = readFileSync(join(dir, "src/cart.js"), "utf8");
    const io = captureIo();
    const code = await main(["repair", dir, "--json", ...quietFlags()], io);
    expect(code, io.err.join("\n")).toBe(0);
    expect(io.out).toHaveLength(1);
    const result = JSON.parse(io.out[0] ?? "") as Record<string, unknown>;
    for (const field of [
      "outcome",
      "patch",
      "iterations",
      "candidatesTried",
      "candidatesRejected",
      "testRuns",
      "durationMs",
      "locations",
      "operator",
    ]) {
      expect(result, field).toHaveProperty(field);
    }
    expect(result.outcome).toBe("fixed");
    expect(result.patch).toMatch(/^--- a\/src\/cart\.js/m);
    expect(result.iterations).toBeGreaterThanOrEqual(1);
    expect(result.candidatesTried).toBeGreaterThanOrEqual(1);
    expect(typeof result.candidatesRejected).toBe("number");
    expect(result.testRuns).toBeGreaterThanOrEqual(2);
    expect(result.durationMs).toBeGreaterThan(0);
    expect((result.locations as Array<{ file: string }>)[0]?.file).toBe("src/cart.js");
    expect(typeof result.operator).toBe("string");
    expect(readFileSync(join(dir, "src/cart.js"), "utf8")).toBe(before);
    expect(testsPass(dir)).toBe(false);
  });

  it("writes the patch with --apply, after which the project's tests pass", async () => {
    const dir = copyOf("examples/quickstart");
    const before = readFileSync(join(dir, "src/cart.js"), "utf8");
    const io = captureIo();
    const code = await main(["repair", dir, "--apply", ...quietFlags()], io);
    expect(code, io.err.join("\n")).toBe(0);
    expect(readFileSync(join(dir, "src/cart.js"), "utf8")).not.toBe(before);
    expect(io.err.join("\n")).toContain("applied the patch");
    expect(testsPass(dir)).toBe(true);
  });

  it("exits 1 with no_failure on a project whose tests already pass", async () => {
    const io = captureIo();
    const code = await main(
      ["repair", copyOf("test/fixtures/sessions/green"), "--json", ...quietFlags()],
      io,
    );
    expect(code).toBe(1);
    expect(JSON.parse(io.out[0] ?? "{}")).toMatchObject({ outcome: "no_failure", patch: "", operator: null });
  });

  it("exits 2 with the usage on an unknown flag or a bad number", async () => {
    const unknown = captureIo();
    expect(await main(["repair", ".", "--frobnicate"], unknown)).toBe(2);
    expect(unknown.err.join("\n")).toMatch(/usage: rfsn repair/);
    expect(unknown.out).toEqual([]);
    const badNumber = captureIo();
    expect(
      await main(
        ["repair", copyOf("test/fixtures/sessions/green"), "--jobs", "zero", ...quietFlags().slice(0, 4)],
        badNumber,
      ),
    ).toBe(2);
    expect(badNumber.err.join("\n")).toMatch(/--jobs/);
  });

  it("serves /metrics on --metrics-port while the session runs, and stops serving when it ends", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/metrics`;
    const io = captureIo();
    let finished = false;
    const run = main(
      ["repair", copyOf("examples/quickstart"), "--json", "--metrics-port", String(port), ...quietFlags()],
      io,
    ).finally(() => {
      finished = true;
    });
    // Scrape like Prometheus would, from this process, until the command returns.
    const scrapesDuringRun: string[] = [];
    while (!finished) {
      try {
        const response = await fetch(url);
        const body = await response.text();
        if (!finished && response.ok) scrapesDuringRun.push(body);
      } catch {
        // not listening yet (or already closed)
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await run, io.err.join("\n")).toBe(0);
    expect(io.err.join("\n")).toContain(`metrics at ${url}`);
    expect(scrapesDuringRun.length).toBeGreaterThan(0);
    // At least one scrape saw the session in flight: one active repair and the baseline test run counted.
    const midRun = scrapesDuringRun.filter((body) => /^rfsn_active_repairs 1$/m.test(body));
    expect(midRun.length).toBeGreaterThan(0);
    expect(midRun.some((body) => /^rfsn_tests_run_total\{outcome="failed"\} [1-9]/m.test(body))).toBe(true);
    await expect(fetch(url)).rejects.toThrow();
  });
});
