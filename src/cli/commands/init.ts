// `rfsn init [dir]`: detects the project's stack, shows the tailored repair workflow and config, then writes them.
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { loadRepairWorkflowTemplate } from "../../app/workflow-template.js";
import { DEFAULT_CONFIG_FILE } from "../../core/config/parse.js";
import { tailoredConfigYaml } from "../../core/config/tailored-sample.js";
import { type DetectedStack, detectStackFrom } from "../../core/stack-detection.js";
import { fillSetupSteps, setupStepsFor } from "../../core/workflow-setup-steps.js";
import { directoryFileSource } from "../../runtime/project-file-source.js";
import type { CliIo } from "../output.js";

export const WORKFLOW_FILE = ".github/workflows/rfsn.yml";

export const INIT_USAGE = "usage: rfsn init [dir] [--yes] [--dry-run] [--force] [--template FILE]";

export const INIT_HELP = `${INIT_USAGE}

Detects the project's language, package manager and test command (npm, pnpm, yarn; pip, poetry, uv;
vitest, jest, mocha, node --test, pytest), shows the repair workflow with the matching set-up and cached
dependency-install steps and a commented ${DEFAULT_CONFIG_FILE}, then writes both.

  dir              the project (default: the current directory)
  --yes, -y        write without asking (asking happens only on a terminal)
  --dry-run        show the files, write nothing
  --force          replace an existing ${WORKFLOW_FILE} (an existing ${DEFAULT_CONFIG_FILE} is always kept)
  --template FILE  the workflow template to fill (default: the one shipped with RFSN)`;

export interface InitOptions {
  /** Answers the "write these files?" question (default: a terminal prompt when stdin is a TTY, else yes). */
  confirm?: (question: string) => Promise<boolean>;
}

async function terminalConfirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return true;
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await prompt.question(`${question} [Y/n] `)).trim().toLowerCase();
    return answer === "" || answer === "y" || answer === "yes";
  } finally {
    prompt.close();
  }
}

function describe(stack: DetectedStack): string {
  return [
    `detected: ${stack.language}, ${stack.packageManager}, tests run with \`${stack.testCommand}\``,
    ...stack.reasons.map((reason) => `  - ${reason}`),
    "set-up steps:",
    ...setupStepsFor(stack).map((step) => `  - ${step.name}: ${step.why}`),
  ].join("\n");
}

export async function runInitCommand(args: string[], io: CliIo, options: InitOptions = {}): Promise<number> {
  let values: { yes?: boolean; "dry-run"?: boolean; force?: boolean; template?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        yes: { type: "boolean", short: "y" },
        "dry-run": { type: "boolean" },
        force: { type: "boolean" },
        template: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    io.stderr(`rfsn init: ${(error as Error).message}\n${INIT_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(INIT_HELP);
    return 0;
  }
  if (positionals.length > 1) {
    io.stderr(`rfsn init: takes one directory, got ${positionals.length}\n${INIT_USAGE}`);
    return 2;
  }
  const dir = resolve(positionals[0] ?? ".");
  if (!existsSync(dir)) {
    io.stderr(`rfsn init: ${dir} does not exist; pass the project's directory`);
    return 2;
  }
  try {
    const stack = await detectStackFrom(directoryFileSource(dir));
    const template = values.template ? await readFile(values.template, "utf8") : loadRepairWorkflowTemplate();
    const workflow = fillSetupSteps(template, stack);
    const workflowPath = join(dir, WORKFLOW_FILE);
    const configPath = join(dir, DEFAULT_CONFIG_FILE);
    const writeWorkflow = !existsSync(workflowPath) || values.force === true;
    const writeConfig = !existsSync(configPath);
    io.stderr(describe(stack));
    io.stdout(`--- ${WORKFLOW_FILE}\n${workflow}`);
    const config = tailoredConfigYaml(stack);
    if (writeConfig) io.stdout(`--- ${DEFAULT_CONFIG_FILE}\n${config}`);
    else
      io.stderr(
        `${DEFAULT_CONFIG_FILE} exists: kept as it is (set test_command: ${JSON.stringify(stack.testCommand)} there if it is empty)`,
      );
    if (!writeWorkflow) {
      io.stderr(`rfsn init: ${WORKFLOW_FILE} exists; pass --force to replace it`);
      return 1;
    }
    if (values["dry-run"]) return 0;
    const confirm = options.confirm ?? terminalConfirm;
    if (
      !values.yes &&
      !(await confirm(
        `write ${writeConfig ? `${WORKFLOW_FILE} and ${DEFAULT_CONFIG_FILE}` : WORKFLOW_FILE}?`,
      ))
    ) {
      io.stderr("rfsn init: nothing written");
      return 1;
    }
    await mkdir(dirname(workflowPath), { recursive: true });
    await writeFile(workflowPath, workflow);
    if (writeConfig) await writeFile(configPath, config);
    io.stderr(
      `rfsn init: wrote ${WORKFLOW_FILE}${writeConfig ? ` and ${DEFAULT_CONFIG_FILE}` : ""}; commit them, then see docs/install.md to install the App or use Action-only mode`,
    );
    return 0;
  } catch (error) {
    io.stderr(`rfsn init: ${(error as Error).message}`);
    return 2;
  }
}
