// Minimal semantic-version parsing and ordering for the plugin update checker.

export class VersionError extends Error {
  constructor(text) {
    super(`"${text}" is not a version like 1.2.3`);
    this.name = "VersionError";
  }
}

export function parseVersion(text) {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/.exec(String(text).trim());
  if (!match) throw new VersionError(text);
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    prerelease: match[4] ?? null,
  };
}

export function compareVersions(left, right) {
  const a = parseVersion(left);
  const b = parseVersion(right);
  for (const part of ["major", "minor", "patch"]) {
    if (a[part] !== b[part]) return b[part] - a[part];
  }
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === null) return 1;
  if (b.prerelease === null) return -1;
  return a.prerelease < b.prerelease ? -1 : 1;
}

export function isNewer(candidate, current) {
  return compareVersions(candidate, current) > 0;
}

export function latest(versions) {
  return [...versions].sort(compareVersions).at(-1) ?? null;
}
