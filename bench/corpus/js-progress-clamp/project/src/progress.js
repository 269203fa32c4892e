// Progress reporting for long-running import jobs: percentages, rates and time estimates.

export function percent(done, total) {
  if (total <= 0) return 100;
  return Math.min(100, Math.round((done / total) * 100));
}

export function ratePerSecond(done, elapsedMs) {
  if (elapsedMs <= 0) return 0;
  return done / (elapsedMs / 1000);
}

export function secondsLeft(done, total, elapsedMs) {
  const rate = ratePerSecond(done, elapsedMs);
  if (rate === 0) return null;
  return Math.ceil((total - done) / rate);
}

export function formatSeconds(seconds) {
  if (seconds === null) return "estimating…";
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return minutes > 0 ? `${minutes}m ${rest}s` : `${rest}s`;
}

export function progressLine(job) {
  const left = secondsLeft(job.done, job.total, job.elapsedMs);
  return `${job.name}: ${percent(job.done, job.total)}% (${formatSeconds(left)} left)`;
}
