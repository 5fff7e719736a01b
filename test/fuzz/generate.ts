// Schema-driven value generation for the fuzzer, independent of HTTP so every door can reuse it.
//
// Valid values come from json-schema-faker (maintained, zero dependencies, draft 2020-12, seeded
// PRNG, handles $ref/oneOf/pattern/format), driven by fast-check seeds so a whole run is replayable
// from one number. Invalid values are *mutations* of a valid value at one location (wrong type,
// out of range, too long, pattern or enum violation, missing required, unknown property), chosen by
// fast-check. Every candidate is re-checked against the schema: generator imprecision can never
// turn into a false report, because a value's class is decided by the validator, not by intent.
import fc from "fast-check";
import { generateSync } from "json-schema-faker";
import type { JsonSchema, SchemaChecker } from "./doc.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A value generated for a schema, with the reason it was produced. */
export interface Sample {
  value: unknown;
  /** Whether the schema accepts the value (decided by the validator). */
  valid: boolean;
  /** How it was made, e.g. `faker` or `mutation body.name: maxLength+1`. */
  how: string;
}

/** Strings no field may hold, whatever its schema: the database cannot store them. */
export const POISON = ["\u0000", "\ud800", "\udfff", "a\u0000b", "x\ud83dy"] as const;

/** Generates values of a schema; one per document (it resolves `$ref`s against it). */
export class ValueGenerator {
  constructor(private readonly checker: SchemaChecker) {}

  /** A faker sample valid for `schema` (retrying a few seeds), else a documented example. */
  validSample(schema: JsonSchema, seed: number): unknown {
    const rooted = this.checker.rooted(schema);
    for (let k = 0; k < 6; k++) {
      let v: unknown;
      try {
        v = generateSync(rooted as Parameters<typeof generateSync>[0], {
          seed: (seed + k * 7919) % 2_147_483_647 || 1,
          optionalsProbability: 0.5,
          maxDefaultItems: 3,
          // Free-form values (`value` of a patch, blueprint schemas) need no deep nesting.
          maxDepth: 4,
        });
      } catch {
        continue;
      }
      if (this.checker.valid(schema, v)) return v;
    }
    if (
      typeof schema === "object" &&
      schema.example !== undefined &&
      this.checker.valid(schema, schema.example)
    )
      return schema.example;
    return undefined;
  }

  /** Arbitrary of valid values (undefined when the generator cannot satisfy the schema). */
  valid(schema: JsonSchema): fc.Arbitrary<unknown> {
    return fc
      .noBias(fc.integer({ min: 1, max: 2_147_483_646 }))
      .map((seed) => this.validSample(schema, seed));
  }

  /** Resolves a local `$ref`. */
  private deref(schema: JsonSchema): JsonSchema {
    let s = schema;
    for (let i = 0; i < 10 && isObj(s) && typeof s.$ref === "string"; i++) {
      const name = (s.$ref as string).replace("#/components/schemas/", "");
      s = this.checker.schemas[name] ?? true;
    }
    return s;
  }

  /**
   * Every location of `value` with the schema that governs it: for `oneOf`/`anyOf` the branch
   * the value satisfies, for `allOf` each part.
   */
  sites(schema: JsonSchema, value: unknown, path: (string | number)[] = []): Site[] {
    const s = this.deref(schema);
    if (!isObj(s)) return [{ path, schema: s, value }];
    const out: Site[] = [{ path, schema: s, value }];
    for (const key of ["oneOf", "anyOf"] as const) {
      const branches = s[key];
      if (Array.isArray(branches)) {
        const hit = branches.find((b) => this.checker.valid(b as JsonSchema, value));
        if (hit) out.push(...this.sites(hit as JsonSchema, value, path).slice(1));
      }
    }
    if (Array.isArray(s.allOf))
      for (const part of s.allOf) out.push(...this.sites(part as JsonSchema, value, path).slice(1));
    if (isObj(value)) {
      const props = (isObj(s.properties) ? s.properties : {}) as Record<string, JsonSchema>;
      for (const [k, v] of Object.entries(value))
        if (props[k] !== undefined) out.push(...this.sites(props[k], v, [...path, k]));
    } else if (Array.isArray(value) && s.items !== undefined) {
      value.forEach((v, i) => {
        out.push(...this.sites(s.items as JsonSchema, v, [...path, i]));
      });
    }
    return out;
  }

  /**
   * Arbitrary of one-location mutations of `value` (itself valid for `schema`). The returned
   * sample's `valid` says what the validator thinks of the result; most are invalid.
   */
  mutation(schema: JsonSchema, value: unknown): fc.Arbitrary<Sample> {
    const candidates = this.sites(schema, value).flatMap((site) =>
      mutationsAt(site).map((m) => ({ site, ...m })),
    );
    if (candidates.length === 0) return fc.constant({ value, valid: true, how: "no mutation applies" });
    return fc.constantFrom(...candidates).map((c) => {
      const next = setAt(value, c.site.path, c.replace);
      const where = c.site.path.length > 0 ? c.site.path.join(".") : "(root)";
      return { value: next, valid: this.checker.valid(schema, next), how: `${where}: ${c.label}` };
    });
  }

