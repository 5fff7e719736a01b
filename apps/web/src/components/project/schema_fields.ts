// Blueprint attributes as form fields: the project's merged JSON Schema (GET …/schema) read into
// the kinds the edit form renders, and a form's values turned into JSON Patch operations. The
// server validates; this module only converts (a number field holding "abc" is sent as the text
// so the server's message lands on that field).

export type FieldKind = "string" | "number" | "integer" | "boolean" | "enum" | "string-array" | "other";

export interface SchemaField {
  name: string;
  label: string;
  description?: string;
  kind: FieldKind;
  options?: (string | number)[];
  minimum?: number;
  maximum?: number;
  required: boolean;
  /** Cleared means "" rather than unset (core fields such as the description). */
  emptyIsString?: boolean;
}

export type FormValue = string | boolean;
export type FormValues = Record<string, FormValue>;
export interface PatchOp {
  op: "add" | "remove" | "replace";
  path: string;
  value?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** `on_call` → "On call" (a schema's `title` wins). */
export function humanize(name: string): string {
  const s = name.replace(/[_-]+/g, " ").trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function kindOf(p: Record<string, unknown>): FieldKind {
  if (Array.isArray(p.enum) && p.enum.every((x) => typeof x === "string" || typeof x === "number"))
    return "enum";
  const t = Array.isArray(p.type) ? p.type.find((x) => x !== "null") : p.type;
  if (t === "string" || t === "number" || t === "integer" || t === "boolean") return t;
  if (t === "array" && isObject(p.items) && p.items.type === "string") return "string-array";
  return "other";
}

/** The schema's top-level properties as fields, in the schema's order. */
export function fieldsOf(schema: unknown): SchemaField[] {
  if (!isObject(schema) || !isObject(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  return Object.entries(schema.properties).flatMap(([name, raw]) => {
    if (!isObject(raw)) return [];
    const kind = kindOf(raw);
    const f: SchemaField = {
      name,
      label: typeof raw.title === "string" ? raw.title : humanize(name),
      kind,
      required: required.has(name),
    };
    if (typeof raw.description === "string") f.description = raw.description;
    if (kind === "enum") f.options = raw.enum as (string | number)[];
    if (typeof raw.minimum === "number") f.minimum = raw.minimum;
    if (typeof raw.maximum === "number") f.maximum = raw.maximum;
    return [f];
  });
}

/** A stored value as the form shows it ("" when unset; arrays one item a line). */
export function toFormValue(field: SchemaField, value: unknown): FormValue {
  if (value === undefined || value === null) return "";
  if (field.kind === "boolean") return value === true ? "true" : value === false ? "false" : "";
  if (field.kind === "string-array")
    return Array.isArray(value) ? value.map(String).join("\n") : String(value);
  if (field.kind === "other") return JSON.stringify(value);
  return String(value);
}

/** What the form holds as the value to store; undefined means "unset". */
export function fromFormValue(field: SchemaField, input: FormValue): unknown {
  const s = typeof input === "boolean" ? String(input) : input;
  if (s.trim() === "") return field.emptyIsString ? "" : undefined;
  switch (field.kind) {
    case "number":
    case "integer": {
      const n = Number(s.trim());
      return Number.isFinite(n) ? n : s;
    }
    case "boolean":
      return s === "true" ? true : s === "false" ? false : s;
    case "enum": {
      const hit = field.options?.find((o) => String(o) === s);
      return hit ?? s;
    }
    case "string-array":
      return s
        .split("\n")
        .map((x) => x.trim())
        .filter(Boolean);
    case "other":
      try {
        return JSON.parse(s) as unknown;
      } catch {
        return s;
      }
    default:
      return s;
  }
}

/** The form's starting values for a project. */
export function initialValues(fields: SchemaField[], project: Record<string, unknown>): FormValues {
  return Object.fromEntries(fields.map((f) => [f.name, toFormValue(f, project[f.name])]));
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const pointer = (name: string) => `/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;

/**
 * JSON Patch operations that take the project to the form's values: `add` sets a member (whether
 * or not it exists), `remove` clears one that is set; unchanged fields are left out.
 */
export function attributePatch(
  fields: SchemaField[],
  project: Record<string, unknown>,
  values: FormValues,
): PatchOp[] {
  const ops: PatchOp[] = [];
  for (const f of fields) {
    if (!(f.name in values)) continue;
    const next = fromFormValue(f, values[f.name] ?? "");
    const prev = project[f.name];
    if (next === undefined) {
      if (prev !== undefined && prev !== null && prev !== "")
        ops.push({ op: "remove", path: pointer(f.name) });
    } else if (!same(next, prev)) ops.push({ op: "add", path: pointer(f.name), value: next });
  }
  return ops;
}

/** How an attribute reads in the overview. */
export function displayValue(field: SchemaField, value: unknown): string {
  if (value === undefined || value === null || value === "") return "—";
  if (field.kind === "boolean") return value === true ? "Yes" : value === false ? "No" : String(value);
  if (Array.isArray(value)) return value.map(String).join(", ") || "—";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
