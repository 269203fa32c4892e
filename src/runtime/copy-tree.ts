// Copies a directory tree for a snapshot: files with their modes, symbolic links as links, chosen names left out.
import { copyFile, mkdir, readdir, readlink, symlink } from "node:fs/promises";
import { join } from "node:path";

/**
 * Copies `from` into `to` (made when missing). Files keep their mode, symbolic links are copied as links (never
 * followed), entries named in `skip` (at any depth) and entries that are neither (sockets, FIFOs, devices) are left
 * out. Several times faster than `fs.cp` on the many small files source trees hold.
 */
export async function copyTree(from: string, to: string, skip: ReadonlySet<string>): Promise<void> {
  await mkdir(to, { recursive: true });
  const entries = await readdir(from, { withFileTypes: true });
  await Promise.all(
    entries.map(async (entry) => {
      if (skip.has(entry.name)) return;
      const source = join(from, entry.name);
      const target = join(to, entry.name);
      if (entry.isDirectory()) await copyTree(source, target, skip);
      else if (entry.isSymbolicLink()) await symlink(await readlink(source), target);
      else if (entry.isFile()) await copyFile(source, target);
    }),
  );
}
