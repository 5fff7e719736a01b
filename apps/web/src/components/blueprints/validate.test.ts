import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BLUEPRINT_META_SCHEMA } from "./metaSchema";
import { pointerOffsets, validateSchemaText } from "./validate";

describe("blueprint schema validation in the editor", () => {
  it("accepts the demo's kind of schema", () => {
    const r = validateSchemaText(
      '{"type":"object","properties":{"tier":{"type":"integer","minimum":1,"default":3}},"required":["tier"]}',
    );
    expect(r.problems).toEqual([]);
    expect(r.schema).toBeDefined();
  });

  it("reports a JSON syntax error where the parser stopped", () => {
    const text = '{\n  "type": "object",\n  "properties": {,}\n}';
    const [p, ...rest] = validateSchemaText(text).problems;
    expect(rest).toEqual([]);
    expect(p?.message).toMatch(/^JSON syntax error/);
    expect(text.slice(p?.from, p?.to)).toBe(",");
  });

  it("points a schema problem at the offending value", () => {
    const text = '{"type":"object","properties":{"tier":{"type":"integr"}}}';
    const { problems } = validateSchemaText(text);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.some((p) => p.message.startsWith("/properties/tier/type"))).toBe(true);
    const p = problems.find((x) => x.message.startsWith("/properties/tier/type"));
    expect(text.slice(p?.from, p?.to)).toBe('"type":"integr"');
  });

  it("refuses core field names, an undefined required name and a default that fails its schema", () => {
    expect(
      validateSchemaText('{"type":"object","properties":{"name":{"type":"string"}}}').problems,
    ).not.toEqual([]);
    const req = validateSchemaText('{"type":"object","properties":{"a":{"type":"string"}},"required":["b"]}');
    expect(req.problems.map((p) => p.message)).toEqual([
      'required names "b", which is not a defined property',
    ]);
    const def = validateSchemaText(
      '{"type":"object","properties":{"tier":{"type":"integer","minimum":1,"default":0}}}',
    );
    expect(def.problems[0]?.message).toMatch(/default of "tier"/);
  });

  it("maps JSON Pointers to text offsets, keys included", () => {
    const text = '{"a": [1, {"b": true}]}';
    const at = pointerOffsets(text);
    expect(text.slice(at.get("/a/1/b")?.from, at.get("/a/1/b")?.to)).toBe('"b": true');
    expect(text.slice(at.get("/a/0")?.from, at.get("/a/0")?.to)).toBe("1");
  });

  it("keeps its copy of the server's rule identical to docs/openapi.json", () => {
    const spec = JSON.parse(
      readFileSync(new URL("../../../../../docs/openapi.json", import.meta.url), "utf8"),
    );
    const { example: _e, description: _d, ...rule } = spec.components.schemas.BlueprintJsonSchema;
    expect(BLUEPRINT_META_SCHEMA).toEqual(rule);
  });
});
