// Reads a local project's root file names and small root files for stack detection.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** The file source `detectStackFrom` reads, backed by a directory on disk. */
export function directoryFileSource(dir: string): {
  listRoot: () => Promise<string[]>;
  readFile: (path: string) => Promise<string | null>;
} {
  return {
    listRoot: async () =>
      (await readdir(dir, { withFileTypes: true })).map((entry) =>
        entry.isDirectory() ? `${entry.name}/` : entry.name,
      ),
    readFile: async (path) => {
      try {
        return await readFile(join(dir, path), "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
  };
}
