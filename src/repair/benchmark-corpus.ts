// Reads a benchmark corpus: one folder per bug with bug.json, the buggy project, the known fix and hidden tests.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Language } from "../core/types.js";

export interface CorpusBug {
  id: string;
  language: Language;
  description: string;
  defectClass: string;
  locations: number;
  testCommand: string;
  dir: string;
  projectDir: string;
  hiddenDir: string;
}

export class CorpusError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CorpusError";
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export async function loadCorpus(corpusDir: string, onlyIds?: readonly string[]): Promise<CorpusBug[]> {
  if (!(await isDirectory(corpusDir))) throw new CorpusError(`${corpusDir} is not a directory`);
  const entries = (await readdir(corpusDir)).sort();
  const bugs: CorpusBug[] = [];
  for (const entry of entries) {
    if (onlyIds && !onlyIds.includes(entry)) continue;
    const dir = join(corpusDir, entry);
    let meta: Partial<CorpusBug>;
    try {
      meta = JSON.parse(await readFile(join(dir, "bug.json"), "utf8")) as Partial<CorpusBug>;
    } catch {
      continue;
    }
    if (!meta.id || !meta.language || !meta.testCommand)
      throw new CorpusError(`${dir}/bug.json needs id, language and testCommand`);
    bugs.push({
      id: meta.id,
      language: meta.language,
      description: meta.description ?? "",
      defectClass: meta.defectClass ?? "unknown",
      locations: meta.locations ?? 1,
      testCommand: meta.testCommand,
      dir,
      projectDir: join(dir, "project"),
      hiddenDir: join(dir, "hidden"),
    });
  }
  return bugs;
}
