// The HTTP door of the fuzzer: turns an operation of the document into planned requests of each
// class (valid, schema-invalid, poison strings, malformed bodies, and callers without the right to
// call it), deterministically from a fast-check seed.
import fc from "fast-check";
import { type Catalog, fixture, LOGIN } from "./catalog.ts";
import type { JsonSchema, Operation, Parameter, SchemaChecker } from "./doc.ts";
import { POISON, type ValueGenerator } from "./generate.ts";

/** Who sends a request. */
export type Caller = "admin" | "reader" | "outsider" | "none" | "garbage";

/** What a request is meant to test; decides what a correct answer is. */
export type Kind =
  /** Schema-valid input from an administrator: never a 5xx, never VALIDATION_FAILED. */
  | "valid"
  /** Schema-invalid input: a documented 4xx. */
  | "invalid"
  /** U+0000 or a lone surrogate in a string, or undecodable percent-escapes: a 400. */
  | "poison"
  /** A body that is not JSON, the wrong Content-Type, or no body: a documented 4xx. */
  | "malformed"
  /** No or a garbage token: a 401. */
  | "unauthenticated"
  /** A valid request from a user without the operation's permission. */
  | "forbidden";

/** A request before it is sent. */
export interface Planned {
  op: Operation;
  kind: Kind;
  how: string;
  caller: Caller;
  /** Path parameters as percent-encoded path segments. */
  path: Record<string, string>;
  query: [string, string][];
  /** Extra query text appended verbatim (already encoded), for undecodable escapes. */
  rawQuery?: string;
  headers: Record<string, string>;
  body?: { type: string; text: string };
  /** Send with a fresh entity from the victim factory (operations that destroy what they touch). */
  victim: boolean;
  /** A JSON Patch built at send time from the current resource (`seed` picks the field). */
  patch?: { seed: number; mode: "same" | "create-sample" };
}

/** Operations whose valid attempts need a fresh entity each time. */
export const VICTIM_OPS = new Set([
  "deleteUser",
  // Logging a user out everywhere must not hit the fuzz's own callers (every later request of
  // theirs would be a 401).
  "revokeUserSessions",
  "updateUser",
  "changePassword",
  "addMembership",
  "updateMembership",
  "deleteMembership",
  "deleteRole",
  "updateRole",
  "grantPermission",
  "revokePermission",
  "deleteOrganization",
  "updateOrganization",
  "deleteTeam",
  "removeTeamMember",
  "deleteEnvironment",
  "deleteProjectType",
  "deleteLinkDefinition",
  "deleteProject",
  "deleteBlueprint",
  "updateBlueprint",
  "deleteScoringPolicy",
  "deleteOperationEntry",
  "logout",
  "refreshToken",
  "deleteServiceAccount",
  "updateServiceAccount",
  "addServiceAccountMembership",
  "updateServiceAccountMembership",
  "deleteServiceAccountMembership",
  "revokeClientCredential",
  "rotateClientCredential",
  "revokeServiceAccountKey",
]);

/** Percent-encodes a path segment, writing lone surrogates as their (invalid) UTF-8-style bytes. */
export function encodeSegment(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const isHigh = c >= 0xd800 && c <= 0xdbff;
    const next = s.charCodeAt(i + 1);
    if (isHigh && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(s.slice(i, i + 2));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join("");
    } else out += encodeURIComponent(s[i] as string);
  }
  return out;
}

/** A parameter's string as the schema sees it: numbers for numeric schemas. */
export function paramValue(schema: JsonSchema, raw: string): unknown {
  const types = typeof schema === "object" ? [schema.type].flat() : [];
  if ((types.includes("integer") || types.includes("number")) && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(raw))
    return Number(raw);
  return raw;
}

const asString = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** Builds the planned requests of one operation. */
export class RequestPlanner {
  constructor(
    private readonly gen: ValueGenerator,
    private readonly checker: SchemaChecker,
    private readonly catalog: Catalog,
  ) {}

  /** Real values for a name (fixture) or a sample of its schema. */
  private value(op: Operation, name: string, schema: JsonSchema): fc.Arbitrary<unknown> {
    const real = fixture(this.catalog, op.path, name);
    // A catalog value of the wrong shape for this schema (e.g. a list where a CSV string is
    // expected) would make the filter spin forever: use the generator for such names instead.
    if (real && fc.sample(real, { seed: 1, numRuns: 20 }).some((v) => this.checker.valid(schema, v)))
      return real.filter((v) => this.checker.valid(schema, v));
    return this.gen.valid(schema);
  }

