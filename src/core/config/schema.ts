// The `.github/rfsn.yml` schema (zod, snake_case, every key defaulted) and its camelCase runtime form `RfsnConfig`.
import { z } from "zod";

/** Every validation message below reads "must be <expected>" so that `ConfigError.expected` can be derived from it. */
function mustBe(expected: string): string {
  return `must be ${expected}`;
}

function flag(fallback: boolean, description: string) {
  return z
    .boolean({ error: mustBe("true or false") })
    .default(fallback)
    .describe(description);
}

function positiveInteger(fallback: number, description: string) {
  const error = mustBe("a positive integer");
  return z.int({ error }).positive({ error }).default(fallback).describe(description);
}

function nonNegativeInteger(fallback: number, description: string) {
  const error = mustBe("a whole number, 0 or more");
  return z.int({ error }).nonnegative({ error }).default(fallback).describe(description);
}

function nonNegativeNumber(fallback: number, description: string) {
  const error = mustBe("a number, 0 or more");
  return z.number({ error }).nonnegative({ error }).default(fallback).describe(description);
}

function text(description: string) {
  return z
    .string({ error: mustBe("a string") })
    .default("")
    .describe(description);
}

function stringList(itemDescription: string, description: string) {
  const item = z
    .string({ error: mustBe("a non-empty string") })
    .min(1, { error: mustBe("a non-empty string") })
    .describe(itemDescription);
  return z
    .array(item, { error: mustBe("a list of strings") })
    .default([])
    .describe(description);
}

export const LLM_PROVIDERS = ["off", "openai", "anthropic"] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

const sectionError = mustBe("a mapping of keys to values");

const watchSection = z.strictObject(
  {
    branches: stringList(
      "A branch name.",
      "Branches whose failing CI is repaired. Empty means the repository's default branch only.",
    ),
    workflows: stringList(
      "A workflow name or file name (e.g. ci.yml).",
      "Workflows whose failures are repaired. Empty means every workflow.",
    ),
  },
  { error: sectionError },
);

const limitsSection = z.strictObject(
  {
    max_iterations: nonNegativeInteger(
      0,
      "Optional cap on planner iterations (batches of candidate patches). 0 means no cap: the time budget, or running out of candidates after widening the search, ends it.",
    ),
    time_budget_minutes: positiveInteger(20, "Wall-clock budget of one repair session, in minutes."),
    attempts_per_commit: positiveInteger(2, "Repair sessions allowed for one head commit."),
    runs_per_day: positiveInteger(20, "Repair sessions allowed per repository in 24 hours."),
    max_changed_lines: positiveInteger(60, "Largest patch accepted, in changed lines."),
    max_files: positiveInteger(3, "Largest patch accepted, in files touched."),
    jobs: nonNegativeInteger(0, "Candidates validated in parallel. 0 means one per CPU core."),
  },
  { error: sectionError },
);

const llmSection = z.strictObject(
  {
    provider: z
      .enum(LLM_PROVIDERS, { error: mustBe(`one of ${LLM_PROVIDERS.join(", ")}`) })
      .default("off")
      .describe(
        "LLM used to propose patches when the deterministic operators fail. API keys are read only from the OPENAI_API_KEY / ANTHROPIC_API_KEY environment variables.",
      ),
    model: text("Model name. Empty means the provider's default model."),
    base_url: z
      .union(
        [
          z.literal(""),
          z
            .url({ protocol: /^https?$/, error: mustBe("an http(s) URL or empty") })
            .describe("An http(s) URL."),
        ],
        { error: mustBe("an http(s) URL or empty") },
      )
      .default("")
      .describe("Endpoint of an API-compatible server. Empty means the provider's public API."),
    max_calls: nonNegativeInteger(10, "Most LLM calls in one repair session."),
    max_tokens: nonNegativeInteger(60_000, "Most tokens (prompt and completion) in one repair session."),
    max_cost_usd: nonNegativeNumber(1, "Most estimated spend in one repair session, in US dollars."),
    timeout_seconds: positiveInteger(60, "Timeout of one LLM request, in seconds."),
  },
  { error: sectionError },
);

const sandboxSection = z.strictObject(
  {
    network: flag(
      false,
      "Let the tests reach the network. By default repository code runs with loopback only (its own 127.0.0.1).",
    ),
  },
  { error: sectionError },
);

const pullRequestsSection = z.strictObject(
  {
    draft_automatic: flag(true, "Open the fix pull request of an automatic run (CI turned red) as a draft."),
    draft_on_request: flag(
      false,
      "Open the fix pull request of an explicit request (`/rfsn fix`, a manual run) as a draft.",
    ),
  },
  { error: sectionError },
);

const triggersSection = z.strictObject(
  {
    ci_failure: flag(true, "Start a repair when a watched workflow or check suite fails."),
    comment: flag(true, "Start a repair on a `/rfsn fix` comment by someone with write access."),
  },
  { error: sectionError },
);

