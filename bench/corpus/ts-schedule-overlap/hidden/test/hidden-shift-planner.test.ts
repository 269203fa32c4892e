import { describe, expect, it } from "vitest";
import { planShifts } from "../src/shift-planner.js";

describe("fair shares", () => {
  it("work is balanced and limits respected", () => {
    const ann = { name: "Ann", days: ["tue"], maxHours: 16 };
    const bob = { name: "Bob", days: ["tue"], maxHours: 4 };
    const plan = planShifts([ann, bob], [
      { day: "tue", hours: 4 },
      { day: "tue", hours: 4 },
      { day: "tue", hours: 4 },
    ]);
    expect(plan.map((a) => a.name)).toEqual(["Ann", "Bob", "Ann"]);
  });
});
