import { describe, expect, it } from "vitest";
import {
  ActionInputError,
  readActionInputs,
  readRunnerContext,
  repairBranchName,
} from "../../src/action/inputs.js";

const inputs = (values: Record<string, string>) => (name: string) => values[name] ?? "";

describe("Action inputs", () => {
  it("default to a manual run that opens a pull request and caches memory", () => {
    const read = readActionInputs(inputs({ token: "t" }));
    expect(read).toMatchObject({
      trigger: "manual",
      createPr: "true",
      memoryCache: true,
      commentTarget: null,
      maxIterations: null,
    });
    expect(read.protectedPaths).toEqual([]);
  });

  it("parse numbers, lists and choices", () => {
    const read = readActionInputs(
      inputs({
        "comment-target": "42",
        "max-iterations": "7",
        "protected-paths": "docs/**, migrations/**\nvendor/**",
        "create-pr": "draft",
        trigger: "comment",
        "memory-cache": "false",
        "llm-provider": "anthropic",
      }),
    );
    expect(read.commentTarget).toBe(42);
    expect(read.maxIterations).toBe(7);
    expect(read.protectedPaths).toEqual(["docs/**", "migrations/**", "vendor/**"]);
    expect(read.createPr).toBe("draft");
    expect(read.trigger).toBe("comment");
    expect(read.memoryCache).toBe(false);
    expect(read.llmProvider).toBe("anthropic");
  });

  it("name the input and what it expects when a value is wrong", () => {
    expect(() => readActionInputs(inputs({ "max-iterations": "-1" }))).toThrow(
      /max-iterations must be a positive integer/,
    );
    expect(() => readActionInputs(inputs({ "create-pr": "yes" }))).toThrow(ActionInputError);
    expect(() => readActionInputs(inputs({ trigger: "push" }))).toThrow(
      /trigger must be one of ci-failure, comment, manual/,
    );
  });
});

describe("the step and the failing commit", () => {
  it("default to step all and no failing commit, sandboxing required", () => {
    const read = readActionInputs(inputs({}));
    expect(read).toMatchObject({ step: "all", failingCommit: "", allowUnsandboxed: false });
  });

  it("accept the three steps, a 40-hex failing commit (lower-cased), allow-unsandboxed and the App provider", () => {
    const sha = "ABCDEF0123456789ABCDEF0123456789ABCDEF01";
    const read = readActionInputs(
      inputs({
        step: "publish",
        "failing-commit": sha,
        "allow-unsandboxed": "true",
        "llm-provider": "app",
        "app-url": "https://rfsn.example",
      }),
    );
    expect(read).toMatchObject({
      step: "publish",
      failingCommit: sha.toLowerCase(),
      allowUnsandboxed: true,
      llmProvider: "app",
      appUrl: "https://rfsn.example",
    });
    expect(readActionInputs(inputs({ step: "repair" })).step).toBe("repair");
  });

  it("refuse a failing commit that is not a full commit id, and an unknown step", () => {
    expect(() => readActionInputs(inputs({ "failing-commit": "main" }))).toThrow(
      /failing-commit must be a 40-hex commit id/,
    );
    expect(() => readActionInputs(inputs({ "failing-commit": "abc1234" }))).toThrow(ActionInputError);
    expect(() => readActionInputs(inputs({ step: "push" }))).toThrow(
      /step must be one of repair, publish, all/,
    );
    expect(() => readActionInputs(inputs({ "allow-unsandboxed": "yes" }))).toThrow(/allow-unsandboxed/);
  });
});

describe("the runner context", () => {
  it("comes from the standard runner variables, with GitHub Enterprise URLs honoured", () => {
    const context = readRunnerContext({
      GITHUB_WORKSPACE: "/w",
      GITHUB_REPOSITORY: "octo/app",
      GITHUB_SHA: "abcdef1234567",
      GITHUB_API_URL: "https://ghe.example/api/v3",
      GITHUB_SERVER_URL: "https://ghe.example",
      GITHUB_RUN_ID: "99",
    });
    expect(context).toMatchObject({
      owner: "octo",
      repo: "app",
      apiUrl: "https://ghe.example/api/v3",
      runId: "99",
    });
  });

  it("refuses to run outside a job", () => {
    expect(() => readRunnerContext({})).toThrow(/GITHUB_REPOSITORY is not set/);
  });
});

describe("repair branch names", () => {
  it("are rfsn/fix/<sha7>-<request> with unsafe characters replaced", () => {
    expect(repairBranchName("0123456789abcdef", "req-17", "5")).toBe("rfsn/fix/0123456-req-17");
    expect(repairBranchName("0123456789abcdef", "a b/../c", "5")).toBe("rfsn/fix/0123456-a-b-c");
    expect(repairBranchName("0123456789abcdef", "", "5")).toBe("rfsn/fix/0123456-run5");
  });
});
