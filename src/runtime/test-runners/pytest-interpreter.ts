// Finds the Python interpreter a pytest command runs under and the first entry it puts on sys.path, so a warm process can start the same way.
import { constants } from "node:fs";
import { access, open, realpath } from "node:fs/promises";
import { basename, delimiter, dirname, isAbsolute, join, resolve } from "node:path";

export interface PytestInterpreter {
  /** The interpreter and its options, e.g. `["python3"]` or `["/venv/bin/python", "-X", "dev"]`. */
  argv: string[];
  /**
   * `sys.path[0]` of the cold command: the cwd for `python -m pytest`, the script's directory for a `pytest` script;
   * undefined when the command adds none (`-I`, `-P`, PYTHONSAFEPATH).
   */
  firstPathEntry?: string;
}

/** Python flags (without a value) that may be grouped before `I` or `P`, which keep the cwd off sys.path. */
const SAFE_PATH_FLAGS = /^-[bBdEhiOqsSuvV]*[IP]/;

/**
 * The interpreter behind `prefix` (the words before pytest's own arguments: `python3 -m pytest` or a `pytest`
 * script), or undefined when it cannot be told (a script that is not a Python script, an unknown launcher).
 */
export async function pytestInterpreter(
  prefix: readonly string[],
  cwd: string,
  commandEnv: Record<string, string>,
): Promise<PytestInterpreter | undefined> {
  if (prefix.length >= 3 && prefix.at(-2) === "-m" && prefix.at(-1) === "pytest") {
    const argv = prefix.slice(0, -2);
    const safePath =
      argv.slice(1).some((word) => SAFE_PATH_FLAGS.test(word)) || Boolean(commandEnv.PYTHONSAFEPATH);
    return safePath ? { argv } : { argv, firstPathEntry: cwd };
  }
  const [script] = prefix;
  if (prefix.length !== 1 || !script || !/^py\.?test$/.test(basename(script))) return undefined;
  const path = await findExecutable(script, cwd, commandEnv.PATH ?? process.env.PATH ?? "");
  if (!path) return undefined;
  const interpreter = shebangInterpreter(await fileHead(path));
  if (!interpreter) return undefined;
  return { argv: interpreter, firstPathEntry: dirname(await realpath(path)) };
}

async function findExecutable(command: string, cwd: string, searchPath: string): Promise<string | undefined> {
  const candidates = command.includes("/")
    ? [resolve(cwd, command)]
    : searchPath
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(resolve(cwd, dir), command));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here: try the next directory.
    }
  }
  return undefined;
}

async function fileHead(path: string): Promise<string> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } catch {
    return "";
  } finally {
    await handle.close();
  }
}

function isPythonName(word: string): boolean {
  return /^python(\d+(\.\d+)*)?$/.test(basename(word));
}

/**
 * The interpreter of a script from its first lines: `#!/path/python [opts]`, `#!/usr/bin/env [-S] python3 [opts]`,
 * or pip's launcher for long paths (`#!/bin/sh` then `'''exec' "/path/python" "$0" "$@"`).
 */
export function shebangInterpreter(head: string): string[] | undefined {
  const [first = "", ...rest] = head.split("\n");
  if (!first.startsWith("#!")) return undefined;
  const words = first.slice(2).trim().split(/\s+/).filter(Boolean);
  const [program, ...args] = words;
  if (!program) return undefined;
  if (isPythonName(program) && isAbsolute(program)) return [program, ...args];
  if (basename(program) === "env") {
    const command = args.filter((word) => word !== "-S");
    return command[0] && isPythonName(command[0]) ? command : undefined;
  }
  if (basename(program) === "sh") {
    const launcher = rest.find((line) => line.startsWith("'''exec'"));
    const match = launcher?.match(/^'''exec' (?:"([^"]+)"|(\S+))/);
    const python = match?.[1] ?? match?.[2];
    return python && isPythonName(python) ? [python] : undefined;
  }
  return undefined;
}