  /** Arbitrary replacing one string of `value` with a poison string (NUL, lone surrogate). */
  poison(schema: JsonSchema, value: unknown): fc.Arbitrary<Sample> | undefined {
    const strings = this.sites(schema, value).filter((s) => typeof s.value === "string");
    if (strings.length === 0) return undefined;
    return fc.tuple(fc.constantFrom(...strings), fc.constantFrom(...POISON)).map(([site, p]) => {
      const s = site.value as string;
      const poisoned = `${s.slice(0, 1)}${p}${s.slice(1)}`;
      return {
        value: setAt(value, site.path, poisoned),
        valid: false,
        how: `${site.path.join(".") || "(root)"}: ${JSON.stringify(p)}`,
      };
    });
  }
}

/** A location in a value and the schema that governs it. */
export interface Site {
  path: (string | number)[];
  schema: JsonSchema;
  value: unknown;
}

const DELETE = Symbol("delete");

/** Returns a copy of `root` with the value at `path` replaced (or deleted). */
function setAt(root: unknown, path: (string | number)[], next: unknown): unknown {
  if (path.length === 0) return next;
  const copy: unknown = Array.isArray(root) ? [...root] : { ...(root as Obj) };
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const child = setAt((copy as Obj)[head], rest, next);
  if (child === DELETE) delete (copy as Obj)[head];
  else (copy as Obj)[head] = child;
  return copy;
}

const typesOf = (s: Obj): string[] => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []) as string[];

/** The mutations that make sense at one site, each likely to violate its schema. */
function mutationsAt(site: Site): { label: string; replace: unknown }[] {
  const s = site.schema;
  if (!isObj(s)) return [];
  const out: { label: string; replace: unknown }[] = [];
  const types = typesOf(s);
  const v = site.value;
  // Wrong types.
  if (!types.includes("null") && v !== null) out.push({ label: "null", replace: null });
  if (typeof v === "string") out.push({ label: "number instead of string", replace: 42 });
  if (typeof v === "number") out.push({ label: "string instead of number", replace: "12" });
  if (typeof v === "boolean") out.push({ label: "string instead of boolean", replace: "yes" });
  if (isObj(v)) out.push({ label: "array instead of object", replace: [] });
  if (Array.isArray(v)) out.push({ label: "object instead of array", replace: {} });
  // Strings.
  if (typeof v === "string") {
    if (typeof s.maxLength === "number")
      out.push({ label: "maxLength+1", replace: "x".repeat(Math.min(s.maxLength + 1, 70_000)) });
    if (typeof s.minLength === "number" && s.minLength > 0) out.push({ label: "empty", replace: "" });
    if (typeof s.pattern === "string") out.push({ label: "pattern violation", replace: "Not Valid!~" });
    if (Array.isArray(s.enum)) out.push({ label: "not in enum", replace: "zz-not-in-enum" });
    if (s.const !== undefined) out.push({ label: "not the const", replace: "zz-not-the-const" });
    if (s.format === "email") out.push({ label: "not an email", replace: "not-an-email" });
    if (s.format === "date-time") out.push({ label: "not a date-time", replace: "yesterday" });
    if (s.format === "uri") out.push({ label: "not a uri", replace: "not a uri" });
  }
  // Numbers.
  if (typeof v === "number") {
    if (typeof s.minimum === "number") out.push({ label: "minimum-1", replace: s.minimum - 1 });
    if (typeof s.maximum === "number") out.push({ label: "maximum+1", replace: s.maximum + 1 });
    if (types.includes("integer")) out.push({ label: "fraction", replace: 1.5 });
    out.push({ label: "huge", replace: 1e308 });
  }
  // Objects.
  if (isObj(v)) {
    for (const r of (Array.isArray(s.required) ? s.required : []) as string[])
      if (r in v) out.push({ label: `without required ${r}`, replace: omit(v, r) });
    if (s.additionalProperties === false || s.unevaluatedProperties === false)
      out.push({ label: "unknown property", replace: { ...v, zz_unknown: 1 } });
  }
  // Arrays.
  if (Array.isArray(v)) {
    if (typeof s.minItems === "number" && s.minItems > 0) out.push({ label: "empty array", replace: [] });
    if (typeof s.maxItems === "number" && v.length > 0)
      out.push({ label: "maxItems+1", replace: Array.from({ length: s.maxItems + 1 }, () => v[0]) });
  }
  return out;
}

function omit(o: Obj, k: string): Obj {
  const { [k]: _, ...rest } = o;
  return rest;
}
