// Parses the `/rfsn …` command of an issue or pull-request comment into a typed command (pure).
import { CommandLineError, splitCommandLine } from "../core/command-line.js";

export interface FixOptions {
  /** Overrides the configured test command; null keeps it. */
  testCommand: string | null;
  maxIterations: number | null;
  llm: boolean;
}

export type RfsnCommand =
  | { kind: "fix"; options: FixOptions }
  | { kind: "help" }
  | { kind: "status" }
  | { kind: "cancel" }
  /** Maintainers only: stop (and allow again) automatic repairs of the repository. */
  | { kind: "pause" }
  | { kind: "resume" }
  /** A `/rfsn` line that is not a valid command; `reason` says why (answered with the help text). */
  | { kind: "invalid"; reason: string };

const COMMAND_LINE = /^\/rfsn(?:\s+(.*))?$/i;
const MAX_ITERATIONS_LIMIT = 1000;
const MAX_TEST_COMMAND_LENGTH = 500;

export const COMMAND_HELP = [
  "**RFSN commands** (in a comment on a pull request or an issue, by someone with write access; pause and resume need maintain or admin):",
  "",
  "| command | what it does |",
  "|---|---|",
  "| `/rfsn fix` | repair the pull request's head commit (on an issue: the default branch; on RFSN's own fix PR: revise it) |",
  '| `/rfsn fix --test "npm test"` | …with this test command instead of the configured one |',
  "| `/rfsn fix --max-iterations 10` | …with at most this many planner iterations |",
  "| `/rfsn fix --no-llm` | …with the deterministic operators only |",
  "| `/rfsn status` | the repair of this pull request or issue, and the off switches in force |",
  "| `/rfsn cancel` | cancel the repair of this pull request or issue if it has not finished |",
  "| `/rfsn pause` | stop automatic repairs of this repository (maintainers) |",
  "| `/rfsn resume` | allow automatic repairs again (maintainers) |",
  "| `/rfsn help` | this message |",
  "",
  "Settings live in `.github/rfsn.yml`.",
].join("\n");

/** The first line starting with `/rfsn` outside quotes and code blocks, without the prefix; null when there is none. */
function commandLineOf(body: string): string | null {
  let inFence = false;
  for (const rawLine of body.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line.startsWith("```") || line.startsWith("~~~")) {
      inFence = !inFence;
      continue;
    }
    if (inFence || line.startsWith(">")) continue;
    const match = COMMAND_LINE.exec(line);
    if (match) return (match[1] ?? "").trim();
  }
  return null;
}

function parseFixOptions(
  words: string[],
): { kind: "fix"; options: FixOptions } | { kind: "invalid"; reason: string } {
  const options: FixOptions = { testCommand: null, maxIterations: null, llm: true };
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] ?? "";
    const [flag, inlineValue] =
      word.startsWith("--") && word.includes("=")
        ? [word.slice(0, word.indexOf("=")), word.slice(word.indexOf("=") + 1)]
        : [word, undefined];
    const takeValue = (): string | null => {
      if (inlineValue !== undefined) return inlineValue;
      const next = words[index + 1];
      if (next === undefined) return null;
      index += 1;
      return next;
    };
    switch (flag) {
      case "--test": {
        const value = takeValue();
        if (value === null || value.trim() === "")
          return { kind: "invalid", reason: '`--test` needs a command, e.g. `--test "npm test"`' };
        if (value.length > MAX_TEST_COMMAND_LENGTH)
          return {
            kind: "invalid",
            reason: `the test command is longer than ${MAX_TEST_COMMAND_LENGTH} characters`,
          };
        options.testCommand = value.trim();
        break;
      }
      case "--max-iterations": {
        const value = takeValue();
        if (
          value === null ||
          !/^\d+$/.test(value) ||
          Number(value) < 1 ||
          Number(value) > MAX_ITERATIONS_LIMIT
        ) {
          return {
            kind: "invalid",
            reason: `\`--max-iterations\` needs a whole number from 1 to ${MAX_ITERATIONS_LIMIT}`,
          };
        }
        options.maxIterations = Number(value);
        break;
      }
      case "--no-llm":
        if (inlineValue !== undefined) return { kind: "invalid", reason: "`--no-llm` takes no value" };
        options.llm = false;
        break;
      default:
        return { kind: "invalid", reason: `unknown option \`${word.slice(0, 40)}\` for \`/rfsn fix\`` };
    }
  }
  return { kind: "fix", options };
}

/** The command in a comment body; null when the comment holds no `/rfsn` line at all (not addressed to RFSN). */
export function parseRfsnCommand(body: string): RfsnCommand | null {
  const rest = commandLineOf(body);
  if (rest === null) return null;
  let words: string[];
  try {
    words = splitCommandLine(rest);
  } catch (error) {
    const reason = error instanceof CommandLineError ? error.message : String(error);
    return { kind: "invalid", reason: `the command could not be read: ${reason}` };
  }
  const [name, ...args] = words;
  switch ((name ?? "").toLowerCase()) {
    case "fix":
      return parseFixOptions(args);
    case "help":
    case "":
      return args.length === 0
        ? { kind: "help" }
        : { kind: "invalid", reason: "`/rfsn help` takes no options" };
    case "status":
      return args.length === 0
        ? { kind: "status" }
        : { kind: "invalid", reason: "`/rfsn status` takes no options" };
    case "cancel":
    case "pause":
    case "resume": {
      const kind = (name ?? "").toLowerCase() as "cancel" | "pause" | "resume";
      return args.length === 0 ? { kind } : { kind: "invalid", reason: `\`/rfsn ${kind}\` takes no options` };
    }
    default:
      return { kind: "invalid", reason: `unknown command \`${(name ?? "").slice(0, 40)}\`` };
  }
}
