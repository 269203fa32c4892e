// Parsing `.github/rfsn.yml`: defaults, camelCase conversion and error messages that name the line and key.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { closestKey, editDistance } from "../../src/core/config/key-suggestion.js";
import { ConfigError, parseRepositoryConfig } from "../../src/core/config/parse.js";
import { DEFAULT_CONFIG, defaultConfig, type RfsnConfig } from "../../src/core/config/schema.js";

function fixture(name: string): string {
  return readFileSync(`test/fixtures/config/${name}`, "utf8");
}

function configError(text: string, fileName?: string): ConfigError {
  try {
    parseRepositoryConfig(text, fileName);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("parseRepositoryConfig", () => {
  it("gives the defaults for an empty file, a file of comments and an explicit null document", () => {
    for (const text of ["", "\n\n", "# nothing set yet\n", "~\n", "---\n"]) {
      expect(parseRepositoryConfig(text)).toEqual(DEFAULT_CONFIG);
    }
  });

  it("has the documented defaults", () => {
    expect(DEFAULT_CONFIG).toEqual({
      enabled: true,
      autoRepair: true,
      triggers: { ciFailure: true, comment: true },
      watch: { branches: [], workflows: [] },
      testCommand: "",
      protectedPaths: [],
      sandbox: { network: false },
      limits: {
        maxIterations: null,
        timeBudgetMinutes: 20,
        attemptsPerCommit: 2,
        runsPerDay: 20,
        maxChangedLines: 60,
        maxFiles: 3,
        jobs: 0,
      },
      llm: {
        provider: "off",
        model: "",
        baseUrl: "",
        maxCalls: 10,
        maxTokens: 60000,
        maxCostUsd: 1,
        timeoutSeconds: 60,
      },
      pullRequests: { draftAutomatic: true, draftOnRequest: false },
    });
  });

  it("converts every snake_case key to its camelCase field", () => {
    const config: RfsnConfig = parseRepositoryConfig(fixture("full.yml"));
    expect(config).toEqual({
      enabled: false,
      autoRepair: false,
      triggers: { ciFailure: false, comment: false },
      watch: { branches: ["main", "release/*"], workflows: ["ci.yml"] },
      testCommand: "npm test -- --runInBand",
      protectedPaths: ["migrations/**", "*.sql"],
      sandbox: { network: false },
      limits: {
        maxIterations: 5,
        timeBudgetMinutes: 7,
        attemptsPerCommit: 1,
        runsPerDay: 3,
        maxChangedLines: 20,
        maxFiles: 1,
        jobs: 4,
      },
      llm: {
        provider: "anthropic",
        model: "claude-sonnet-4",
        baseUrl: "https://llm.example.test/v1",
        maxCalls: 3,
        maxTokens: 1000,
        maxCostUsd: 0.25,
        timeoutSeconds: 30,
      },
      pullRequests: { draftAutomatic: false, draftOnRequest: true },
    });
  });

  it("fills keys left out of a section with their defaults", () => {
    const config = parseRepositoryConfig("limits:\n  max_files: 1\nllm:\n  provider: openai\n");
    expect(config.limits).toEqual({ ...DEFAULT_CONFIG.limits, maxFiles: 1 });
    expect(config.llm).toEqual({ ...DEFAULT_CONFIG.llm, provider: "openai" });
    expect(config.watch).toEqual(DEFAULT_CONFIG.watch);
  });

  it("reports a bad value with the file, line, dotted key, expectation and the value found", () => {
    const error = configError(fixture("negative-iterations.yml"));
    expect(error.message).toBe(
      ".github/rfsn.yml line 4: limits.max_iterations must be a whole number, 0 or more (got -3)",
    );
    expect(error).toMatchObject({
      file: ".github/rfsn.yml",
      line: 4,
      column: 19,
      key: "limits.max_iterations",
      expected: "a whole number, 0 or more",
    });
    expect(error.problems).toHaveLength(1);
  });

  it("uses the file name it is given", () => {
    expect(configError("enabled: 3\n", "custom/rfsn.yaml").message).toBe(
      "custom/rfsn.yaml line 1: enabled must be true or false (got 3)",
    );
  });

  it("lists every problem of a file, in line order, and never echoes a secret", () => {
    const error = configError(fixture("many-problems.yml"));
    expect(error.problems.map((problem) => [problem.line, problem.key])).toEqual([
      [1, "enabled"],
      [3, "limits.max_iteration"],
      [4, "limits.max_files"],
      [6, "llm.provider"],
      [7, "llm.api_key"],
      [8, "watch"],
    ]);
    expect(error.message.split("\n")[0]).toBe(".github/rfsn.yml has 6 problems:");
    expect(error.message).toContain('line 1: enabled must be true or false (got "yes please")');
    expect(error.message).toContain('unknown key "limits.max_iteration" (did you mean "max_iterations"?)');
    expect(error.message).toContain("line 4: limits.max_files must be a positive integer (got 0)");
    expect(error.message).toContain('llm.provider must be one of off, openai, anthropic (got "gpt")');
    expect(error.message).toContain('line 8: watch must be a mapping of keys to values (got "main")');
    expect(error.message).not.toContain("sk-test");
    expect(error.line).toBe(1);
    expect(error.key).toBe("enabled");
  });

  it("rejects an API key in the file and says keys come only from OPENAI_API_KEY / ANTHROPIC_API_KEY", () => {
    const error = configError("llm:\n  provider: openai\n  api_key: the-team-key\n");
    expect(error.key).toBe("llm.api_key");
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/llm\.api_key is not allowed: .*OPENAI_API_KEY \/ ANTHROPIC_API_KEY/);
    expect(error.problems).toHaveLength(1);
    for (const key of ["token", "openai_api_key", "secret", "password", "apiKey"]) {
      expect(configError(`llm:\n  ${key}: x\n`).key).toBe(`llm.${key}`);
    }
  });

  it("rejects a value shaped like an API key under any key without repeating it", () => {
    const error = configError("llm:\n  model: sk-proj-abcdefghijklmnopqrstuvwx\n");
    expect(error.key).toBe("llm.model");
    expect(error.message).toContain("looks like an API key or token");
    expect(error.message).not.toContain("abcdefghijklmnop");
    expect(configError("test_command: ghp_abcdefghijklmnopqrstuvwxyz0123\n").key).toBe("test_command");
  });

  it("does not mistake max_tokens for a credential", () => {
    expect(parseRepositoryConfig("llm:\n  max_tokens: 10\n").llm.maxTokens).toBe(10);
  });

  it("names unknown keys with the keys allowed where they appear", () => {
    const top = configError("enable: true\n");
    expect(top.message).toBe(
      '.github/rfsn.yml line 1: unknown key "enable" (did you mean "enabled"?); the keys allowed at the top level are enabled, auto_repair, triggers, watch, test_command, protected_paths, limits, llm, sandbox, pull_requests',
    );
    expect(top.expected).toMatch(/^one of enabled, auto_repair/);
    const nested = configError("watch:\n  branches: []\n  everything: true\n");
    expect(nested.message).toBe(
      '.github/rfsn.yml line 3: unknown key "watch.everything"; the keys allowed in watch are branches, workflows',
    );
    expect(nested.column).toBe(3);
  });

  it("checks list items, URLs, numbers and strings", () => {
    expect(configError("protected_paths: [ok, '']\n").message).toBe(
      '.github/rfsn.yml line 1: protected_paths[1] must be a non-empty string (got "")',
    );
    expect(configError("protected_paths: migrations/**\n").expected).toBe("a list of strings");
    expect(configError("llm:\n  base_url: ftp://example.test\n").message).toContain(
      'llm.base_url must be an http(s) URL or empty (got "ftp://example.test")',
    );
    expect(configError("llm:\n  max_cost_usd: -1\n").expected).toBe("a number, 0 or more");
    expect(configError("limits:\n  jobs: 1.5\n").expected).toBe("a whole number, 0 or more");
    expect(configError("limits:\n  max_iterations: .inf\n").key).toBe("limits.max_iterations");
    expect(configError("test_command: [npm, test]\n").message).toContain(
      "test_command must be a string (got a list)",
    );
    expect(configError("limits:\n  time_budget_minutes: {a: 1}\n").message).toContain("(got a mapping)");
    expect(configError("llm:\n  model: ~\n").message).toContain("llm.model must be a string (got nothing)");
    expect(
      configError(`test_command: 5\nllm:\n  model: "${"m".repeat(60)}"\n  provider: ${"p".repeat(50)}\n`)
        .message,
    ).toContain(`(got "${"p".repeat(40)}…")`);
  });

  it("reports YAML syntax errors with their line", () => {
    const error = configError(fixture("syntax-error.yml"));
    expect(error.key).toBe("");
    expect(error.expected).toBe("valid YAML");
    expect(error.line).toBeGreaterThanOrEqual(3);
    expect(error.message).toMatch(
      /^\.github\/rfsn\.yml (line \d+|has \d+ problems:\n {2}line \d+): YAML syntax error: /,
    );
    const duplicate = configError("enabled: true\nenabled: false\n");
    expect(duplicate.line).toBe(2);
    expect(duplicate.message).toContain("YAML syntax error: Map keys must be unique");
  });

  it("rejects a file that is a list or a single value instead of settings", () => {
    for (const text of ["- enabled\n", "true\n", "just words\n"]) {
      const error = configError(text);
      expect(error.line).toBe(1);
      expect(error.message).toContain("the file must be a mapping of settings");
    }
  });

  it("keeps the defaults frozen and hands out independent copies", () => {
    expect(() => {
      DEFAULT_CONFIG.protectedPaths.push("x");
    }).toThrow(TypeError);
    const copy = defaultConfig();
    copy.watch.branches.push("main");
    expect(DEFAULT_CONFIG.watch.branches).toEqual([]);
    const parsed = parseRepositoryConfig("");
    parsed.limits.maxFiles = 9;
    expect(parseRepositoryConfig("").limits.maxFiles).toBe(3);
  });
});

describe("ConfigError", () => {
  it("cannot be built without a problem", () => {
    expect(() => new ConfigError("f", [])).toThrow(TypeError);
  });
});

describe("key suggestions", () => {
  it("measures edit distance", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });

  it("suggests the closest known key, treating dashes as underscores, and nothing when none is close", () => {
    expect(closestKey("max-iterations", ["max_iterations", "max_files"])).toBe("max_iterations");
    expect(closestKey("Max_Filez", ["max_iterations", "max_files"])).toBe("max_files");
    expect(closestKey("colour", ["enabled", "watch"])).toBeUndefined();
  });
});
