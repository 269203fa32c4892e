// `rfsn init` on one fixture per supported stack: detection, the written workflow (checked by actionlint) and config, and the steps' commands run for real.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { main } from "../../src/cli/main.js";
import { splitCommandLine } from "../../src/core/command-line.js";
import { parseRepositoryConfig } from "../../src/core/config/parse.js";
import { actionlint } from "../helpers/actionlint.js";

const ROOT = join(import.meta.dirname, "../..");
const STACKS = join(ROOT, "test/fixtures/init/stacks");
const TEMPLATE = join(ROOT, "test/fixtures/init/repair-workflow-contract.yml");
const workspace = mkdtempSync(join(tmpdir(), "rfsn-init-"));

interface Expected {
  fixture: string;
  packageManager: string;
  testCommand: string;
  install: string[];
  /** The set-up actions the workflow must use, in order. */
  uses: string[];
  /** Whether this machine can run the install and test commands (no PyPI, no poetry, no uv here). */
  runsHere: boolean;
}

const EXPECTED: Expected[] = [
  {
    fixture: "npm-node-test",
    packageManager: "npm",
    testCommand: "npm test",
    install: ["npm ci"],
    uses: ["actions/checkout@v4", "actions/setup-node@v4", "rfsn-dev/rfsn@v1"],
    runsHere: true,
  },
  {
    fixture: "npm-vitest",
    packageManager: "npm",
    testCommand: "npx vitest run",
    install: ["npm ci"],
    uses: ["actions/checkout@v4", "actions/setup-node@v4", "rfsn-dev/rfsn@v1"],
    runsHere: false,
  },
  {
    fixture: "pnpm-node-test",
    packageManager: "pnpm",
    testCommand: "pnpm test",
    install: ["corepack enable", "pnpm install --frozen-lockfile"],
    uses: ["actions/checkout@v4", "actions/setup-node@v4", "rfsn-dev/rfsn@v1"],
    runsHere: true,
  },
  {
    fixture: "pnpm-jest",
    packageManager: "pnpm",
    testCommand: "pnpm test",
    install: ["corepack enable", "pnpm install --frozen-lockfile"],
    uses: ["actions/checkout@v4", "actions/setup-node@v4", "rfsn-dev/rfsn@v1"],
    runsHere: false,
  },
  {
    fixture: "yarn-node-test",
    packageManager: "yarn",
    testCommand: "yarn test",
    install: ["yarn install --frozen-lockfile"],
    uses: ["actions/checkout@v4", "actions/setup-node@v4", "rfsn-dev/rfsn@v1"],
    runsHere: true,
  },
  {
    fixture: "yarn-berry-mocha",
    packageManager: "yarn",
    testCommand: "yarn exec mocha",
    install: ["corepack enable", "yarn install --immutable"],
    uses: ["actions/checkout@v4", "actions/setup-node@v4", "rfsn-dev/rfsn@v1"],
    runsHere: false,
  },
  {
    fixture: "pip-pytest",
    packageManager: "pip",
    testCommand: "python -m pytest",
    install: ["python -m pip install -r requirements.txt"],
    uses: ["actions/checkout@v4", "actions/setup-python@v5", "rfsn-dev/rfsn@v1"],
    runsHere: true,
  },
  {
    fixture: "poetry-pytest",
    packageManager: "poetry",
    testCommand: "poetry run pytest",
    install: ["pipx install poetry", "poetry install --no-interaction"],
    uses: ["actions/checkout@v4", "actions/setup-python@v5", "rfsn-dev/rfsn@v1"],
    runsHere: false,
  },
  {
    fixture: "uv-pytest",
    packageManager: "uv",
    testCommand: "uv run pytest",
    install: ["uv sync"],
    uses: ["actions/checkout@v4", "actions/setup-python@v5", "astral-sh/setup-uv@v6", "rfsn-dev/rfsn@v1"],
    runsHere: false,
  },
];

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}

