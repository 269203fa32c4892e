// Every `rfsn` command answers `--help` (and `rfsn help <command>`), and usage errors name the setting to fix.
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

async function rfsn(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (text) => out.push(text), stderr: (text) => err.push(text) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const COMMANDS = ["repair", "bench", "gate", "audit", "init", "serve", "doctor"];

describe("rfsn --help", () => {
  it.each(COMMANDS)("rfsn %s --help prints the command's usage on stdout and exits 0", async (command) => {
    for (const flag of ["--help", "-h"]) {
      const result = await rfsn(command, flag);
      expect(result.code).toBe(0);
      expect(result.err).toBe("");
      expect(result.out).toMatch(new RegExp(`^usage: rfsn ${command}\\b`));
    }
    const viaHelp = await rfsn("help", command);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.out).toBe((await rfsn(command, "--help")).out);
  });

  it("the top-level help lists every command", async () => {
    const result = await rfsn("--help");
    expect(result.code).toBe(0);
    for (const command of COMMANDS) expect(result.out).toContain(`rfsn ${command}`);
  });

  it("repair's help documents every flag it accepts, including where the LLM key comes from", async () => {
    const { out } = await rfsn("repair", "--help");
    for (const flag of [
      "--test",
      "--json",
      "--apply",
      "--jobs",
      "--max-iterations",
      "--time-budget",
      "--memory",
      "--llm",
    ]) {
      expect(out).toContain(flag);
    }
    expect(out).toMatch(/OPENAI_API_KEY or ANTHROPIC_API_KEY/);
  });

  it("errors name the setting and how to fix it", async () => {
    const unknownOption = await rfsn("repair", "--frobnicate");
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.err).toMatch(/--frobnicate/);
    expect(unknownOption.err).toMatch(/usage: rfsn repair/);

    const badJobs = await rfsn("repair", ".", "--jobs", "zero", "--no-memory");
    expect(badJobs.code).toBe(2);
    expect(badJobs.err).toMatch(/--jobs must be a positive integer \(got zero\)/);

    const badLlm = await rfsn("repair", ".", "--llm", "gpt", "--no-memory");
    expect(badLlm.code).toBe(2);
    expect(badLlm.err).toMatch(/--llm must be openai, anthropic or off \(got gpt\)/);

    const noCorpus = await rfsn("bench");
    expect(noCorpus.code).toBe(2);
    expect(noCorpus.err).toMatch(/missing <corpus-dir>/);

    const unknownCommand = await rfsn("frobnicate");
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.err).toMatch(/unknown command "frobnicate" \(commands: repair, bench/);

    const unknownTopic = await rfsn("help", "frobnicate");
    expect(unknownTopic.code).toBe(2);
    expect(unknownTopic.err).toMatch(/no command named frobnicate/);

    const serveWithoutSettings = await rfsn("serve", "--port");
    expect(serveWithoutSettings.code).toBe(2);
  });

  it("a missing LLM key is reported with the variable to export", async () => {
    const { actionableLlmNote } = await import("../../src/cli/llm-flags.js");
    expect(actionableLlmNote("LLM off: OPENAI_API_KEY not set")).toMatch(/export OPENAI_API_KEY=<key>/);
    expect(actionableLlmNote("LLM off (--llm off)")).toBe("LLM off (--llm off)");
  });
});
