// Sends planned requests through the in-process app and checks each answer against the document:
// a documented status, the documented content type, a body valid for the documented schema, and
// what the request's class demands (never a 5xx; a valid request is never VALIDATION_FAILED; an
// invalid one is a 4xx; a caller without a token gets a 401 …). Findings are grouped so that one
// root cause reads as one line.

import fc from "fast-check";
import type { TestApp } from "../harness/app.ts";
import { type Catalog, fixture, victim } from "./catalog.ts";
import type { JsonSchema, Operation, SchemaChecker } from "./doc.ts";
import type { ValueGenerator } from "./generate.ts";
import { encodeSegment, type Planned } from "./requests.ts";

/** One failed expectation. */
export interface Finding {
  op: string;
  kind: string;
  rule: string;
  status: number;
  request: string;
  detail: string;
}

/** An answer as the checks need it. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

const clip = (s: string, n = 240) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Finds the create operation of a PATCH route's collection (same path minus the last segment). */
export function createSchemaOf(ops: Operation[], patch: Operation): JsonSchema | undefined {
  const parent = patch.path.replace(/\/\{[^}]+\}$/, "");
  const create = ops.find((o) => o.method === "POST" && o.path === parent);
  return create?.body?.content["application/json"];
}

/** Resolves a request's late parts (victims, patches) and sends it. */
export class Sender {
  constructor(
    private readonly app: TestApp,
    private readonly catalog: Catalog,
    private readonly ops: Operation[],
    private readonly gen: ValueGenerator,
    private readonly checker: SchemaChecker,
  ) {}

  private url(p: Planned): string {
    const path = p.op.path.replace(/\{([^}]+)\}/g, (_, name: string) => p.path[name] ?? "missing");
    const query = p.query.map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(v)}`);
    if (p.rawQuery) query.push(p.rawQuery);
    return query.length > 0 ? `${path}?${query.join("&")}` : path;
  }

  private token(p: Planned, override?: string): string | undefined {
    switch (p.caller) {
      case "admin":
        return override ?? this.catalog.tokens.admin;
      case "reader":
        return this.catalog.tokens.reader;
      case "outsider":
        return this.catalog.tokens.outsider;
      case "garbage":
        return "garbage.token.value";
      case "none":
        return undefined;
    }
  }

  /** A JSON Patch that replaces one field of the current resource (with itself or a create-valid value). */
  private async patchBody(p: Planned, url: string): Promise<Planned["body"]> {
    if (!p.patch) return p.body;
    const res = await this.app.request(url.split("?")[0] as string, {
      headers: { Authorization: `Bearer ${this.catalog.tokens.admin}` },
    });
    if (res.status !== 200) return p.body;
    const doc = (await res.json()) as Record<string, unknown>;
    const keys = Object.keys(doc).sort();
    const key = keys[p.patch.seed % keys.length] as string;
    let value = doc[key];
    const create = createSchemaOf(this.ops, p.op);
    const real = fixture(this.catalog, p.op.path, key);
    if (p.patch.mode === "create-sample" && real)
      value = fc.sample(real, { seed: p.patch.seed, numRuns: 1 })[0];
    else if (p.patch.mode === "create-sample" && create && !["slug", "email", "organization"].includes(key)) {
      const resolved =
        typeof create === "object" && typeof create.$ref === "string"
          ? this.checker.schemas[create.$ref.replace("#/components/schemas/", "")]
          : create;
      const prop =
        typeof resolved === "object" ? (resolved.properties as Record<string, JsonSchema>)?.[key] : undefined;
      if (prop !== undefined) {
        const sample = this.gen.validSample(prop, p.patch.seed + 1);
        if (sample !== undefined) value = sample;
      }
    }
    const path = `/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
    return { type: "application/json-patch+json", text: JSON.stringify([{ op: "replace", path, value }]) };
  }

  /**
   * Sends `p`; returns the answer and a one-line description of the request. `as` sends it with
   * another bearer token (`null`: none) instead of the planned caller's — the stamp test's principals.
   */
  async send(p: Planned, as?: { token: string | null }): Promise<{ answer: Answer; request: string }> {
    let token: string | undefined;
    let planned = p;
    if (p.victim && p.kind === "valid") {
      const v = await victim(this.app, this.catalog, p.op.id);
      if (v) {
        token = v.token;
        const path = { ...p.path };
        for (const [k, val] of Object.entries(v.params)) path[k] = encodeSegment(val);
        let body = p.body;
        if (v.body && body) body = { ...body, text: JSON.stringify({ ...JSON.parse(body.text), ...v.body }) };
        planned = { ...p, path, body };
      }
    }
    const url = this.url(planned);
    const body = await this.patchBody(planned, url);
    const headers: Record<string, string> = { ...planned.headers };
    const bearer = as ? (as.token ?? undefined) : this.token(planned, token);
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (body) headers["Content-Type"] = body.type;
    const res = await this.app.request(url, { method: p.op.method, headers, body: body?.text });
    const text = await res.text();
    const request = `${p.op.method} ${url}${body ? ` ${clip(body.text, 160)}` : ""} [${p.caller}]`;
    return { answer: { status: res.status, headers: res.headers, text }, request };
  }
}

