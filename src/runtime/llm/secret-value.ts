// Holds an API key so that printing, logging or serialising its holder never shows the key itself.
import { inspect } from "node:util";

const REDACTED = "[redacted]";

export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The key itself; call only where it is handed to an SDK. */
  reveal(): string {
    return this.#value;
  }

  /** `text` with every occurrence of the key replaced by `[redacted]`. */
  redact(text: string): string {
    return this.#value.length >= 4 ? text.split(this.#value).join(REDACTED) : text;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
