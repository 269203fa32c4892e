// Unzips a repair artifact archive (as GitHub's REST download returns it) into memory, with size and entry-count limits.
import { unzipSync } from "fflate";
import { ArtifactRejectedError } from "./errors.js";

export const MAX_ARCHIVE_BYTES = 8 * 1024 * 1024;
export const MAX_ENTRIES = 16;
/** Sum of the uncompressed sizes: the patch (1 MiB) and report (4 MiB) limits plus room for the digest. */
export const MAX_UNCOMPRESSED_BYTES = 6 * 1024 * 1024;

/** Unzips an artifact archive into files, with size/entry-count limits (a declared size is checked before inflating). */
export function unzipArtifact(zip: Buffer): Map<string, Buffer> {
  if (zip.length > MAX_ARCHIVE_BYTES)
    throw new ArtifactRejectedError(`the archive is ${zip.length} bytes (limit ${MAX_ARCHIVE_BYTES})`);
  let entries = 0;
  let declared = 0;
  let problem: string | null = null;
  let inflated: Record<string, Uint8Array>;
  try {
    inflated = unzipSync(new Uint8Array(zip.buffer, zip.byteOffset, zip.length), {
      filter: (entry) => {
        entries += 1;
        declared += entry.originalSize;
        if (entries > MAX_ENTRIES) problem ??= `more than ${MAX_ENTRIES} entries`;
        else if (declared > MAX_UNCOMPRESSED_BYTES)
          problem ??= `more than ${MAX_UNCOMPRESSED_BYTES} bytes uncompressed`;
        else if (!/^[A-Za-z0-9._-]+$/.test(entry.name))
          problem ??= `entry ${JSON.stringify(entry.name.slice(0, 100))} is not a plain file name`;
        return problem === null;
      },
    });
  } catch (error) {
    throw new ArtifactRejectedError(`the archive is not a readable zip: ${(error as Error).message}`);
  }
  if (problem) throw new ArtifactRejectedError(`the archive has ${problem}`);
  const files = new Map<string, Buffer>();
  let total = 0;
  for (const [name, bytes] of Object.entries(inflated)) {
    total += bytes.length;
    // The declared size is the archive's claim; the inflated size is what counts.
    if (total > MAX_UNCOMPRESSED_BYTES)
      throw new ArtifactRejectedError(`the archive inflates past ${MAX_UNCOMPRESSED_BYTES} bytes`);
    files.set(name, Buffer.from(bytes));
  }
  return files;
}
