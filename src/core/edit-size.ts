// Measures how big a patch really is in characters, so the most local of several plausible patches can be preferred.
import { parseUnifiedDiff } from "./diff.js";

function changedCharacters(removed: string, added: string): number {
  let prefix = 0;
  const shorter = Math.min(removed.length, added.length);
  while (prefix < shorter && removed[prefix] === added[prefix]) prefix += 1;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    removed[removed.length - 1 - suffix] === added[added.length - 1 - suffix]
  ) {
    suffix += 1;
  }
  return Math.max(removed.length - prefix - suffix, added.length - prefix - suffix);
}

/** Characters changed per run of removed/added lines, summed over every hunk (whitespace-only changes count too). */
export function editSize(diff: string): number {
  let total = 0;
  for (const patch of parseUnifiedDiff(diff)) {
    for (const hunk of patch.hunks) {
      let removed: string[] = [];
      let added: string[] = [];
      const flush = () => {
        if (removed.length || added.length) total += changedCharacters(removed.join("\n"), added.join("\n"));
        removed = [];
        added = [];
      };
      for (const line of hunk.lines) {
        if (line.startsWith("-")) removed.push(line.slice(1));
        else if (line.startsWith("+")) added.push(line.slice(1));
        else flush();
      }
      flush();
    }
  }
  return total;
}
