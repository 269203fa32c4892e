import { describe, expect, it } from "vitest";
import { novelTokens } from "../../src/repair/session.js";

const diff = (removed: string, added: string) =>
  `--- a/f.py\n+++ b/f.py\n@@ -1,2 +1,2 @@\n def f(items, start):\n-${removed}\n+${added}\n`;

describe("how natural a plausible patch reads", () => {
  it("counts nothing new when the patch reuses the hunk's own names", () => {
    expect(novelTokens(diff("    seen = set()", "    seen = {start}"))).toBe(0);
    expect(novelTokens(diff("    return len(items) - 1", "    return len(items)"))).toBe(0);
  });

  it("counts the literals and names a patch brings in", () => {
    expect(novelTokens(diff("    return items[0]", "    return items[0] * 1.07"))).toBe(1);
    expect(novelTokens(diff('    key = "a"', '    key = "zz" + suffix'))).toBe(2);
  });
});