async function rfsn(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (text) => out.push(text), stderr: (text) => err.push(text) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

function projectCopy(fixture: string): string {
  const dir = join(workspace, fixture);
  if (!existsSync(dir)) cpSync(join(STACKS, fixture), dir, { recursive: true });
  return dir;
}

function repairSteps(workflowText: string): Step[] {
  const workflow = parse(workflowText) as { jobs: { repair: { steps: Step[] } } };
  return workflow.jobs.repair.steps;
}

/** Runs one command line of the workflow the way a runner would, with a local stand-in where the runner has a tool this machine lacks. */
async function runLine(line: string, cwd: string): Promise<{ exitCode: number | undefined; all: string }> {
  const argv = splitCommandLine(line);
  const [command = "", ...args] = argv;
  // `corepack enable` only installs pnpm/yarn shims (globally); calling them through corepack is the same without touching the machine.
  const local =
    command === "pnpm" || command === "yarn"
      ? ["corepack", [command === "yarn" ? "yarn@1.22.22" : "pnpm@9.15.9", ...args]]
      : command === "python"
        ? ["python3", args]
        : [command, args];
  const result = await execa(local[0] as string, local[1] as string[], {
    cwd,
    reject: false,
    all: true,
    env: { COREPACK_ENABLE_DOWNLOAD_PROMPT: "0", COREPACK_INTEGRITY_KEYS: "0", CI: "true" },
  });
  return { exitCode: result.exitCode, all: result.all ?? "" };
}

/** actionlint's findings per fixture, from one actionlint run over every stack's generated workflow (it is slow to start). */
const findings = new Map<string, string[]>();

beforeAll(async () => {
  const workflows: Record<string, string> = {};
  for (const expected of EXPECTED) {
    const dir = join(workspace, "lint", expected.fixture);
    cpSync(join(STACKS, expected.fixture), dir, { recursive: true });
    expect((await rfsn("init", dir, "--yes", "--template", TEMPLATE)).code).toBe(0);
    workflows[`${expected.fixture}.yml`] = readFileSync(join(dir, ".github/workflows/rfsn.yml"), "utf8");
  }
  const all = await actionlint(workflows);
  for (const expected of EXPECTED) {
    findings.set(
      expected.fixture,
      all.filter((line) => line.startsWith(`.github/workflows/${expected.fixture}.yml:`)),
    );
  }
}, 120_000);

afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe("rfsn init", () => {
  it.each(EXPECTED)("writes a workflow that actionlint accepts for $fixture", async (expected) => {
    const dir = projectCopy(expected.fixture);
    const result = await rfsn("init", dir, "--yes", "--template", TEMPLATE);
    expect(result.err).toContain(`tests run with \`${expected.testCommand}\``);
    expect(result.code).toBe(0);
    const workflowText = readFileSync(join(dir, ".github/workflows/rfsn.yml"), "utf8");
    expect(findings.get(expected.fixture)).toEqual([]);

    const steps = repairSteps(workflowText);
    expect(steps.flatMap((step) => (step.uses ? [step.uses] : []))).toEqual(expected.uses);
    const runLines = steps.flatMap((step) => (step.run ? step.run.split("\n") : []));
    expect(runLines).toEqual(expected.install);
    // Dependencies are cached by the set-up action, keyed by a lockfile or requirement file the project has.
    const setup = steps.find((step) => step.uses?.startsWith("actions/setup-"));
    if (expected.packageManager !== "uv") {
      expect(setup?.with?.cache).toBe(expected.packageManager);
      const keyFile = String(setup?.with?.["cache-dependency-path"]);
      expect(existsSync(join(dir, keyFile))).toBe(true);
    }
    // The set-up steps sit between the checkout and the RFSN step, and the rest of the template is untouched.
    expect(steps[0]?.uses).toBe("actions/checkout@v4");
    expect(steps.at(-1)?.uses).toBe("rfsn-dev/rfsn@v1");
    const template = parse(readFileSync(TEMPLATE, "utf8")) as Record<string, unknown>;
    const written = parse(workflowText) as Record<string, unknown>;
    expect(written.on).toEqual(template.on);
    expect(written.permissions).toEqual({});
    expect((written.jobs as Record<string, unknown>).publish).toEqual(
      (template.jobs as Record<string, unknown>).publish,
    );

    const config = parseRepositoryConfig(readFileSync(join(dir, ".github/rfsn.yml"), "utf8"));
    expect(config.testCommand).toBe(expected.testCommand);
  });

  it.each(EXPECTED.filter((expected) => expected.runsHere))(
    "the install and test commands of $fixture's workflow pass on the fixture",
    async (expected) => {
      const dir = projectCopy(expected.fixture);
      if (!existsSync(join(dir, ".github/workflows/rfsn.yml"))) {
        expect((await rfsn("init", dir, "--yes", "--template", TEMPLATE)).code).toBe(0);
      }
      const steps = repairSteps(readFileSync(join(dir, ".github/workflows/rfsn.yml"), "utf8"));
      const lines = steps.flatMap((step) => (step.run ? step.run.split("\n") : []));
      for (const line of lines.filter((line) => line !== "corepack enable")) {
        const install = await runLine(line, dir);
        expect(install.exitCode, `${line}\n${install.all}`).toBe(0);
      }
      const config = parseRepositoryConfig(readFileSync(join(dir, ".github/rfsn.yml"), "utf8"));
      const tests = await runLine(config.testCommand, dir);
      expect(tests.exitCode, tests.all).toBe(0);
      expect(tests.all).toMatch(/pass(ed)? 1|1 passed/);
    },
    120_000,
  );

  // Active once the shipped template carries the marker line (the publisher's template does).
  it.runIf(readFileSync(join(ROOT, ".github/workflows/rfsn.yml"), "utf8").includes("# rfsn:setup-steps"))(
    "fills the template shipped with RFSN by default",
    async () => {
      const dir = join(workspace, "shipped");
      cpSync(join(STACKS, "pip-pytest"), dir, { recursive: true });
      const result = await rfsn("init", dir, "--dry-run");
      expect(result.code).toBe(0);
      expect(result.out).toContain("uses: actions/setup-python@v5");
      expect(result.out).toContain("run: python -m pip install -r requirements.txt");
    },
  );

  it("keeps an existing workflow unless --force, and an existing config always", async () => {
    const dir = join(workspace, "existing");
    cpSync(join(STACKS, "npm-node-test"), dir, { recursive: true });
    writeFileSync(join(dir, "keep.txt"), "");
    expect((await rfsn("init", dir, "--yes", "--template", TEMPLATE)).code).toBe(0);
    writeFileSync(join(dir, ".github/rfsn.yml"), "enabled: false\n");
    const refused = await rfsn("init", dir, "--yes", "--template", TEMPLATE);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/exists; pass --force/);
    const forced = await rfsn("init", dir, "--yes", "--force", "--template", TEMPLATE);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, ".github/rfsn.yml"), "utf8")).toBe("enabled: false\n");
  });

  it("--dry-run shows both files and writes nothing", async () => {
    const dir = join(workspace, "dry");
    cpSync(join(STACKS, "pip-pytest"), dir, { recursive: true });
    const result = await rfsn("init", dir, "--dry-run", "--template", TEMPLATE);
    expect(result.code).toBe(0);
    expect(result.out).toContain("--- .github/workflows/rfsn.yml");
    expect(result.out).toContain('test_command: "python -m pytest"');
    expect(existsSync(join(dir, ".github"))).toBe(false);
  });

  it("says what it needs when no supported project is found, and when the template has no marker", async () => {
    const empty = join(workspace, "empty");
    cpSync(join(STACKS, "npm-node-test"), empty, { recursive: true });
    rmSync(join(empty, "package.json"));
    const none = await rfsn("init", empty, "--yes", "--template", TEMPLATE);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/expected package\.json .* Set `test_command` in \.github\/rfsn\.yml/);

    const bare = join(workspace, "bare-template.yml");
    writeFileSync(bare, readFileSync(TEMPLATE, "utf8").replace("      # rfsn:setup-steps\n", ""));
    const noMarker = await rfsn("init", projectCopy("npm-vitest"), "--dry-run", "--template", bare);
    expect(noMarker.code).toBe(2);
    expect(noMarker.err).toMatch(/has no "# rfsn:setup-steps" line/);
  });

  it("stops when the user declines", async () => {
    const dir = join(workspace, "declined");
    cpSync(join(STACKS, "uv-pytest"), dir, { recursive: true });
    const out: string[] = [];
    const code = await (await import("../../src/cli/commands/init.js")).runInitCommand(
      [dir, "--template", TEMPLATE],
      { stdout: (text) => out.push(text), stderr: (text) => out.push(text) },
      { confirm: async () => false },
    );
    expect(code).toBe(1);
    expect(existsSync(join(dir, ".github"))).toBe(false);
  });
});
