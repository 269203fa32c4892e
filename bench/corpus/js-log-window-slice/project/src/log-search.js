// Searches build logs and returns matches with surrounding context lines, like grep -C.

export function findMatches(lines, pattern) {
  const regex = pattern instanceof RegExp ? pattern : new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const hits = [];
  lines.forEach((line, index) => {
    if (regex.test(line)) hits.push(index);
  });
  return hits;
}

export function contextWindow(lines, index, context = 2) {
  const start = Math.max(0, index - context);
  return lines.slice(start, index + context);
}

export function searchLog(text, pattern, context = 2) {
  const lines = text.split("\n");
  return findMatches(lines, pattern).map((index) => ({
    line: index + 1,
    text: lines[index],
    context: contextWindow(lines, index, context),
  }));
}

export function firstError(text) {
  const [match] = searchLog(text, /error/i, 0);
  return match ? `line ${match.line}: ${match.text.trim()}` : null;
}
