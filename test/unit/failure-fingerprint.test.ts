import { describe, expect, it } from "vitest";
import { errorKind, failureClass } from "../../src/core/failure-fingerprint.js";

describe("failure fingerprints", () => {
  it("name the kind of error across languages", () => {
    expect(errorKind("AssertionError: expected 3 to equal 4")).toBe("assertion");
    expect(errorKind("TypeError: Cannot read properties of undefined (reading 'x')")).toBe("null_access");
    expect(errorKind("AttributeError: 'NoneType' object has no attribute 'x'")).toBe("null_access");
    expect(errorKind("ZeroDivisionError: division by zero")).toBe("zerodivisionerror");
    expect(errorKind("IndexError: list index out of range")).toBe("indexerror");
    expect(errorKind("test did not finish within 5 s")).toBe("timeout");
    expect(errorKind(undefined)).toBe("unknown");
  });

  it("pick the most common kind among failing tests as the class", () => {
    const failing = [
      { id: "a", name: "a", status: "failed" as const, frames: [], message: "AssertionError: 1 != 2" },
      { id: "b", name: "b", status: "failed" as const, frames: [], message: "AssertionError: x" },
      { id: "c", name: "c", status: "failed" as const, frames: [], message: "KeyError: 'k'" },
    ];
    expect(failureClass("python", failing)).toBe("python:assertion");
  });
});
