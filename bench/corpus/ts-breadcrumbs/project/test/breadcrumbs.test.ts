import { describe, expect, it } from "vitest";
import { breadcrumbs, labelFor, segments } from "../src/breadcrumbs.js";

describe("breadcrumbs", () => {
  it("splits paths and ignores empty parts", () => {
    expect(segments("/guides//setup/")).toEqual(["guides", "setup"]);
  });

  it("labels are readable", () => {
    expect(labelFor("getting-started")).toBe("Getting started");
  });

  it("the root is just home", () => {
    expect(breadcrumbs("/")).toEqual([{ label: "Home", href: "/" }]);
  });

  it("each crumb links to its own page", () => {
    expect(breadcrumbs("/guides/install")).toEqual([
      { label: "Home", href: "/" },
      { label: "Guides", href: "/guides" },
      { label: "Install", href: "/guides/install" },
    ]);
  });
});
