// The gate's tokenizer: comments vanish, strings are one token, interpolations are code, and a file prefix tells how a hunk starts.
import { describe, expect, it } from "vitest";
import { openConstructAfter, tokenize } from "../../src/core/gate/code-tokens.js";

const names = (lines: string[], language: "python" | "javascript") =>
  tokenize(lines, language)
    .filter((token) => token.kind === "name")
    .map((token) => token.value);

describe("tokenize", () => {
  it("drops comments and keeps string contents out of the names", () => {
    expect(names(["x = ast.literal_eval(s)  # not eval(s)", 'msg = "never exec() here"'], "python")).toEqual([
      "x",
      "ast",
      "literal_eval",
      "s",
      "msg",
    ]);
    expect(
      names(["/* eval(a) */ const y = 1; // Function('x')", "const r = /eval\\(/g;"], "javascript"),
    ).toEqual(["const", "y", "const", "r"]);
  });

  it("reads the code inside template and f-string interpolations", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the string is JavaScript source holding a template literal
    expect(names(["const s = `a ${eval(x)} b`;"], "javascript")).toContain("eval");
    expect(names(['s = f"{exec(x)}"'], "python")).toContain("exec");
    expect(names(['s = f"{{exec}}"'], "python")).not.toContain("exec");
  });

  it("joins Python's implicit concatenation into one computed string", () => {
    const strings = tokenize(['getattr(os, "sys" "tem")'], "python").filter(
      (token) => token.kind === "string",
    );
    expect(strings).toEqual([{ kind: "string", value: "system", line: 0, computed: true }]);
  });

  it("reads continuation lines and multi-line imports as one stream", () => {
    expect(names(["from os import \\", "    system as s"], "python")).toEqual([
      "from",
      "os",
      "import",
      "system",
      "as",
      "s",
    ]);
  });
});

describe("openConstructAfter", () => {
  it("names the string, template or comment a file prefix ends inside", () => {
    expect(openConstructAfter(["def f():", '    """Docs'], "python")).toBe('"""');
    expect(openConstructAfter(["x = f'''", "{a}"], "python")).toBe("f'''");
    expect(openConstructAfter(["const s = `line one"], "javascript")).toBe("`");
    expect(openConstructAfter(["/**", " * docs"], "javascript")).toBe("/*");
    expect(openConstructAfter(["const a = 1; // done"], "javascript")).toBe("");
  });
});
