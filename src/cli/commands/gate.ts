// `rfsn gate <patch-file>`: runs the safety gate on a diff file and prints the verdict (exit 0 accepted, 1 rejected, 2 bad input).
import { readFile as readFileFromDisk } from "node:fs/promises";
import { parseArgs } from "node:util";
import { DiffParseError, parseUnifiedDiff } from "../../core/diff.js";
import { defaultGateContext, gate } from "../../core/gate/index.js";
import type { GateVerdict } from "../../core/types.js";

export const GATE_USAGE = "usage: rfsn gate <patch-file> [--json] [--protected <glob>]...";

export interface GateCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile?: (path: string) => Promise<string>;
}

function humanLine(path: string, verdict: GateVerdict): string {
  if (verdict.accepted) return `accepted ${path} (fingerprint ${verdict.fingerprint})`;
  return `rejected ${path}: ${verdict.type}: ${verdict.reason}`;
}

function jsonLine(verdict: GateVerdict): string {
  if (verdict.accepted) return JSON.stringify({ accepted: true, fingerprint: verdict.fingerprint });
  return JSON.stringify({
    accepted: false,
    type: verdict.type,
    reason: verdict.reason,
    fingerprint: verdict.fingerprint,
  });
}

export async function runGateCommand(args: string[], io: GateCommandIo): Promise<number> {
  let parsed: ReturnType<typeof parseGateArgs>;
  try {
    parsed = parseGateArgs(args);
  } catch (error) {
    io.stderr(`rfsn gate: ${(error as Error).message}\n${GATE_USAGE}`);
    return 2;
  }
  if (parsed.help) {
    io.stdout(GATE_USAGE);
    return 0;
  }
  const { file, json, protectedPaths } = parsed;

  let diff: string;
  try {
    diff = await (io.readFile ?? ((path: string) => readFileFromDisk(path, "utf8")))(file);
  } catch (error) {
    io.stderr(`rfsn gate: cannot read ${file}: ${(error as Error).message}`);
    return 2;
  }
  try {
    if (parseUnifiedDiff(diff).length === 0) {
      io.stderr(`rfsn gate: ${file} is empty; expected a unified diff`);
      return 2;
    }
  } catch (error) {
    if (error instanceof DiffParseError) {
      io.stderr(`rfsn gate: ${file} is not a unified diff: ${error.message}`);
      return 2;
    }
    throw error;
  }

  const verdict = gate(
    {
      id: file,
      diff,
      intent: "check",
      phase: "patch",
      origin: "human",
      operator: "llm",
      rationale: `rfsn gate ${file}`,
    },
    defaultGateContext({ protectedPaths }),
  );
  io.stdout(json ? jsonLine(verdict) : humanLine(file, verdict));
  return verdict.accepted ? 0 : 1;
}

function parseGateArgs(args: string[]): {
  file: string;
  json: boolean;
  protectedPaths: string[];
  help: boolean;
} {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: "boolean", default: false },
      protected: { type: "string", multiple: true, default: [] },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return { file: "", json: false, protectedPaths: [], help: true };
  if (positionals.length !== 1) {
    throw new Error(
      positionals.length === 0
        ? "missing <patch-file>"
        : `expected one patch file, got ${positionals.length}`,
    );
  }
  const protectedPaths = values.protected ?? [];
  if (protectedPaths.some((glob) => glob.trim() === ""))
    throw new Error("--protected needs a non-empty glob");
  return { file: positionals[0] ?? "", json: values.json ?? false, protectedPaths, help: false };
}
