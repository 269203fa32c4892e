import { describe, expect, it } from "vitest";
import { isAvailable, planShifts, uncovered } from "../src/shift-planner.js";

const ann = { name: "Ann", days: ["mon", "tue"], maxHours: 16 };
const bob = { name: "Bob", days: ["tue", "wed"], maxHours: 8 };

describe("shift planning", () => {
  it("availability is by day", () => {
    expect(isAvailable(ann, "mon")).toBe(true);
    expect(isAvailable(ann, "wed")).toBe(false);
  });

  it("only available people are scheduled", () => {
    const plan = planShifts([ann, bob], [{ day: "mon", hours: 8 }, { day: "wed", hours: 8 }]);
    expect(plan).toEqual([
      { day: "mon", name: "Ann" },
      { day: "wed", name: "Bob" },
    ]);
  });

  it("nobody available leaves the shift uncovered", () => {
    expect(uncovered(planShifts([ann], [{ day: "sun", hours: 4 }]))).toEqual(["sun"]);
  });
});
