import { describe, expect, it } from "vitest";
import { collect, map, parseInteger, parsePort, unwrapOr } from "../src/result.js";

describe("Result helpers", () => {
  it("parses integers", () => {
    expect(parseInteger(" 42 ")).toEqual({ ok: true, value: 42 });
    expect(parseInteger("4.2").ok).toBe(false);
  });

  it("ports must be in range", () => {
    expect(parsePort("70000")).toEqual({ ok: false, error: "port 70000 is out of range" });
  });

  it("unwrapOr falls back on errors", () => {
    expect(unwrapOr(parsePort("x"), 8080)).toBe(8080);
  });

  it("unwrapOr returns a successful value", () => {
    expect(unwrapOr(parsePort("3000"), 8080)).toBe(3000);
  });

  it("map transforms only successes", () => {
    expect(map(parseInteger("2"), (n) => n * 10)).toEqual({ ok: true, value: 20 });
  });
});
