// Small, safe Markdown building blocks: escaped table cells and text, code spans and fences, details blocks, durations.

/** Escapes text for inline Markdown: HTML, pipes and @-mentions are neutralized, newlines become spaces. */
export function escapeText(text: string): string {
  return text
    .replace(/\r?\n/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .replace(/@(?=[A-Za-z0-9])/g, "@\u200b");
}

/** An inline code span that survives backticks inside `text` (pipes escaped for tables). */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r?\n/g, " ");
  const longestRun = Math.max(0, ...[...flat.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = "`".repeat(longestRun + 1);
  const padded = flat.startsWith("`") || flat.endsWith("`") ? ` ${flat} ` : flat;
  return `${fence}${padded.replace(/\|/g, "\\|")}${fence}`;
}

/** A fenced code block whose fence is longer than any backtick run in `body`. */
export function codeFence(body: string, language = ""): string {
  const longestRun = Math.max(0, ...[...body.matchAll(/`{3,}/g)].map((match) => match[0].length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  const trimmed = body.endsWith("\n") ? body.slice(0, -1) : body;
  return `${fence}${language}\n${trimmed}\n${fence}`;
}

/** A collapsible `<details>` block; `summary` is escaped, `body` is Markdown. */
export function details(summary: string, body: string, open = false): string {
  return `<details${open ? " open" : ""}>\n<summary>${escapeText(summary)}</summary>\n\n${body}\n\n</details>`;
}

/** A Markdown table; cells must already be escaped. */
export function table(headers: string[], rows: string[][]): string {
  const head = `| ${headers.join(" | ")} |`;
  const rule = `| ${headers.map(() => "---").join(" | ")} |`;
  const body = rows.map((row) => `| ${row.join(" | ")} |`);
  return [head, rule, ...body].join("\n");
}

/** Human duration: `850 ms`, `12.3 s`, `4 min 05 s`, `1 h 02 min`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 3600) {
    return `${Math.floor(totalSeconds / 60)} min ${String(totalSeconds % 60).padStart(2, "0")} s`;
  }
  const minutes = Math.round(totalSeconds / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** Cuts `text` to `max` characters, saying how much was left out. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max))}\n… (${text.length - max} more characters)`;
}

/** `1 test` / `2 tests`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** `[label](url)` for http(s) URLs only (parentheses and spaces encoded); plain escaped label otherwise. */
export function link(label: string, url: string): string {
  if (!/^https?:\/\/[^\s]+$/i.test(url)) return escapeText(label);
  return `[${escapeText(label)}](${url.replace(/\(/g, "%28").replace(/\)/g, "%29")})`;
}
