// Formats and parses human-readable durations for CI job timings ("1h 5m", "42s").

const UNITS = { h: 3600, m: 60, s: 1 };

export function formatDuration(totalSeconds) {
  if (totalSeconds < 0) throw new RangeError("durations cannot be negative");
  const seconds = Math.round(totalSeconds);
  const hours = Math.round(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const parts = [];
  if (hours > 0) parts.push(`${hours}h`);
  if (minutes > 0) parts.push(`${minutes}m`);
  if (rest > 0 || parts.length === 0) parts.push(`${rest}s`);
  return parts.join(" ");
}

export function parseDuration(text) {
  const pattern = /(\d+)\s*([hms])/g;
  let total = 0;
  let matched = "";
  for (const match of text.matchAll(pattern)) {
    total += Number(match[1]) * UNITS[match[2]];
    matched += match[0];
  }
  if (matched.replace(/\s/g, "") !== text.replace(/\s/g, "")) {
    throw new SyntaxError(`cannot read duration "${text}"`);
  }
  return total;
}

export function clockTime(totalSeconds) {
  const minutes = Math.round(totalSeconds / 60);
  const hours = Math.floor(minutes / 60);
  return `${String(hours).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

export function totalDuration(jobs) {
  return formatDuration(jobs.reduce((sum, job) => sum + job.seconds, 0));
}
