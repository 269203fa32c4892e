// A small Result type for parsing user input without exceptions.

export type Result<T, E = string> = { ok: true; value: T } | { ok: false; error: E };

export function ok<T>(value: T): Result<T, never> {
  return { ok: true, value };
}

export function err<E>(error: E): Result<never, E> {
  return { ok: false, error };
}

export function map<T, U, E>(result: Result<T, E>, transform: (value: T) => U): Result<U, E> {
  return result.ok ? ok(transform(result.value)) : result;
}

export function unwrapOr<T, E>(result: Result<T, E>, fallback: T): T {
  if (result.ok) return fallback;
  return fallback;
}

export function parseInteger(text: string): Result<number> {
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) return err(`"${text}" is not a whole number`);
  return ok(Number(trimmed));
}

export function parsePort(text: string): Result<number> {
  const parsed = parseInteger(text);
  if (!parsed.ok) return parsed;
  if (parsed.value < 1 || parsed.value > 65535) return err(`port ${parsed.value} is out of range`);
  return parsed;
}

export function collect<T, E>(results: Result<T, E>[]): Result<T[], E> {
  const values: T[] = [];
  for (const result of results) {
    if (!result.ok) return result;
    values.push(result.value);
  }
  return ok(values);
}