  private mediaType(op: Operation): string | undefined {
    const types = Object.keys(op.body?.content ?? {});
    return types.includes("application/json") ? "application/json" : types[0];
  }

  /** A schema-valid body, with catalog values for the fields that reference the catalog. */
  private validBody(op: Operation, type: string): fc.Arbitrary<unknown> {
    const schema = op.body?.content[type] ?? {};
    // When the faker cannot satisfy the schema, the operation's own examples stand in.
    const examples = (op.body?.examples[type] ?? []).filter((e) => this.checker.valid(schema, e));
    const base = this.gen
      .valid(schema)
      .chain((v) => (v === undefined && examples.length > 0 ? fc.constantFrom(...examples) : fc.constant(v)));
    const props = typeof schema === "object" ? this.propertiesOf(schema) : [];
    const overrides = props
      .map((k) => [k, fixture(this.catalog, op.path, k)] as const)
      .filter((x): x is [string, fc.Arbitrary<unknown>] => x[1] !== undefined);
    if (op.id === "login")
      overrides.push(["email", fc.constant(LOGIN.email)], ["password", fc.constant(LOGIN.password)]);
    if (overrides.length === 0) return base;
    return fc.tuple(base, fc.record(Object.fromEntries(overrides))).map(([b, o]) => {
      if (typeof b !== "object" || b === null || Array.isArray(b)) return b;
      const merged = { ...b } as Record<string, unknown>;
      for (const [k, v] of Object.entries(o)) if (k in merged || this.required(schema, k)) merged[k] = v;
      return this.checker.valid(schema, merged) ? merged : b;
    });
  }

  private propertiesOf(schema: JsonSchema): string[] {
    if (typeof schema !== "object") return [];
    const s =
      typeof schema.$ref === "string"
        ? (this.checker.schemas[schema.$ref.replace("#/components/schemas/", "")] ?? {})
        : schema;
    if (typeof s !== "object") return [];
    const own = Object.keys((s.properties as object | undefined) ?? {});
    const parts = [...((s.allOf as JsonSchema[]) ?? []), ...((s.oneOf as JsonSchema[]) ?? [])];
    return [...new Set([...own, ...parts.flatMap((p) => this.propertiesOf(p))])];
  }

  private required(schema: JsonSchema, key: string): boolean {
    if (typeof schema !== "object") return false;
    const s =
      typeof schema.$ref === "string"
        ? (this.checker.schemas[schema.$ref.replace("#/components/schemas/", "")] ?? {})
        : schema;
    if (typeof s !== "object") return false;
    if (Array.isArray(s.required) && s.required.includes(key)) return true;
    return [...((s.allOf as JsonSchema[]) ?? [])].some((p) => this.required(p, key));
  }

  /** The valid parts of a request: path, query and body values (as JSON values). */
  private validParts(op: Operation) {
    const params = op.parameters.filter((p) => p.in !== "header" && p.name !== "cursor");
    const pathArb = fc.record(
      Object.fromEntries(
        params.filter((p) => p.in === "path").map((p) => [p.name, this.value(op, p.name, p.schema)]),
      ),
    );
    const queryArb = fc.record(
      Object.fromEntries(
        params
          .filter((p) => p.in === "query")
          .map((p) => [
            p.name,
            p.required
              ? this.value(op, p.name, p.schema)
              : fc.option(this.value(op, p.name, p.schema), { freq: 2, nil: undefined }),
          ]),
      ),
    );
    const type = this.mediaType(op);
    const bodyArb =
      type && op.body ? this.validBody(op, type).map((b) => ({ type, value: b })) : fc.constant(undefined);
    return fc.record({ path: pathArb, query: queryArb, body: bodyArb });
  }

