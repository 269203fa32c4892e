// Fuzzes the `.github/rfsn.yml` parser: a configuration or a ConfigError naming the file and a line ≥ 1, never another crash.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ConfigError, parseRepositoryConfig } from "../../src/core/config/parse.js";
import { SECTION_KEYS } from "../../src/core/config/schema.js";

const SEED = 4_242;
const FILE = ".github/rfsn.yml";

const KEYS = [...new Set(Object.values(SECTION_KEYS).flat()), "api_key", "token", "unknwon", "<<"];
const SCALARS = [
  "true",
  "false",
  "null",
  "~",
  "0",
  "-1",
  "3",
  "2.5",
  "1e309",
  "0x1F",
  ".inf",
  "'quoted'",
  '"dq\\n"',
  "npm test",
  "sk-abcdefghijklmnopqrstuvwxyz",
  "ghp_abcdefghijklmnopqrstuvwxyz0123",
  "[main, 'release/*']",
  "{a: 1}",
  "!!binary aGVsbG8=",
  "!!str 5",
  "&anchor 5",
  "*anchor",
  "*missing",
  "|",
  ">-",
  "",
];
/** Noise lines; aliases (resolved and unresolved) come in through SCALARS. */
const LINE_NOISE = [
  "---",
  "...",
  "- ",
  "  - x",
  "#",
  "# comment",
  "%YAML 1.2",
  "%TAG ! tag:x:",
  "\t",
  "? ",
  ": ",
  "{",
  "}",
  "[",
  "]",
  ",",
  "'",
  '"',
  "&",
  "*",
  "!",
  "@",
  "`",
];

/** One YAML-ish line: `indent key: value`, a list item, or noise. */
const yamlishLine = fc.oneof(
  fc
    .tuple(fc.constantFrom("", "  ", "    ", "\t"), fc.constantFrom(...KEYS), fc.constantFrom(...SCALARS))
    .map(([indent, key, value]) => `${indent}${key}: ${value}`),
  fc
    .tuple(fc.constantFrom("  ", "    "), fc.constantFrom(...SCALARS))
    .map(([indent, value]) => `${indent}- ${value}`),
  fc.constantFrom(...LINE_NOISE),
  fc.string({ maxLength: 12 }),
);
const yamlishText = fc
  .tuple(fc.array(yamlishLine, { maxLength: 25 }), fc.constantFrom("\n", "\r\n"))
  .map(([lines, eol]) => lines.join(eol));

function expectConfigOrClearError(text: string): void {
  try {
    const config = parseRepositoryConfig(text, FILE);
    expect(typeof config).toBe("object");
    expect(config).not.toBeNull();
  } catch (error) {
    if (!(error instanceof ConfigError)) {
      throw new Error(
        `parseRepositoryConfig threw ${(error as Error)?.name}: ${(error as Error)?.message} for ${JSON.stringify(text)}`,
      );
    }
    expect(error.file).toBe(FILE);
    expect(error.message.startsWith(`${FILE} `)).toBe(true);
    expect(error.message).toMatch(/line [1-9]\d*/);
    expect(error.line).toBeGreaterThanOrEqual(1);
    expect(error.problems.length).toBeGreaterThan(0);
    for (const problem of error.problems) {
      expect(problem.line).toBeGreaterThanOrEqual(1);
      expect(problem.column).toBeGreaterThanOrEqual(1);
      expect(problem.message.length).toBeGreaterThan(5);
    }
  }
}

describe("fuzzing the configuration parser", () => {
  it("returns a configuration or a located ConfigError for random YAML-ish text", () => {
    fc.assert(fc.property(yamlishText, expectConfigOrClearError), { seed: SEED, numRuns: 1_500 });
  });

  it("returns a configuration or a located ConfigError for arbitrary unicode text", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), expectConfigOrClearError), {
      seed: SEED + 1,
      numRuns: 1_500,
    });
  });

  it("returns a configuration or a located ConfigError for random objects dumped with the yaml package", () => {
    const value = fc.oneof(
      fc.constantFrom(
        0,
        1,
        -1,
        3.5,
        true,
        false,
        null,
        "",
        "x",
        "npm test",
        "*.sql",
        "sk-abcdefghijklmnopqrstuvwxyz",
      ),
      fc.string({ maxLength: 8 }),
      fc.integer(),
      fc.double(),
    );
    const section = fc.dictionary(
      fc.constantFrom(...KEYS),
      fc.oneof(value, fc.array(value, { maxLength: 3 })),
      {
        maxKeys: 6,
      },
    );
    const config = fc.dictionary(
      fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 6 })),
      fc.oneof(value, section, fc.array(value, { maxLength: 3 })),
      { maxKeys: 8 },
    );
    fc.assert(
      fc.property(fc.oneof(config, fc.jsonValue({ maxDepth: 3 })), (object) => {
        expectConfigOrClearError(stringify(object));
      }),
      { seed: SEED + 2, numRuns: 1_500 },
    );
  });

  it("never echoes a credential-shaped value in a schema problem", () => {
    const value = fc.constantFrom("sk-abcdefghijklmnopqrstuvwxyz", "ghp_abcdefghijklmnopqrstuvwxyz0123");
    fc.assert(
      fc.property(fc.constantFrom(...KEYS), value, (key, secret) => {
        try {
          parseRepositoryConfig(`${key}: ${secret}\nlimits:\n  max_iterations: ${secret}\n`, FILE);
        } catch (error) {
          expect((error as Error).message).not.toContain(secret);
        }
      }),
      { seed: SEED + 3, numRuns: 100 },
    );
  });

  // Was a bug: YAML syntax errors quote the offending token verbatim; ConfigError now masks credential shapes in
  // every problem message (check runs and comments show these messages).
  it("never echoes a credential-shaped value in a YAML syntax error", () => {
    const text = "  - true\n: \n  - sk-abcdefghijklmnopqrstuvwxyz";
    expect(() => parseRepositoryConfig(text, FILE)).toThrow(ConfigError);
    expect(() => parseRepositoryConfig(text, FILE)).not.toThrow(/sk-abcdefghijklmnopqrstuvwxyz/);
  });

  // Was a bug: document.toJS() throws the yaml package's ReferenceError for an alias bomb; it is now a ConfigError.
  it("reports an alias bomb (billion laughs) as a ConfigError instead of a ReferenceError", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let level = 1; level < 9; level += 1) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(", ")}]`);
    }
    expect(() => parseRepositoryConfig(levels.join("\n"), FILE)).toThrow(ConfigError);
  });

  // Was a bug, same cause: an alias to an undefined anchor (`auto_repair: *missing`) threw ReferenceError.
  it("reports an alias to an undefined anchor as a ConfigError on its line", () => {
    expect(() => parseRepositoryConfig("enabled: true\nauto_repair: *missing\n", FILE)).toThrow(/line 2/);
    expect(() => parseRepositoryConfig("enabled: true\nauto_repair: *missing\n", FILE)).toThrow(
      /\*missing refers to an anchor/,
    );
  });

  it("refuses an alias bomb quickly without expanding it", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let level = 1; level < 9; level += 1) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(", ")}]`);
    }
    const started = performance.now();
    expect(() => parseRepositoryConfig(levels.join("\n"), FILE)).toThrow();
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("reports a deeply nested document as a ConfigError without overflowing the stack", () => {
    const depth = 5_000;
    const text = `limits: ${"[".repeat(depth)}${"]".repeat(depth)}`;
    expectConfigOrClearError(text);
    expect(() => parseRepositoryConfig(text, FILE)).toThrow(ConfigError);
  });
});
