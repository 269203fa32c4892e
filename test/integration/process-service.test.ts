// Keeps real child processes alive through startServiceProcess: answers on fd 3, timeouts and aborts kill, exits and start failures are reported.
import { tmpdir } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { type ServiceProcess, startServiceProcess } from "../../src/runtime/process-service.js";

/** A service that answers each stdin line with its upper-cased text on fd 3; "env" answers a variable, "hang" never answers, "quit" exits. */
const ECHO_SERVICE = `
const fs = require("node:fs");
const readline = require("node:readline");
const answers = fs.createWriteStream(null, { fd: 3 });
readline.createInterface({ input: process.stdin }).on("line", (line) => {
  if (line === "hang") return;
  if (line === "quit") process.exit(7);
  if (line.startsWith("env ")) { answers.write(String(process.env[line.slice(4)] ?? "<unset>") + "\\n"); return; }
  console.log("working on " + line);
  answers.write(line.toUpperCase() + "\\n");
});
`;

const started: ServiceProcess[] = [];
function startEcho(env: Record<string, string> = {}): ServiceProcess {
  const service = startServiceProcess([process.execPath, "-e", ECHO_SERVICE], { cwd: tmpdir(), env });
  started.push(service);
  return service;
}

afterEach(() => {
  for (const service of started.splice(0)) service.close();
});

describe("startServiceProcess", () => {
  it("answers many requests from one process, with the output written meanwhile", async () => {
    const service = startEcho();
    expect(service.starting).toBe(true);
    for (const word of ["one", "two", "three"]) {
      const answer = await service.request(word, { timeoutMs: 10_000 });
      expect(answer).toMatchObject({ kind: "answer", line: word.toUpperCase() });
      if (answer.kind === "answer") expect(answer.output).toContain(`working on ${word}`);
    }
    expect(service.alive).toBe(true);
    expect(service.starting).toBe(false);
  });

  it("scrubs secrets from the environment like any untrusted test process", async () => {
    process.env.RFSN_TEST_SECRET_TOKEN = "s3cr3t";
    try {
      const service = startEcho({ PLAIN_SETTING: "kept" });
      expect(await service.request("env PLAIN_SETTING", { timeoutMs: 10_000 })).toMatchObject({
        line: "kept",
      });
      expect(await service.request("env RFSN_TEST_SECRET_TOKEN", { timeoutMs: 10_000 })).toMatchObject({
        line: "<unset>",
      });
      expect(await service.request("env RFSN_RUN_ID", { timeoutMs: 10_000 })).not.toMatchObject({
        line: "<unset>",
      });
    } finally {
      delete process.env.RFSN_TEST_SECRET_TOKEN;
    }
  });

  it("kills a process that does not answer in time, and reports it dead afterwards", async () => {
    const service = startEcho();
    const answer = await service.request("hang", { timeoutMs: 300 });
    expect(answer.kind).toBe("timeout");
    expect(service.alive).toBe(false);
    expect((await service.request("again", { timeoutMs: 1_000 })).kind).toBe("exited");
  });

  it("kills the process at once when the request is aborted", async () => {
    const service = startEcho();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const answer = await service.request("hang", { timeoutMs: 30_000, signal: controller.signal });
    expect(answer.kind).toBe("aborted");
    expect(answer.durationMs).toBeLessThan(5_000);
    expect(service.alive).toBe(false);
  });

  it("reports a process that exits instead of answering, with its exit code", async () => {
    const service = startEcho();
    const answer = await service.request("quit", { timeoutMs: 10_000 });
    expect(answer).toMatchObject({ kind: "exited", exitCode: 7 });
  });

  it("reports a command that cannot start", async () => {
    const service = startServiceProcess(["rfsn-no-such-command-xyz"], { cwd: tmpdir() });
    started.push(service);
    const answer = await service.request("hello", { timeoutMs: 5_000 });
    expect(answer.kind).toBe("exited");
    if (answer.kind === "exited") expect(answer.startError).toMatch(/command not found/);
  });
});
