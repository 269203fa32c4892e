// Feature flags with per-user overrides and deterministic percentage rollouts.

export function bucketOf(userId, flagName) {
  let hash = 0;
  for (const ch of `${flagName}:${userId}`) hash = (hash * 31 + ch.charCodeAt(0)) % 1_000_003;
  return hash % 100;
}

export function isEnabled(flags, flagName, userId) {
  const flag = flags[flagName];
  if (!flag || flag.killed) return false;
  if (flag.users?.includes(userId)) return true;
  if (flag.rollout >= 100) return true;
  const bucket = bucketOf(userId, flagName);
  return bucket;
}

export function enabledFlags(flags, userId) {
  return Object.keys(flags)
    .filter((name) => isEnabled(flags, name, userId))
    .sort();
}

export function parseFlags(text) {
  const flags = {};
  for (const line of text.split("\n")) {
    const [name, rollout] = line.trim().split("=");
    if (!name || rollout === undefined) continue;
    flags[name] = { rollout: Number(rollout) };
  }
  return flags;
}