  private toPlanned(
    op: Operation,
    kind: Kind,
    how: string,
    caller: Caller,
    parts: {
      path: Record<string, unknown>;
      query: Record<string, unknown>;
      body?: { type: string; value: unknown };
    },
  ): Planned {
    const query: [string, string][] = [];
    for (const [k, v] of Object.entries(parts.query)) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const x of v) query.push([k, asString(x)]);
      else query.push([k, asString(v)]);
    }
    return {
      op,
      kind,
      how,
      caller,
      path: Object.fromEntries(Object.entries(parts.path).map(([k, v]) => [k, encodeSegment(asString(v))])),
      query,
      headers: {},
      body:
        parts.body && parts.body.value !== undefined
          ? { type: parts.body.type, text: JSON.stringify(parts.body.value) }
          : undefined,
      victim: false,
    };
  }

  /** Valid requests from the administrator. */
  valid(op: Operation): fc.Arbitrary<Planned | undefined> {
    const isPatch = op.method === "PATCH";
    return fc
      .tuple(this.validParts(op), fc.integer({ min: 0, max: 1_000_000 }), fc.boolean())
      .map(([parts, seed, same]) => {
        // No valid body could be made (and the operation has no example): nothing to send.
        if (op.body?.required && parts.body?.value === undefined) return undefined;
        const p = this.toPlanned(op, "valid", "faker", "admin", parts);
        p.victim = VICTIM_OPS.has(op.id);
        if (isPatch && op.id !== "updateProjectEnvironment") {
          p.patch = { seed, mode: same ? "same" : "create-sample" };
          p.how = same
            ? "patch: replace a field with its current value"
            : "patch: replace a field with a create-valid value";
        }
        return p;
      });
  }

  /** Requests with exactly one schema-invalid part. */
  invalid(op: Operation): fc.Arbitrary<Planned | undefined> | undefined {
    const choices: fc.Arbitrary<Planned | undefined>[] = [];
    const parts = this.validParts(op);
    const params = op.parameters.filter((p) => p.in !== "header");
    for (const prm of params) choices.push(this.invalidParam(op, prm, parts));
    // Operations without query parameters ignore the query string; those with some reject unknown ones.
    if (params.some((p) => p.in === "query"))
      choices.push(
        parts.map((x) => {
          const p = this.toPlanned(op, "invalid", "unknown query parameter", "admin", x);
          p.query.push(["zz_unknown", "1"]);
          return p;
        }),
      );
    if (op.parameters.some((p) => p.name === "cursor"))
      choices.push(
        fc
          .tuple(
            parts,
            fc.constantFrom(
              "not-a-cursor",
              "e30",
              btoa("[1,2]"),
              btoa('{"slug":1}'),
              btoa('{"k":{"x":1}}'),
              "%%%",
              "eyJrIjoi",
            ),
          )
          .map(([x, cursor]) => {
            const p = this.toPlanned(op, "invalid", `bad cursor ${cursor}`, "admin", x);
            p.query.push(["cursor", cursor]);
            return p;
          }),
      );
    const type = this.mediaType(op);
    if (type && op.body) {
      const schema = op.body.content[type] ?? {};
      choices.push(
        parts.chain((x) =>
          this.gen.mutation(schema, x.body?.value).map((m) => {
            if (m.valid) return undefined;
            return this.toPlanned(op, "invalid", `body ${m.how}`, "admin", {
              ...x,
              body: { type, value: m.value },
            });
          }),
        ),
      );
    }
    return choices.length > 0 ? fc.oneof(...choices) : undefined;
  }

  private invalidParam(
    op: Operation,
    prm: Parameter,
    parts: ReturnType<RequestPlanner["validParts"]>,
  ): fc.Arbitrary<Planned | undefined> {
    const where = prm.in === "path" ? "path" : "query";
    return parts.chain((x) => {
      const current = (x[where] as Record<string, unknown>)[prm.name];
      const start = current !== undefined ? current : this.gen.validSample(prm.schema, 7);
      if (start === undefined) return fc.constant(undefined);
      const mutated = this.gen.mutation(prm.schema, start);
      const missing: fc.Arbitrary<{ value: unknown; valid: boolean; how: string }>[] =
        prm.required && prm.in === "query"
          ? [fc.constant({ value: undefined, valid: false, how: "missing" })]
          : [];
      return fc.oneof(mutated, ...missing).map((m) => {
        if (m.value !== undefined && (typeof m.value === "object" || m.value === null)) return undefined;
        // An empty path segment selects another route (or none): not a test of this parameter.
        if (prm.in === "path" && m.value === "") return undefined;
        const raw = m.value === undefined ? undefined : asString(m.value);
        const valid =
          raw === undefined ? m.valid : this.checker.valid(prm.schema, paramValue(prm.schema, raw));
        if (valid) return undefined;
        const next = { ...x, [where]: { ...(x[where] as object), [prm.name]: raw } };
        return this.toPlanned(op, "invalid", `${where} ${prm.name} ${m.how}`, "admin", next);
      });
    });
  }

  /** Strings with U+0000 or lone surrogates in a parameter or the body; undecodable escapes. */
  poison(op: Operation): fc.Arbitrary<Planned | undefined> | undefined {
    const parts = this.validParts(op);
    const params = op.parameters.filter((p) => p.in !== "header");
    const choices: fc.Arbitrary<Planned | undefined>[] = [];
    for (const prm of params)
      choices.push(
        fc.tuple(parts, fc.constantFrom(...POISON)).map(([x, poison]) => {
          const where = prm.in === "path" ? "path" : "query";
          const p = this.toPlanned(
            op,
            "poison",
            // A lone surrogate has no UTF-8 form: in a URL it can only be an undecodable escape.
            `${where} ${prm.name} ${JSON.stringify(poison)}${/[\ud800-\udfff]/.test(poison) ? " (undecodable in a URL)" : ""}`,
            "admin",
            x,
          );
          if (where === "path") p.path[prm.name] = encodeSegment(`a${poison}`);
          else {
            p.query = p.query.filter(([k]) => k !== prm.name);
            p.query.push([prm.name, `a${poison}`]);
          }
          return p;
        }),
      );
    const queryParam = op.parameters.find((q) => q.in === "query");
    if (queryParam)
      choices.push(
        parts.map((x) => {
          const p = this.toPlanned(op, "poison", "undecodable query escape", "admin", x);
          p.query = p.query.filter(([k]) => k !== queryParam.name);
          p.rawQuery = `${queryParam.name}=%ED%A0%80%FF`;
          return p;
        }),
      );
    const type = this.mediaType(op);
    if (type && op.body) {
      const schema = op.body.content[type] ?? {};
      choices.push(
        parts.chain((x) => {
          const arb = this.gen.poison(schema, x.body?.value);
          if (!arb) return fc.constant(undefined);
          return arb.map((m) =>
            this.toPlanned(op, "poison", `body ${m.how}`, "admin", { ...x, body: { type, value: m.value } }),
          );
        }),
      );
    }
    return choices.length > 0 ? fc.oneof(...choices) : undefined;
  }

  /** Bodies that are not JSON, the wrong Content-Type, or a missing required body. */
  malformed(op: Operation): fc.Arbitrary<Planned | undefined> | undefined {
    const type = this.mediaType(op);
    if (!type || !op.body) return undefined;
    return fc
      .tuple(this.validParts(op), fc.constantFrom("not-json", "truncated", "text/plain", "form", "empty"))
      .map(([x, how]) => {
        const p = this.toPlanned(op, "malformed", how, "admin", x);
        const text = p.body?.text ?? "{}";
        if (how === "not-json") p.body = { type, text: "this is not json" };
        if (how === "truncated")
          p.body = { type, text: text.slice(0, Math.max(1, Math.floor(text.length / 2))) };
        if (how === "text/plain") p.body = { type: "text/plain", text };
        if (how === "form") p.body = { type: "application/x-www-form-urlencoded", text: "a=1&b=2" };
        if (how === "empty") p.body = op.body?.required ? undefined : { type, text: "" };
        if (how === "empty" && !op.body?.required) return undefined;
        return p;
      });
  }

  /** Valid or invalid requests without credentials, or with a garbage token. */
  unauthenticated(op: Operation): fc.Arbitrary<Planned | undefined> | undefined {
    if (!op.secured) return undefined;
    const inputs = [this.valid(op), this.invalid(op), this.poison(op)].filter(
      (a): a is fc.Arbitrary<Planned | undefined> => a !== undefined,
    );
    return fc.tuple(fc.oneof(...inputs), fc.constantFrom<Caller>("none", "garbage")).map(
      ([p, caller]) =>
        p && {
          ...p,
          kind: "unauthenticated" as const,
          how: `${caller}: ${p.how}`,
          caller,
          victim: false,
          patch: undefined,
        },
    );
  }

  /** Valid requests from a user without the operation's permission (an outsider, or a reader). */
  forbidden(op: Operation): fc.Arbitrary<Planned | undefined> | undefined {
    if (op.permission.length === 0 || !op.secured) return undefined;
    const callers: Caller[] = ["outsider"];
    if (op.path.includes("{org}") && !op.permission.some((x) => this.catalog.readerPermissions.includes(x)))
      callers.push("reader");
    return fc.tuple(this.valid(op), fc.constantFrom(...callers)).map(
      ([p, caller]) =>
        p && {
          ...p,
          kind: "forbidden" as const,
          how: `${caller}: ${p.how}`,
          caller,
          victim: false,
          patch: undefined,
        },
    );
  }
}
