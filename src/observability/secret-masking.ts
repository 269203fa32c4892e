// Masks secret-looking substrings (GitHub tokens, API keys, private keys, bearer credentials) in text and nested data.

export const MASK = "[REDACTED]";

interface SecretPattern {
  pattern: RegExp;
  /** Builds the replacement from the match's capture groups (default: the mask alone). */
  keep?: (groups: string[]) => string;
}

/** Patterns of secrets that can appear inside free text. Order matters: the widest first. */
const SECRET_PATTERNS: readonly SecretPattern[] = [
  { pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g },
  { pattern: /\bgithub_pat_[A-Za-z0-9_]{20,}/g },
  { pattern: /\bgh[opsuvr]_[A-Za-z0-9]{20,}/g },
  { pattern: /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}/g },
  { pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { pattern: /\bAKIA[0-9A-Z]{16}\b/g },
  {
    // a credential after an auth scheme: long and containing a digit, so prose like "token expired" stays
    pattern: /\b(Bearer|token|Basic)\s+(?=[A-Za-z0-9._~+/=-]*\d)[A-Za-z0-9._~+/=-]{12,}/gi,
    keep: ([scheme]) => `${scheme} ${MASK}`,
  },
  { pattern: /(:\/\/[^/\s:@]+:)[^@\s/]+@/g, keep: ([userPart]) => `${userPart}${MASK}@` },
];

/** Key names whose string values are secrets whatever they look like (`githubToken`, `API_KEY`, `set-cookie`). */
const SECRET_KEY =
  /(token|secret|password|passwd|api[-_]?key|access[-_]?key|private[-_]?key|authorization|cookie|credentials?)$/i;

/**
 * Environment-variable names (UPPER_SNAKE) that carry credentials. At least as strict as `isSecretVariableName` in
 * src/runtime/environment.ts (which observability may not import): `*_KEY`, `*_PAT`, `ACTIONS_*`, `INPUT_*`, and any
 * name containing SECRET, PASSWORD, API_KEY, PRIVATE_KEY or CREDENTIAL, e.g. `AWS_SECRET_ACCESS_KEY`.
 */
const SECRET_ENV_NAME =
  /^(?:TOKEN|PASSWORD|SECRET|ACTIONS_.*|INPUT_.*|PRIVATE_KEY.*|.*_(?:TOKEN|KEY|SECRET|PASSWORD|PASSWD|PAT|CREDENTIALS)|.*(?:API_?KEY|SECRET|PASSWORD|PRIVATE_KEY|CREDENTIAL).*)$/;
const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

/** Replaces every secret-looking substring of `text` with `[REDACTED]`. */
export function maskSecrets(text: string): string {
  let masked = text;
  for (const { pattern, keep } of SECRET_PATTERNS) {
    masked = masked.replace(pattern, (...args: unknown[]) => {
      if (!keep) return MASK;
      const groups = args.slice(1).filter((arg): arg is string => typeof arg === "string");
      return keep(groups);
    });
  }
  return masked;
}

/** True when a key name says its value is a secret (`githubToken`, `apiKey`, `Authorization`, …). */
export function isSecretKey(key: string): boolean {
  if (SECRET_KEY.test(key)) return true;
  return ENV_NAME.test(key) && SECRET_ENV_NAME.test(key);
}

/**
 * A copy of `value` where strings are masked and string values under secret-named keys are replaced.
 * Errors stay errors (same prototype, masked message, stack and properties). Cycles become `[Circular]`.
 */
export function maskSecretsDeep(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === "string") return maskSecrets(value);
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[Circular]";
  seen.add(value);
  if (value instanceof Error) return maskedError(value, seen);
  if (Array.isArray(value)) return value.map((item) => maskSecretsDeep(item, seen));
  if (value instanceof Date) return value;
  const masked: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    masked[key] = isSecretKey(key) && typeof inner === "string" ? MASK : maskSecretsDeep(inner, seen);
  }
  return masked;
}

/** An Error of the same prototype whose message, stack and own properties are masked (message stays enumerable for JSON). */
export function maskedError(error: Error, seen: WeakSet<object> = new WeakSet([error])): Error {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  for (const key of Object.getOwnPropertyNames(error)) {
    const inner: unknown = (error as unknown as Record<string, unknown>)[key];
    const masked = isSecretKey(key) && typeof inner === "string" ? MASK : maskSecretsDeep(inner, seen);
    Object.defineProperty(copy, key, {
      value: masked,
      enumerable: key !== "stack",
      writable: true,
      configurable: true,
    });
  }
  return copy;
}
