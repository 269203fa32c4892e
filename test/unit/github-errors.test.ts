// How GitHub failures are read: statuses and messages from Octokit errors.
import { describe, expect, it } from "vitest";
import { githubMessage, statusOf } from "../../src/github/request-status.js";

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
