// Asks git what a diff would do to a real tree (`git apply --numstat --summary -z`) and compares it with what the gate judged.
import { type FilePatch, parseUnifiedDiff } from "../core/diff.js";
import { git } from "./git.js";

/** What git reports it would do with a diff, file by file. */
export interface GitApplyEffects {
  /** Every path git would write, create or delete (new names of renames and copies included). */
  touched: string[];
  /** Paths git reads as binary (`-` counts in --numstat). */
  binary: string[];
  created: Array<{ path: string; mode: string }>;
  deleted: string[];
  renamed: Array<{ from: string; to: string }>;
  copied: Array<{ from: string; to: string }>;
  modeChanged: Array<{ path: string; from: string; to: string }>;
}

/** Thrown when git refuses the diff outright (it does not apply to the tree, or git cannot read it). */
export class GitApplyCheckError extends Error {
  constructor(message: string) {
    super(`git cannot apply the patch: ${message.trim() || "no message"}`);
    this.name = "GitApplyCheckError";
  }
}

/** Expands git's compact rename form `src/{a.js => b.js}` or `a => b` into both names. */
export function expandRenamePair(text: string): { from: string; to: string } | null {
  const braces = /^(.*)\{(.*) => (.*)\}(.*)$/.exec(text);
  if (braces) {
    const [, prefix = "", from = "", to = "", suffix = ""] = braces;
    const join = (middle: string) => `${prefix}${middle}${suffix}`.replace(/\/\//g, "/");
    return { from: join(from), to: join(to) };
  }
  const plain = /^(.*) => (.*)$/.exec(text);
  return plain ? { from: plain[1] ?? "", to: plain[2] ?? "" } : null;
}

/** Parses `--numstat -z` records (NUL-terminated) followed by `--summary` lines (newline-terminated). */
export function parseApplyReport(stdout: string): GitApplyEffects {
  const effects: GitApplyEffects = {
    touched: [],
    binary: [],
    created: [],
    deleted: [],
    renamed: [],
    copied: [],
    modeChanged: [],
  };
  const lastNul = stdout.lastIndexOf("\0");
  const numstat = lastNul < 0 ? "" : stdout.slice(0, lastNul);
  const summary = lastNul < 0 ? stdout : stdout.slice(lastNul + 1);
  for (const record of numstat.split("\0")) {
    if (record === "") continue;
    const match = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(record);
    if (!match) continue;
    const path = match[3] ?? "";
    effects.touched.push(path);
    if (match[1] === "-" && match[2] === "-") effects.binary.push(path);
  }
  for (const raw of summary.split("\n")) {
    const line = raw.trim();
    let match = /^create mode (\d{6}) (.*)$/.exec(line);
    if (match) {
      effects.created.push({ mode: match[1] ?? "", path: match[2] ?? "" });
      continue;
    }
    match = /^delete mode \d{6} (.*)$/.exec(line);
    if (match) {
      effects.deleted.push(match[1] ?? "");
      continue;
    }
    match = /^(rename|copy) (.*) \(\d+%\)$/.exec(line);
    if (match) {
      const pair = expandRenamePair(match[2] ?? "");
      if (pair) (match[1] === "rename" ? effects.renamed : effects.copied).push(pair);
      continue;
    }
    match = /^mode change (\d{6}) => (\d{6}) (.*)$/.exec(line);
    if (match) effects.modeChanged.push({ from: match[1] ?? "", to: match[2] ?? "", path: match[3] ?? "" });
  }
  return effects;
}

/** What git would do with `diff` applied at `-p1` to the tree in `dir` (nothing is written). */
export async function gitApplyEffects(diff: string, dir: string): Promise<GitApplyEffects> {
  const input = diff.endsWith("\n") ? diff : `${diff}\n`;
  // --check makes git refuse a patch that does not apply; --numstat and --summary still report what it would do.
  const result = await git(
    ["apply", "--check", "--numstat", "--summary", "-z", "-p1", "--whitespace=nowarn", "-"],
    dir,
    { input, check: false },
  );
  if (result.exitCode !== 0) throw new GitApplyCheckError(result.stderr || result.startError || "");
  return parseApplyReport(result.stdout);
}

function gatedNames(patches: readonly FilePatch[]): Set<string> {
  const names = new Set<string>();
  for (const patch of patches) {
    if (patch.oldPath !== null) names.add(patch.oldPath);
    if (patch.newPath !== null) names.add(patch.newPath);
  }
  return names;
}

/**
 * Why git's report disagrees with the gate's reading of the same diff, or null when git touches exactly the files
 * the gate judged, with no rename, copy, mode change or binary content the gate did not see.
 */
export function effectsDisagreement(diff: string, effects: GitApplyEffects): string | null {
  let patches: FilePatch[];
  try {
    patches = parseUnifiedDiff(diff);
  } catch (error) {
    return `the gate cannot read the diff git accepts: ${(error as Error).message}`;
  }
  const names = gatedNames(patches);
  for (const path of effects.touched) {
    if (!names.has(path)) return `git would write ${JSON.stringify(path)}, a path the gate did not judge`;
  }
  for (const { from, to } of [...effects.renamed, ...effects.copied]) {
    if (!names.has(from) || !names.has(to))
      return `git would rename or copy ${from} to ${to}, which the gate did not see`;
  }
  for (const path of effects.binary) {
    const patch = patches.find((candidate) => candidate.newPath === path || candidate.oldPath === path);
    if (!patch?.isBinary) return `git reads ${path} as binary, the gate as text`;
  }
  for (const change of effects.modeChanged) {
    const patch = patches.find((candidate) => candidate.newPath === change.path);
    if (patch?.newMode !== change.to) return `git would change the mode of ${change.path} to ${change.to}`;
  }
  for (const created of effects.created) {
    const patch = patches.find((candidate) => candidate.newPath === created.path);
    if (!patch?.isNew) return `git would create ${created.path}, which the gate read as an edit`;
    if ((patch.newMode ?? "100644") !== created.mode)
      return `git would create ${created.path} with mode ${created.mode}`;
  }
  for (const path of effects.deleted) {
    const patch = patches.find((candidate) => candidate.oldPath === path);
    if (!patch?.isDeleted) return `git would delete ${path}, which the gate read as an edit`;
  }
  return null;
}
