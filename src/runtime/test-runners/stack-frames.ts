// Parses V8 stack lines and Python tracebacks into stack frames (innermost first) with paths relative to the project root.
import { isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { StackFrame } from "../../core/types.js";

/** Frames kept per test; deeper frames are runner internals. */
export const MAX_FRAMES = 30;

/** A path relative to `root` (with `/`) when inside it, absolute otherwise; `file://` URLs are converted. */
export function projectRelativePath(file: string, root: string): string {
  let path = file;
  if (path.startsWith("file://")) {
    try {
      path = fileURLToPath(path);
    } catch {
      return file;
    }
  }
  const absolute = isAbsolute(path) ? path : resolve(root, path);
  const inside = relative(root, absolute);
  if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) return absolute;
  return inside.split(sep).join("/");
}

const V8_WITH_FUNCTION = /^\s*at (?:async )?(.*?) \((.+?):(\d+):(\d+)\)\s*$/;
const V8_BARE = /^\s*at (?:async )?(.+?):(\d+):(\d+)\s*$/;

function cleanFunctionName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const trimmed = name.replace(/^new /, "").replace(/ \[as [^\]]+\]$/, "");
  if (trimmed === "" || trimmed.includes("<anonymous>")) return undefined;
  return trimmed;
}

function isInternal(file: string): boolean {
  return (
    file.startsWith("node:") || file === "<anonymous>" || file === "native" || file.startsWith("internal/")
  );
}

/** Frames from V8 stack text (`at fn (file:line:col)` / `at file:line:col`), innermost first as printed. */
export function parseV8Stack(text: string, root: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of text.split("\n")) {
    let functionName: string | undefined;
    let file: string | undefined;
    let lineNumber: string | undefined;
    let column: string | undefined;
    const withFunction = V8_WITH_FUNCTION.exec(line);
    if (withFunction) {
      [, functionName, file, lineNumber, column] = withFunction;
    } else {
      const bare = V8_BARE.exec(line);
      if (!bare) continue;
      [, file, lineNumber, column] = bare;
    }
    if (!file || isInternal(file)) continue;
    const frame: StackFrame = {
      file: projectRelativePath(file, root),
      line: Number(lineNumber),
      column: Number(column),
    };
    const name = cleanFunctionName(functionName);
    if (name) frame.functionName = name;
    frames.push(frame);
    if (frames.length >= MAX_FRAMES) break;
  }
  return frames;
}

const PYTHON_NATIVE = /^\s*File "(.+?)", line (\d+)(?:, in (.+))?\s*$/;
const PYTEST_LOCATION = /^([^\s:][^:\n]*\.py):(\d+):(?: in (\S+)| .*)?$/;

/**
 * Frames from a Python traceback, innermost first: the native `File "x", line N, in f` form and pytest's
 * `path.py:N: in f` / `path.py:N: Error` location lines. Printed tracebacks are outermost first, so they are reversed.
 */
export function parsePythonTraceback(text: string, root: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of text.split("\n")) {
    const match = PYTHON_NATIVE.exec(line) ?? PYTEST_LOCATION.exec(line);
    if (!match?.[1]) continue;
    const frame: StackFrame = { file: projectRelativePath(match[1], root), line: Number(match[2]) };
    const name = match[3]?.trim();
    if (name && name !== "<module>") frame.functionName = name;
    frames.push(frame);
  }
  return frames.reverse().slice(0, MAX_FRAMES);
}
