import { describe, expect, it } from "vitest";
import { isEdge, isVertex, parseAgtype } from "./agtype.ts";

describe("parseAgtype", () => {
  it("parses scalars, lists and maps", () => {
    expect(parseAgtype(null)).toBeNull();
    expect(parseAgtype("1.5")).toBe(1.5);
    expect(parseAgtype('"text"')).toBe("text");
    expect(parseAgtype("true")).toBe(true);
    expect(parseAgtype('[1, "a", null]')).toEqual([1, "a", null]);
    expect(parseAgtype('{"x": {"y": [1]}}')).toEqual({ x: { y: [1] } });
    expect(parseAgtype("12345678901234567890::numeric")).toBe(Number("12345678901234567890"));
  });

  it("parses vertices, edges and paths, stripping type annotations", () => {
    const v = parseAgtype('{"id": 844424930131969, "label": "Team", "properties": {"slug": "a"}}::vertex');
    expect(isVertex(v)).toBe(true);
    expect(v).toEqual({ id: 844424930131969, label: "Team", properties: { slug: "a" } });
    const e = parseAgtype(
      '{"id": 1125899906842625, "label": "OWNS", "end_id": 2, "start_id": 1, "properties": {}}::edge',
    );
    expect(isEdge(e)).toBe(true);
    expect(isVertex(e)).toBe(false);
    const p = parseAgtype(
      '[{"id": 1, "label": "A", "properties": {}}::vertex, {"id": 3, "label": "E", "end_id": 2, "start_id": 1, "properties": {}}::edge, {"id": 2, "label": "A", "properties": {}}::vertex]::path',
    ) as unknown[];
    expect(p.map((x) => (isEdge(x) ? "edge" : isVertex(x) ? "vertex" : "?"))).toEqual([
      "vertex",
      "edge",
      "vertex",
    ]);
  });

  it("keeps annotation-looking text and escapes inside strings verbatim", () => {
    const text = String.raw`{"id": 1, "label": "P", "properties": {"name": "x::vertex \"q\" NaN Infinity ]::path"}}::vertex`;
    const v = parseAgtype(text) as { properties: { name: string } };
    expect(v.properties.name).toBe('x::vertex "q" NaN Infinity ]::path');
  });

  it("maps NaN and ±Infinity (not JSON) to null", () => {
    expect(parseAgtype("[NaN, Infinity, -Infinity, 1]")).toEqual([null, null, null, 1]);
  });
});
