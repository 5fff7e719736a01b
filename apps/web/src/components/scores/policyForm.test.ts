import { describe, expect, it } from "vitest";
import { diffPatch, FormError, fieldKey, fromForm, linesToMap, toForm } from "./policyForm";

const runbook = {
  slug: "demo-runbook",
  name: "Has a runbook",
  description: "",
  weight: 25,
  enabled: true,
  priority: 0,
  targets: [],
  category: "link_presence",
  link_slug: "runbook",
  present_score: 100,
  missing_score: 0,
  created_at: "2026-01-01T00:00:00.000Z",
  updated_at: "2026-01-01T00:00:00.000Z",
};

describe("scoring policy forms", () => {
  it("round-trips a policy and patches only what changed", () => {
    const form = toForm(runbook);
    expect(diffPatch(runbook, fromForm(form))).toEqual([]);
    const edited = fromForm({ ...form, missing_score: "40", weight: "30" });
    expect(diffPatch(runbook, edited)).toEqual([
      { op: "replace", path: "/weight", value: 30 },
      { op: "replace", path: "/missing_score", value: 40 },
    ]);
  });

  it("switching category replaces its fields", () => {
    const edited = fromForm({ ...toForm(runbook), category: "presence", attribute_name: "tier" });
    const ops = diffPatch(runbook, edited);
    expect(ops).toContainEqual({ op: "replace", path: "/category", value: "presence" });
    expect(ops).toContainEqual({ op: "add", path: "/attribute_name", value: "tier" });
    expect(ops).toContainEqual({ op: "remove", path: "/link_slug" });
  });

  it("reads score maps as 'value = score' lines and says which line is wrong", () => {
    expect(linesToMap("python = 100\n\n 90.. = 80 ")).toEqual({ python: 100, "90..": 80 });
    expect(() => linesToMap("python 100")).toThrow(/Line 1/);
    const f = {
      ...toForm(runbook),
      category: "attribute" as const,
      attribute_name: "language",
      map: "go = x",
    };
    expect(() => fromForm(f)).toThrow(FormError);
  });

  it("puts server errors on the form's fields", () => {
    expect(fieldKey("/weight")).toBe("weight");
    expect(fieldKey("json.weight")).toBe("weight");
    expect(fieldKey("value_score_map.gold")).toBe("map");
    expect(fieldKey("condition.conditions.0")).toBe("condition");
  });
});
