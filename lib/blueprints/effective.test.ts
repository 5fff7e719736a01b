import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { checkBlueprintSchema } from "./check_schema.ts";
import {
  applyDefaults,
  attributeTypes,
  filterApplies,
  type JsonObjectSchema,
  type MergeInput,
  mergeSchemas,
  validateAttributes,
} from "./effective.ts";

const bp = (
  slug: string,
  priority: number,
  schema: Partial<JsonObjectSchema>,
  filter: Partial<MergeInput["filter"]> = {},
): MergeInput => ({
  slug,
  priority,
  filter: { project_types: [], environments: [], ...filter },
  schema: { type: "object", properties: {}, ...schema },
});

describe("mergeSchemas", () => {
  it("lets the higher priority win a clash and unions required, whatever the input order", () => {
    const high = bp("high", 10, { properties: { tier: { type: "string" } }, required: ["tier"] });
    const low = bp("low", 1, {
      properties: { tier: { type: "integer" }, owner: { type: "string" } },
      required: ["owner"],
    });
    for (const inputs of [
      [high, low],
      [low, high],
    ]) {
      const m = mergeSchemas(inputs);
      expect(m.properties).toEqual({ tier: { type: "string" }, owner: { type: "string" } });
      expect(m.required).toEqual(["owner", "tier"]);
      expect(m["x-imbi-blueprints"]).toEqual(["low", "high"]);
    }
  });

  it("returns an empty object schema for no blueprints", () => {
    expect(mergeSchemas([])).toMatchObject({ type: "object", properties: {}, required: [] });
  });

  it("takes additionalProperties from the highest priority that sets it", () => {
    const m = mergeSchemas([
      bp("a", 1, { additionalProperties: true }),
      bp("b", 2, { additionalProperties: false }),
    ]);
    expect(m.additionalProperties).toBe(false);
  });
});

describe("filterApplies", () => {
  it.each([
    [{}, {}, true],
    [{ project_types: ["api"] }, { projectTypes: ["api", "web"] }, true],
    [{ project_types: ["api"] }, { projectTypes: ["web"] }, false],
    [{ project_types: ["api"] }, {}, false],
    [{ environments: ["prod"] }, { projectTypes: ["api"], environments: ["prod"] }, true],
    [
      { project_types: ["api"], environments: ["prod"] },
      { projectTypes: ["api"], environments: ["dev"] },
      false,
    ],
  ])("%j applies to %j: %s", (filter, scope, expected) => {
    expect(filterApplies(filter, scope)).toBe(expected);
  });
});

const schema: JsonObjectSchema = {
  type: "object",
  properties: {
    tier: { type: "integer", minimum: 1, maximum: 4, default: 3 },
    lang: { type: "string", enum: ["go", "python"] },
    tags: { type: "array", items: { type: "string" }, default: ["x"] },
    pci: { type: "boolean" },
    ratio: { type: ["number", "null"] },
    kind: { const: "svc" },
    any: {},
  },
  required: ["lang"],
};

describe("validateAttributes", () => {
  it("accepts valid attributes", () => {
    expect(validateAttributes(schema, { tier: 2, lang: "go", tags: ["a"], pci: true })).toEqual([]);
  });

  it("names each failing field", () => {
    const errors = validateAttributes(schema, { tier: "two", tags: [1], pci: "yes", extra: 1 });
    expect(errors.map((e) => e.location).sort()).toEqual([
      "json.extra",
      "json.lang",
      "json.pci",
      "json.tags.0",
      "json.tier",
    ]);
    expect(errors.find((e) => e.location === "json.lang")?.message).toBe("is required");
    expect(errors.find((e) => e.location === "json.extra")?.message).toMatch(/not an attribute/);
  });

  it("allows unknown attributes when the schema allows additionalProperties", () => {
    expect(validateAttributes({ ...schema, additionalProperties: true }, { lang: "go", extra: 1 })).toEqual(
      [],
    );
    const typed = { ...schema, additionalProperties: { type: "string" } };
    expect(validateAttributes(typed, { lang: "go", extra: 1 }).map((e) => e.location)).toEqual([
      "json.extra",
    ]);
  });

  it("treats null as unset, except for a required property", () => {
    expect(validateAttributes(schema, { lang: "go", tier: null })).toEqual([]);
    expect(validateAttributes(schema, { lang: null }).map((e) => e.location)).toEqual(["json.lang"]);
  });

  it("checks range and enum constraints", () => {
    const errors = validateAttributes(schema, { lang: "rust", tier: 9 });
    expect(errors.map((e) => e.location).sort()).toEqual(["json.lang", "json.tier"]);
  });
});

describe("applyDefaults and attributeTypes", () => {
  it("fills absent properties only, with copies", () => {
    const out = applyDefaults(schema, { lang: "go", tier: 1 });
    expect(out).toEqual({ lang: "go", tier: 1, tags: ["x"] });
    (out.tags as string[]).push("y");
    expect(applyDefaults(schema, {}).tags).toEqual(["x"]);
  });

  it("reports each property's JSON type", () => {
    expect(attributeTypes(schema)).toEqual({
      tier: "integer",
      lang: "string",
      tags: "array",
      pci: "boolean",
      ratio: "number",
      kind: "string",
      any: "string",
    });
  });
});

describe("checkBlueprintSchema", () => {
  const problems = (s: unknown) => {
    try {
      checkBlueprintSchema(s);
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      return ((e as DomainError).errors ?? []).map((x) => x.location);
    }
    return [];
  };

  it("accepts an object schema, with local references", () => {
    expect(problems(schema)).toEqual([]);
    const withDefs = {
      type: "object",
      $defs: { port: { type: "integer", minimum: 1 } },
      properties: { http_port: { $ref: "#/$defs/port", default: 80 } },
    };
    expect(problems(withDefs)).toEqual([]);
    const merged = mergeSchemas([bp("a", 0, withDefs as Partial<JsonObjectSchema>)]);
    expect(validateAttributes(merged, { http_port: 0 }).map((e) => e.location)).toEqual(["json.http_port"]);
  });

  it.each([
    ["a non-object schema", { type: "string" }, "json.schema.type"],
    ["missing properties", { type: "object" }, "json.schema.properties"],
    [
      "a reserved name",
      { type: "object", properties: { slug: { type: "string" } } },
      "json.schema.properties.slug",
    ],
    ["a bad name", { type: "object", properties: { "Bad-Name": {} } }, "json.schema.properties.Bad-Name"],
    [
      "an unknown type",
      { type: "object", properties: { a: { type: "strnig" } } },
      "json.schema.properties.a.type",
    ],
    [
      "a bad pattern",
      { type: "object", properties: { a: { type: "string", pattern: "([" } } },
      "json.schema.properties.a.pattern",
    ],
    [
      "a dangling $ref",
      { type: "object", properties: { a: { $ref: "#/$defs/none" } } },
      "json.schema.properties.a.$ref",
    ],
    [
      "a bad default",
      { type: "object", properties: { a: { type: "integer", default: "x" } } },
      "json.schema.properties.a.default",
    ],
    ["an unmergeable keyword", { type: "object", properties: {}, allOf: [] }, "json.schema.allOf"],
    ["required not defined", { type: "object", properties: {}, required: ["a"] }, "json.schema.required"],
    ["an array", [], "json.schema"],
  ])("rejects %s", (_, s, location) => {
    expect(problems(s)).toContain(location);
  });
});
