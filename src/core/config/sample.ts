// A fully commented `.github/rfsn.yml` listing every key at its default (the App's onboarding pull request adds it).
import { CONFIG_SCHEMA_ID } from "./json-schema.js";

export const SAMPLE_CONFIG_YAML = `# yaml-language-server: $schema=${CONFIG_SCHEMA_ID}
# RFSN repairs failing CI by proposing small, tested patches as pull requests.
# Every key is optional: the values below are the defaults, so this file changes nothing until you edit it.

# Set to false to turn RFSN off for this repository: no repair starts, however asked.
enabled: true

# Start a repair as soon as CI turns red. When false, only a \`/rfsn fix\` comment starts one.
auto_repair: true

# Which triggers may start a repair. A trigger set to false is refused, and \`/rfsn status\` says so.
triggers:
  ci_failure: true # a watched workflow or check suite failed
  comment: true # a \`/rfsn fix\` comment by someone with write access

# Which CI failures RFSN reacts to.
watch:
  # Branches to watch; an empty list means the default branch only. Example: [main, release]
  branches: []
  # Workflows to watch, by name or file name; an empty list means all of them. Example: [ci.yml]
  workflows: []

# Command that runs the tests (split into arguments like a shell would, but never run through one).
# Empty means detect it from the project (package.json scripts, pytest configuration). Example: "npm test"
test_command: ""

# Globs that patches must never touch, added to the built-in ones
# (.github/**, test files, lockfiles, CI and build configuration). Example: ["migrations/**"]
protected_paths: []

# Budgets and size limits of one repair.
limits:
  max_iterations: 0 # optional cap on planner iterations; 0 means none (the time budget ends the search)
  time_budget_minutes: 20 # wall-clock budget of one repair session
  attempts_per_commit: 2 # repair sessions allowed for one head commit
  runs_per_day: 20 # repair sessions allowed per repository in 24 hours
  max_changed_lines: 60 # largest patch accepted, in changed lines
  max_files: 3 # largest patch accepted, in files touched
  jobs: 0 # candidates validated in parallel; 0 means one per CPU core

# Optional LLM proposer, used when the deterministic repair operators find nothing.
# The API key never goes in this file (docs/install.md, "The LLM key"): with the RFSN App, the App holds it
# (RFSN_LLM_API_KEY in the App's environment); in Action-only mode, the repository secret RFSN_LLM_API_KEY;
# for the local CLI, the OPENAI_API_KEY or ANTHROPIC_API_KEY environment variable.
llm:
  provider: off # off, openai or anthropic
  model: "" # empty means the provider's default model
  base_url: "" # an API-compatible endpoint; empty means the provider's public API
  max_calls: 10 # LLM calls per repair session
  max_tokens: 60000 # prompt and completion tokens per repair session
  max_cost_usd: 1 # estimated spend per repair session, in US dollars
  timeout_seconds: 60 # timeout of one LLM request

# How the tests run: as an unprivileged user of their own, in their own PID namespace, with no network
# but their own 127.0.0.1. Running them without a sandbox is the operator's choice, never this file's.
sandbox:
  network: false # true lets the tests reach the network

# How fix pull requests are opened: automatic runs as drafts, explicit requests (/rfsn fix) ready for review.
pull_requests:
  draft_automatic: true # a fix for CI that turned red opens as a draft
  draft_on_request: false # a fix asked for with /rfsn fix (or a manual run) opens ready for review
`;