export const repositoryConfigSchema = z.strictObject(
  {
    enabled: flag(
      true,
      "Set to false to turn RFSN off for this repository (no repair starts, however asked).",
    ),
    auto_repair: flag(
      true,
      "Start a repair when CI turns red. When false, only `/rfsn fix` comments start one.",
    ),
    triggers: triggersSection
      .prefault({})
      .describe(
        "Which triggers may start a repair; a trigger set to false is refused and shown by `/rfsn status`.",
      ),
    watch: watchSection.prefault({}).describe("Which CI failures RFSN reacts to."),
    test_command: text(
      "Command that runs the tests, split like a shell would but never run through one. Empty means detect it.",
    ),
    protected_paths: stringList(
      "A glob such as `migrations/**`.",
      "Globs that patches must never touch, on top of the built-in ones (.github/**, tests, lockfiles, CI and build config).",
    ),
    limits: limitsSection.prefault({}).describe("Budgets and size limits of a repair."),
    llm: llmSection
      .prefault({})
      .describe("Optional LLM proposer that runs when the deterministic operators fail."),
    sandbox: sandboxSection
      .prefault({})
      .describe(
        "How repository code is isolated while RFSN runs it. Whether it may run unsandboxed is the operator's choice (CLI flag or Action input), never the repository's.",
      ),
    pull_requests: pullRequestsSection.prefault({}).describe("How fix pull requests are opened."),
  },
  { error: sectionError },
);

/** The YAML as validated (snake_case, defaults filled in). */
export type RepositoryConfigFile = z.output<typeof repositoryConfigSchema>;
/** The YAML as a user may write it (every key optional). */
export type RepositoryConfigInput = z.input<typeof repositoryConfigSchema>;

/** The keys allowed in each section of the file, by dotted section path ("" is the top level). */
export const SECTION_KEYS: Readonly<Record<string, readonly string[]>> = {
  "": Object.keys(repositoryConfigSchema.shape),
  triggers: Object.keys(triggersSection.shape),
  watch: Object.keys(watchSection.shape),
  limits: Object.keys(limitsSection.shape),
  llm: Object.keys(llmSection.shape),
  sandbox: Object.keys(sandboxSection.shape),
  pull_requests: Object.keys(pullRequestsSection.shape),
};

export interface RfsnLimits {
  /** null means no cap (the time budget bounds the search). */
  maxIterations: number | null;
  timeBudgetMinutes: number;
  attemptsPerCommit: number;
  runsPerDay: number;
  maxChangedLines: number;
  maxFiles: number;
  /** 0 means one per CPU core. */
  jobs: number;
}

export interface RfsnLlmSettings {
  provider: LlmProvider;
  /** "" means the provider's default. */
  model: string;
  /** "" means the provider's public API. */
  baseUrl: string;
  maxCalls: number;
  maxTokens: number;
  maxCostUsd: number;
  timeoutSeconds: number;
}

/** A repository's RFSN settings, camelCase, every value present. */
export interface RfsnConfig {
  enabled: boolean;
  autoRepair: boolean;
  /** Which triggers may start a repair. */
  triggers: { ciFailure: boolean; comment: boolean };
  watch: {
    /** Empty means the default branch only. */
    branches: string[];
    /** Empty means every workflow. */
    workflows: string[];
  };
  /** "" means detect the test command. */
  testCommand: string;
  /** Added to the built-in protected paths. */
  protectedPaths: string[];
  limits: RfsnLimits;
  llm: RfsnLlmSettings;
  sandbox: {
    /** True opens the network to sandboxed test runs. */
    network: boolean;
  };
  pullRequests: {
    /** Fix PRs of automatic runs (`trigger: ci-failure`) are drafts. */
    draftAutomatic: boolean;
    /** Fix PRs of explicit requests (`trigger: comment` or `manual`) are drafts. */
    draftOnRequest: boolean;
  };
}

/** Converts the validated snake_case file into the camelCase settings object (fresh arrays, nothing shared). */
export function toRfsnConfig(file: RepositoryConfigFile): RfsnConfig {
  return {
    enabled: file.enabled,
    autoRepair: file.auto_repair,
    triggers: { ciFailure: file.triggers.ci_failure, comment: file.triggers.comment },
    watch: { branches: [...file.watch.branches], workflows: [...file.watch.workflows] },
    testCommand: file.test_command,
    protectedPaths: [...file.protected_paths],
    limits: {
      maxIterations: file.limits.max_iterations > 0 ? file.limits.max_iterations : null,
      timeBudgetMinutes: file.limits.time_budget_minutes,
      attemptsPerCommit: file.limits.attempts_per_commit,
      runsPerDay: file.limits.runs_per_day,
      maxChangedLines: file.limits.max_changed_lines,
      maxFiles: file.limits.max_files,
      jobs: file.limits.jobs,
    },
    llm: {
      provider: file.llm.provider,
      model: file.llm.model,
      baseUrl: file.llm.base_url,
      maxCalls: file.llm.max_calls,
      maxTokens: file.llm.max_tokens,
      maxCostUsd: file.llm.max_cost_usd,
      timeoutSeconds: file.llm.timeout_seconds,
    },
    sandbox: { network: file.sandbox.network },
    pullRequests: {
      draftAutomatic: file.pull_requests.draft_automatic,
      draftOnRequest: file.pull_requests.draft_on_request,
    },
  };
}

/** A fresh, mutable copy of the defaults. */
export function defaultConfig(): RfsnConfig {
  return toRfsnConfig(repositoryConfigSchema.parse({}));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** The settings of a repository without `.github/rfsn.yml` (frozen: copy it with `defaultConfig()` to change it). */
export const DEFAULT_CONFIG: RfsnConfig = deepFreeze(defaultConfig());
