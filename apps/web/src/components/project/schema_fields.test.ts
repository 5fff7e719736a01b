import { describe, expect, it } from "vitest";
import { attributePatch, displayValue, fieldsOf, fromFormValue, initialValues } from "./schema_fields";

const schema = {
  type: "object",
  required: ["tier"],
  properties: {
    tier: { type: "integer", minimum: 1, maximum: 4, description: "Business criticality" },
    language: { type: "string", enum: ["go", "python"] },
    on_call: { type: "string", title: "On-call rotation" },
    public: { type: "boolean" },
    tags: { type: "array", items: { type: "string" } },
    ratio: { type: ["number", "null"] },
    meta: { type: "object" },
  },
};

describe("blueprint fields from the project's schema", () => {
  it("reads each property's kind, label, description and bounds in order", () => {
    const fields = fieldsOf(schema);
    expect(fields.map((f) => [f.name, f.kind, f.label])).toEqual([
      ["tier", "integer", "Tier"],
      ["language", "enum", "Language"],
      ["on_call", "string", "On-call rotation"],
      ["public", "boolean", "Public"],
      ["tags", "string-array", "Tags"],
      ["ratio", "number", "Ratio"],
      ["meta", "other", "Meta"],
    ]);
    expect(fields[0]).toMatchObject({
      required: true,
      minimum: 1,
      maximum: 4,
      description: "Business criticality",
    });
    expect(fields[1]?.options).toEqual(["go", "python"]);
    expect(fieldsOf(null)).toEqual([]);
    expect(fieldsOf({ type: "object" })).toEqual([]);
  });

  it("turns form input into typed values, leaving what the server must judge as text", () => {
    const [tier, , , pub, tags] = fieldsOf(schema);
    if (!tier || !pub || !tags) throw new Error("fields");
    expect(fromFormValue(tier, "3")).toBe(3);
    expect(fromFormValue(tier, "three")).toBe("three");
    expect(fromFormValue(tier, " ")).toBeUndefined();
    expect(fromFormValue(pub, "false")).toBe(false);
    expect(fromFormValue(tags, "a\n\n b \n")).toEqual(["a", "b"]);
  });

  it("patches only what changed: add to set, remove to clear", () => {
    const fields = fieldsOf(schema);
    const project = { tier: 3, language: "go", on_call: "ops", tags: ["x"] };
    const values = { ...initialValues(fields, project), tier: "2", on_call: "", public: "true" };
    expect(attributePatch(fields, project, values)).toEqual([
      { op: "add", path: "/tier", value: 2 },
      { op: "remove", path: "/on_call" },
      { op: "add", path: "/public", value: true },
    ]);
    expect(attributePatch(fields, project, initialValues(fields, project))).toEqual([]);
    // An empty string stored is the same as the empty field; a core text field clears to "".
    expect(attributePatch(fields, { ...project, on_call: "" }, { on_call: "" })).toEqual([]);
    const description = {
      name: "description",
      label: "Description",
      kind: "string",
      required: false,
    } as const;
    expect(
      attributePatch([{ ...description, emptyIsString: true }], { description: "x" }, { description: "" }),
    ).toEqual([{ op: "add", path: "/description", value: "" }]);
  });

  it("shows unset values as a dash and booleans as words", () => {
    const [tier, , , pub, tags] = fieldsOf(schema);
    if (!tier || !pub || !tags) throw new Error("fields");
    expect(displayValue(tier, undefined)).toBe("—");
    expect(displayValue(pub, false)).toBe("No");
    expect(displayValue(tags, ["a", "b"])).toBe("a, b");
  });
});