const mediaTypeOf = (h: Headers) => (h.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";

/**
 * Rules JSON Schema cannot state, by operation (each is in its schema's description): a
 * VALIDATION_FAILED of a schema-valid request is excused when every field error it lists is one of
 * these locations.
 */
export const INEXPRESSIBLE: Record<string, RegExp> = {
  // `required` names only defined properties; each `default` passes its property's schema; the
  // document checks sub-schemas one level deep, the server all the way down.
  ...Object.fromEntries(
    ["createBlueprint", "updateBlueprint", "checkBlueprintImpact"].map((id) => [
      id,
      /^json\.schema(\.required|\.properties\.[^.]+(\.default|\..+\..+)|)$/,
    ]),
  ),
  // Level names and thresholds are unique.
  setScoreLevels: /^json\.levels\.\d+\.(name|min_score)$/,
  // Ranges do not overlap and lo < hi; conditions nest at most 6 deep and one relationship hop.
  createScoringPolicy: /^json\.(range_score_map\..+|condition(\..+)?)$/,
  updateScoringPolicy: /^json\.(range_score_map\..+|condition(\..+)?)$/,
  // A webhook URL must be https to a host that is (and resolves to) a public address (SSRF).
  createSubscription: /^json\.url$/,
  updateSubscription: /^json\.url$/,
  // Rules: CEL must parse and each action's config has its own keys; the service account must be a
  // member of the organization; a generic webhook names its identifier source.
  createWebhook: /^json\.(rules\..+|service_account|identifier_source)$/,
};

/** Checks one answer against the document and the request's class. */
export function check(checker: SchemaChecker, p: Planned, a: Answer, request: string): Finding[] {
  const out: Finding[] = [];
  const op = p.op;
  let problemCode = "";
  let detail = "";
  let parsed: unknown;
  if (a.text.length > 0) {
    try {
      parsed = JSON.parse(a.text);
      if (parsed && typeof parsed === "object") {
        problemCode = String((parsed as { code?: unknown }).code ?? "");
        detail = String((parsed as { detail?: unknown }).detail ?? "");
      }
    } catch {
      parsed = undefined;
    }
  }
  const add = (rule: string, d = detail) =>
    out.push({ op: op.id, kind: p.kind, rule, status: a.status, request, detail: clip(`${d} (${p.how})`) });

  if (a.status >= 500) add(`5xx ${problemCode}`);
  const documented = op.responses[String(a.status)] ?? op.responses.default;
  if (!documented) add(`undocumented status ${a.status}`);
  else {
    const types = Object.keys(documented);
    const type = mediaTypeOf(a.headers);
    if (types.length === 0) {
      if (a.text.length > 0) add(`body on bodiless ${a.status}`, clip(a.text, 120));
    } else if (!types.includes(type))
      add(`content type ${type || "(none)"} for ${a.status}, documented ${types.join("|")}`);
    else {
      const schema = documented[type] ?? {};
      const err = parsed === undefined ? "not JSON" : checker.error(schema, parsed);
      if (err) add(`response ${a.status} does not match its schema`, err);
    }
  }
  if (a.status === 201 && !a.headers.get("location")) add("201 without Location");
  switch (p.kind) {
    case "valid":
      if (a.status === 400 && problemCode === "VALIDATION_FAILED" && !excused(op.id, parsed))
        add("schema-valid request rejected (VALIDATION_FAILED)");
      if (a.status === 401 || a.status === 403) add(`administrator got ${a.status}`);
      break;
    case "invalid":
    case "malformed":
      if (a.status < 400 || a.status >= 500) add(`${p.kind} request answered ${a.status}`);
      break;
    case "poison":
      // A lone surrogate cannot be percent-encoded as UTF-8: in a URL it arrives as an undecodable
      // escape, which the server keeps as literal text; only a 5xx is wrong there.
      if (a.status !== 400 && !p.how.includes("undecodable")) add(`poison answered ${a.status}, not 400`);
      break;
    case "unauthenticated":
      if (a.status !== 401) add(`unauthenticated answered ${a.status}, not 401`);
      else if (!a.headers.get("www-authenticate")) add("401 without WWW-Authenticate");
      break;
    case "forbidden":
      // Global reads may answer a filtered (possibly empty) result; everything else must refuse.
      if (
        a.status >= 200 &&
        a.status < 300 &&
        (op.path.includes("{org}") || !op.permission.every((x) => x.endsWith(":read")))
      )
        add(`caller without ${op.permission.join("|")} answered ${a.status}`);
      break;
  }
  return out;
}

function excused(opId: string, problem: unknown): boolean {
  const rule = INEXPRESSIBLE[opId];
  const errors = (problem as { errors?: { location: string }[] } | undefined)?.errors ?? [];
  return rule !== undefined && errors.length > 0 && errors.every((e) => rule.test(e.location));
}

/** Groups findings by operation, class and rule; one example each. */
export function report(findings: Finding[]): string {
  const groups = new Map<string, { n: number; first: Finding }>();
  for (const f of findings) {
    const key = `${f.op} · ${f.kind} · ${f.rule}`;
    const g = groups.get(key);
    if (g) g.n++;
    else groups.set(key, { n: 1, first: f });
  }
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, g]) => `${g.n}× ${key}\n    ${g.first.status} ← ${g.first.request}\n    ${g.first.detail}`)
    .join("\n");
}
