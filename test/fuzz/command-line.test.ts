// Fuzzes the command-line splitter and parser: a word list or a CommandLineError with a clear message, never a crash or a hang.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CommandLineError,
  parseCommandLine,
  ShellSyntaxError,
  splitCommandLine,
} from "../../src/core/command-line.js";

const SEED = 20_240_901;

/** Pieces that make command lines interesting: quotes, escapes, operators, expansions, assignments. */
const FRAGMENTS = [
  " ",
  "\t",
  "\n",
  "\r",
  "'",
  '"',
  "\\",
  "$",
  "$(",
  "${",
  "$HOME",
  "`",
  "|",
  "||",
  "&",
  "&&",
  ";",
  ">",
  ">>",
  "<",
  "(",
  ")",
  "=",
  "NAME=",
  "NODE_ENV=test",
  "npm",
  "test",
  "--",
  "-k",
  "pytest",
  "*.py",
  "~",
  "é",
  "😀",
  "\u0000",
  "a b",
];

const commandLike = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 4 })), { maxLength: 30 })
  .map((parts) => parts.join(""));

/** Quotes one argv word for a POSIX shell with single quotes. */
function singleQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

function expectClearCommandLineError(error: unknown, text: string): void {
  expect(error).toBeInstanceOf(CommandLineError);
  const message = (error as Error).message;
  expect(message.length).toBeGreaterThan(20);
  // The message quotes the offending command so the user can find it in the configuration.
  expect(message).toContain(text.trim().slice(0, 10));
  if (error instanceof ShellSyntaxError) {
    expect(message).toMatch(/shell syntax \(.+\)/);
    expect(message).toContain("without a shell");
  }
}

describe("fuzzing the command-line parser", () => {
  it("splitCommandLine returns words or throws CommandLineError with the command in the message, for any text", () => {
    fc.assert(
      fc.property(fc.oneof(commandLike, fc.string({ unit: "binary", maxLength: 60 })), (text) => {
        let words: string[] | undefined;
        try {
          words = splitCommandLine(text);
        } catch (error) {
          expectClearCommandLineError(error, text);
          return;
        }
        expect(Array.isArray(words)).toBe(true);
        for (const word of words) expect(typeof word).toBe("string");
      }),
      { seed: SEED, numRuns: 3_000 },
    );
  });

  it("parseCommandLine returns a program and its assignments, or throws CommandLineError, for any text", () => {
    fc.assert(
      fc.property(commandLike, (text) => {
        try {
          const parsed = parseCommandLine(text);
          expect(parsed.argv.length).toBeGreaterThan(0);
          for (const name of Object.keys(parsed.env)) expect(name).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
        } catch (error) {
          expectClearCommandLineError(error, text);
        }
      }),
      { seed: SEED + 1, numRuns: 3_000 },
    );
  });

  it("gives back any argv exactly after quoting every word with single quotes", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "grapheme", maxLength: 12 }), { maxLength: 8 }), (argv) => {
        expect(splitCommandLine(argv.map(singleQuote).join(" "))).toEqual(argv);
      }),
      { seed: SEED + 2, numRuns: 2_000 },
    );
  });

  it("gives back argv words that contain shell metacharacters once they are single-quoted", () => {
    const metacharacterWord = fc
      .array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 6 })
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(fc.array(metacharacterWord, { minLength: 1, maxLength: 6 }), (argv) => {
        const line = argv.map(singleQuote).join(" ");
        expect(splitCommandLine(line)).toEqual(argv);
        expect(parseCommandLine(`NODE_ENV=test ${line}`)).toEqual({ env: { NODE_ENV: "test" }, argv });
      }),
      { seed: SEED + 3, numRuns: 1_500 },
    );
  });

  it("refuses every shell operator outside quotes with ShellSyntaxError naming the operator", () => {
    const operators = [
      "|",
      "||",
      "&&",
      "&",
      ";",
      ">",
      ">>",
      "<",
      "$(id)",
      "`id`",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal shell text is the input under test
      "${HOME}",
      "$HOME",
      "(true)",
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...operators),
        fc.stringMatching(/^[a-z]{1,8}$/),
        fc.stringMatching(/^[a-z]{1,8}$/),
        (operator, left, right) => {
          const text = `${left} ${operator} ${right}`;
          expect(() => splitCommandLine(text)).toThrow(ShellSyntaxError);
        },
      ),
      { seed: SEED + 4, numRuns: 300 },
    );
  });

  it("splits a 200 000-character command line in well under a second (no quadratic blow-up)", () => {
    const words = Array.from({ length: 20_000 }, (_, index) => `'w${index}x'`).join(" ");
    const started = performance.now();
    expect(splitCommandLine(words)).toHaveLength(20_000);
    expect(() => splitCommandLine(`'${"a".repeat(200_000)}`)).toThrow(/unterminated single quote/);
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});
