// Writes the runtime set-up and cached dependency-install steps of a detected stack into the repair workflow template.
import { stringify } from "yaml";
import type { DetectedStack } from "./stack-detection.js";

/** The line of the repair workflow template where the set-up steps go (fixed by the workflow contract). */
export const SETUP_STEPS_MARKER = "# rfsn:setup-steps";

/** Default runtime versions when the repository has no version file. */
export const DEFAULT_NODE_VERSION = "20";
export const DEFAULT_PYTHON_VERSION = "3.12";

export interface WorkflowStep {
  name: string;
  uses?: string;
  with?: Record<string, string | boolean>;
  run?: string;
  /** Why the step is there, for the onboarding pull request's body and `rfsn init`'s output. */
  why: string;
}

/** The template has no `# rfsn:setup-steps` line, so there is nowhere to put the steps. */
export class SetupMarkerMissingError extends Error {
  constructor() {
    super(
      `the repair workflow template has no "${SETUP_STEPS_MARKER}" line: update RFSN (the template shipped with it carries the line) or add the line as a step of the repair job`,
    );
    this.name = "SetupMarkerMissingError";
  }
}

function nodeSteps(stack: DetectedStack): WorkflowStep[] {
  const steps: WorkflowStep[] = [];
  const corepack = stack.packageManager === "pnpm" || stack.yarnBerry;
  if (corepack) {
    steps.push({
      name: `Enable ${stack.packageManager} (corepack)`,
      run: "corepack enable",
      why: `Node.js ships ${stack.packageManager} through corepack; enabling it first lets the next step cache its store.`,
    });
  }
  const setup: Record<string, string> = stack.versionFile
    ? { "node-version-file": stack.versionFile }
    : { "node-version": DEFAULT_NODE_VERSION };
  const lockfile = stack.cacheDependencyPaths[0];
  if (lockfile) {
    setup.cache = stack.packageManager;
    setup["cache-dependency-path"] = lockfile;
  }
  steps.push({
    name: "Set up Node.js",
    uses: "actions/setup-node@v4",
    with: setup,
    why: `Installs Node.js ${stack.versionFile ? `from ${stack.versionFile}` : DEFAULT_NODE_VERSION}${lockfile ? ` and caches ${stack.packageManager}'s downloads keyed by ${lockfile}` : ""}.`,
  });
  steps.push(...installSteps(stack));
  return steps;
}

function pythonSteps(stack: DetectedStack): WorkflowStep[] {
  const steps: WorkflowStep[] = [];
  if (stack.packageManager === "poetry") {
    steps.push({
      name: "Install Poetry",
      run: "pipx install poetry",
      why: "Poetry installs the project; it comes first so that the next step can cache its virtual environments.",
    });
  }
  const setup: Record<string, string> = stack.versionFile
    ? { "python-version-file": stack.versionFile }
    : { "python-version": DEFAULT_PYTHON_VERSION };
  if (stack.packageManager !== "uv") {
    setup.cache = stack.packageManager;
    setup["cache-dependency-path"] = stack.cacheDependencyPaths.join("\n");
  }
  steps.push({
    name: "Set up Python",
    uses: "actions/setup-python@v5",
    with: setup,
    why: `Installs Python ${stack.versionFile ? `from ${stack.versionFile}` : DEFAULT_PYTHON_VERSION}${stack.packageManager !== "uv" ? ` and caches ${stack.packageManager}'s downloads keyed by ${stack.cacheDependencyPaths.join(", ")}` : ""}.`,
  });
  if (stack.packageManager === "uv") {
    steps.push({
      name: "Set up uv",
      uses: "astral-sh/setup-uv@v6",
      with: { "enable-cache": true, "cache-dependency-glob": stack.cacheDependencyPaths.join("\n") },
      why: `Installs uv and caches its downloads keyed by ${stack.cacheDependencyPaths.join(", ")}.`,
    });
  }
  steps.push(...installSteps(stack));
  return steps;
}

function installSteps(stack: DetectedStack): WorkflowStep[] {
  return [
    {
      name: "Install dependencies",
      run: stack.installCommands.join("\n"),
      why: `Installs the project's dependencies (${stack.installCommands.join("; ")}) so that \`${stack.testCommand}\` can run.`,
    },
  ];
}

/** The set-up steps of a stack, in order. */
export function setupStepsFor(stack: DetectedStack): WorkflowStep[] {
  return stack.language === "javascript" ? nodeSteps(stack) : pythonSteps(stack);
}

/** The steps as YAML list items indented by `indent` spaces (the `why` of each step becomes a comment above it). */
export function renderSetupSteps(steps: readonly WorkflowStep[], indent: string): string {
  return steps
    .map(({ why, ...step }) => {
      const body = stringify([step], { lineWidth: 0 }).trimEnd();
      return [`# ${why}`, ...body.split("\n")].map((line) => `${indent}${line}`).join("\n");
    })
    .join("\n");
}

/** The template with the stack's steps written under the marker line (which is kept, so the file can be regenerated). */
export function fillSetupSteps(template: string, stack: DetectedStack): string {
  const lines = template.split("\n");
  const index = lines.findIndex((line) => line.trim().startsWith(SETUP_STEPS_MARKER));
  if (index === -1) throw new SetupMarkerMissingError();
  const indent = /^\s*/.exec(lines[index] ?? "")?.[0] ?? "";
  const marker = `${indent}${SETUP_STEPS_MARKER} (${stack.language}, ${stack.packageManager}, tests: ${stack.testCommand})`;
  return [
    ...lines.slice(0, index),
    marker,
    renderSetupSteps(setupStepsFor(stack), indent),
    ...lines.slice(index + 1),
  ].join("\n");
}
