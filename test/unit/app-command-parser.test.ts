// parseRfsnCommand: `/rfsn` comments become typed commands; anything malformed becomes `invalid` with a reason.
import { describe, expect, it } from "vitest";
import { COMMAND_HELP, parseRfsnCommand } from "../../src/app/command-parser.js";

describe("parseRfsnCommand", () => {
  it("returns null for comments that do not address RFSN", () => {
    expect(parseRfsnCommand("LGTM")).toBeNull();
    expect(parseRfsnCommand("try /rfsn fix later")).toBeNull();
    expect(parseRfsnCommand("> /rfsn fix\nquoted only")).toBeNull();
    expect(parseRfsnCommand("```\n/rfsn fix\n```")).toBeNull();
    expect(parseRfsnCommand("/rfsnfix")).toBeNull();
  });

  it("reads fix with its defaults and every option", () => {
    expect(parseRfsnCommand("/rfsn fix")).toEqual({
      kind: "fix",
      options: { testCommand: null, maxIterations: null, llm: true },
    });
    expect(
      parseRfsnCommand('Thanks!\n  /RFSN fix --test "pytest -k login" --max-iterations 12 --no-llm\nbye'),
    ).toEqual({
      kind: "fix",
      options: { testCommand: "pytest -k login", maxIterations: 12, llm: false },
    });
    expect(parseRfsnCommand("/rfsn fix --max-iterations=3 --test=make")).toEqual({
      kind: "fix",
      options: { testCommand: "make", maxIterations: 3, llm: true },
    });
  });

  it("reads help, status and cancel, and a bare /rfsn as help", () => {
    expect(parseRfsnCommand("/rfsn help")).toEqual({ kind: "help" });
    expect(parseRfsnCommand("/rfsn")).toEqual({ kind: "help" });
    expect(parseRfsnCommand("/rfsn status")).toEqual({ kind: "status" });
    expect(parseRfsnCommand("/rfsn cancel")).toEqual({ kind: "cancel" });
  });

  it("reads pause and resume, in any case, and refuses options on them", () => {
    expect(parseRfsnCommand("/rfsn pause")).toEqual({ kind: "pause" });
    expect(parseRfsnCommand("/RFSN Resume")).toEqual({ kind: "resume" });
    expect(parseRfsnCommand("/rfsn pause forever")).toEqual({
      kind: "invalid",
      reason: "`/rfsn pause` takes no options",
    });
  });

  it.each([
    ["/rfsn deploy", /unknown command `deploy`/],
    ["/rfsn fix --max-iterations", /needs a whole number/],
    ["/rfsn fix --max-iterations 0", /needs a whole number/],
    ["/rfsn fix --max-iterations 1e3", /needs a whole number/],
    ["/rfsn fix --test", /needs a command/],
    ['/rfsn fix --test ""', /needs a command/],
    ["/rfsn fix --yolo", /unknown option `--yolo`/],
    ["/rfsn fix --no-llm=yes", /takes no value/],
    ['/rfsn fix --test "npm test', /could not be read/],
    ["/rfsn fix --test npm test | tee", /could not be read/],
    ["/rfsn status now", /takes no options/],
    ["/rfsn cancel all", /takes no options/],
    ["/rfsn resume now", /takes no options/],
    ["/rfsn help me", /takes no options/],
    [`/rfsn fix --test "${"x".repeat(600)}"`, /longer than 500/],
  ])("answers %s with a reason", (body, reason) => {
    const command = parseRfsnCommand(body);
    expect(command?.kind).toBe("invalid");
    expect(command?.kind === "invalid" ? command.reason : "").toMatch(reason);
  });

  it("documents every command in the help text", () => {
    for (const command of [
      "/rfsn fix",
      "--test",
      "--max-iterations",
      "--no-llm",
      "/rfsn status",
      "/rfsn cancel",
      "/rfsn help",
    ]) {
      expect(COMMAND_HELP).toContain(command);
    }
  });
});
