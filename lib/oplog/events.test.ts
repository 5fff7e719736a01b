import { describe, expect, it } from "vitest";
import { diffProject, jsonEqual } from "./events.ts";

describe("diffProject", () => {
  it("lists every non-null field of a created project", () => {
    expect(
      diffProject({ action: "created", before: null, after: { name: "A", description: null, links: {} } }),
    ).toEqual([
      { field: "name", old: null, new: "A" },
      { field: "links", old: null, new: {} },
    ]);
  });

  it("lists changed top-level fields of an update, deep-compared, ignoring updated_at", () => {
    const before = { name: "A", links: { a: 1, b: [1, 2] }, tags: ["x"], updated_at: "1", gone: 1 };
    const after = { name: "A", links: { b: [1, 2], a: 1 }, tags: ["y"], updated_at: "2", added: true };
    expect(diffProject({ action: "updated", before, after })).toEqual([
      { field: "added", old: null, new: true },
      { field: "gone", old: 1, new: null },
      { field: "tags", old: ["x"], new: ["y"] },
    ]);
    expect(diffProject({ action: "updated", before, after: before })).toEqual([]);
  });

  it("records a delete as one '*' row holding the whole project", () => {
    expect(diffProject({ action: "deleted", before: { name: "A" }, after: null })).toEqual([
      { field: "*", old: { name: "A" }, new: null },
    ]);
  });

  it("compares JSON structurally", () => {
    expect(jsonEqual({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toBe(true);
    expect(jsonEqual([1], { 0: 1 })).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(jsonEqual(null, {})).toBe(false);
  });
});
