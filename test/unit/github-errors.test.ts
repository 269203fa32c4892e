// How GitHub failures are read: statuses and messages from Octokit errors, and git's stderr turned into typed push errors.
import { describe, expect, it } from "vitest";
import {
  classifyGitFailure,
  PushRejectedError,
  RemoteUnreachableError,
} from "../../src/github/branch-push.js";
import { githubMessage, statusOf } from "../../src/github/request-status.js";
import type { ProcessResult } from "../../src/runtime/process.js";

function gitResult(overrides: Partial<ProcessResult>): ProcessResult {
  return {
    argv: ["git", "push"],
    exitCode: 1,
    signal: null,
    timedOut: false,
    durationMs: 5,
    stdout: "",
    stderr: "",
    output: "",
    truncated: false,
    ...overrides,
  };
}

describe("reading Octokit errors", () => {
  it("finds the status only when it is a number", () => {
    expect(statusOf({ status: 422 })).toBe(422);
    expect(statusOf({ status: "422" })).toBeNull();
    expect(statusOf(new Error("x"))).toBeNull();
    expect(statusOf(null)).toBeNull();
  });

  it("joins GitHub's message with the messages of its errors", () => {
    const error = {
      response: {
        data: {
          message: "Validation Failed",
          errors: [{ code: "custom", message: "A pull request already exists for o:b." }, "plain"],
        },
      },
    };
    expect(githubMessage(error)).toBe("Validation Failed: A pull request already exists for o:b.: plain");
    expect(githubMessage(new Error("socket hang up"))).toBe("socket hang up");
    expect(githubMessage("text")).toBe("text");
  });
});

describe("classifying git failures", () => {
  it("calls a non-fast-forward or protected-branch answer a rejection", () => {
    const error = classifyGitFailure(
      gitResult({
        stderr: " ! [rejected]        rfsn/x -> rfsn/x (fetch first)\nerror: failed to push some refs",
      }),
      "tok",
      "pushing rfsn/x",
    );
    expect(error).toBeInstanceOf(PushRejectedError);
    expect(error.message).toMatch(/check that the token can write contents/);
    expect(
      classifyGitFailure(
        gitResult({ stderr: "remote: error: GH006: Protected branch update failed" }),
        "t",
        "p",
      ),
    ).toBeInstanceOf(PushRejectedError);
    expect(
      classifyGitFailure(
        gitResult({
          stderr:
            "remote: Permission to o/r.git denied to bot.\nfatal: unable to access 'https://github.com/o/r.git/': The requested URL returned error: 403",
          exitCode: 128,
        }),
        "t",
        "p",
      ),
    ).toBeInstanceOf(PushRejectedError);
  });

  it("calls DNS, connection and timeout failures unreachable", () => {
    expect(
      classifyGitFailure(
        gitResult({
          stderr: "fatal: unable to access 'https://github.com/o/r.git/': Could not resolve host: github.com",
          exitCode: 128,
        }),
        "t",
        "p",
      ),
    ).toBeInstanceOf(RemoteUnreachableError);
    expect(
      classifyGitFailure(gitResult({ timedOut: true, exitCode: null, signal: "SIGTERM" }), "t", "p"),
    ).toBeInstanceOf(RemoteUnreachableError);
    expect(
      classifyGitFailure(gitResult({ startError: "command not found: git", exitCode: null }), "t", "p"),
    ).toBeInstanceOf(PushRejectedError);
  });

  it("removes the token and its basic-auth form from messages", () => {
    const token = "ghs_abc123";
    const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
    const error = classifyGitFailure(
      gitResult({ stderr: `fatal: bad header AUTHORIZATION: basic ${basic} for ${token}`, exitCode: 128 }),
      token,
      "p",
    );
    expect(error.message).not.toContain(token);
    expect(error.message).not.toContain(basic);
    expect((error as RemoteUnreachableError).detail).toContain("***");
  });
});
