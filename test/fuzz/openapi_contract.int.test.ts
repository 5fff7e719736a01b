// The served /openapi.json and the server agree on the rules issue 8 (item 7) found unstated: for
// each case the document's verdict (a JSON Schema check of the request against the live document)
// must equal the server's (accepted, or refused with a 400). The fuzz test explores at random; these
// pin the named rules, so each fails if either side drifts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../harness/app.ts";
import { type JsonSchema, type OpenApiDoc, operationsOf, SchemaChecker } from "./doc.ts";

let app: TestApp;
const org = "acme";
let projectId = "";

beforeAll(async () => {
  app = await startTestApp({ analytics: "embedded", kv: "memory" });
  await app.org(org);
  const api = (m: string, p: string, b?: unknown) => app.json(m, p, b, app.adminToken);
  await api("POST", `/api/organizations/${org}/teams`, { slug: "platform", name: "Platform" });
  await api("POST", `/api/organizations/${org}/project-types`, { slug: "http-api", name: "HTTP API" });
  const p = await api("POST", `/api/organizations/${org}/projects`, {
    slug: "billing",
    name: "Billing",
    team: "platform",
    project_types: ["http-api"],
  });
  projectId = ((await p.json()) as { id: string }).id;
}, 120_000);
afterAll(() => app?.stop());

async function liveDoc(): Promise<{ doc: OpenApiDoc; checker: SchemaChecker }> {
  const doc = (await (await app.request("/openapi.json")).json()) as OpenApiDoc;
  return { doc, checker: new SchemaChecker(doc) };
}

/** The JSON body schema of an operation in the live document. */
async function bodySchema(
  operationId: string,
  type = "application/json",
): Promise<{ schema: JsonSchema; checker: SchemaChecker }> {
  const { doc, checker } = await liveDoc();
  const op = operationsOf(doc).find((o) => o.id === operationId);
  const schema = op?.body?.content[type];
  if (!schema) throw new Error(`${operationId} has no ${type} body`);
  return { schema, checker };
}

/**
 * Sends a body and returns whether the server accepted it (2xx) or refused it (400, with the
 * locations of the failing fields, so a refusal for an unrelated reason cannot pass for the rule).
 */
async function serverAccepts(method: string, path: string, body: unknown, type: string) {
  const res = await app.request(path, {
    method,
    headers: { Authorization: `Bearer ${app.adminToken}`, "Content-Type": type },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 400 && (res.status < 200 || res.status >= 300))
    throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  const errors =
    res.status === 400 ? ((JSON.parse(text) as { errors?: { location: string }[] }).errors ?? []) : [];
  return { accepted: res.status !== 400, where: errors.map((e) => e.location).join(" ") || text };
}

/** Asserts the document and the server give the same verdict on `body`, and that it is `expected`. */
async function agree(
  operationId: string,
  method: string,
  path: string,
  body: unknown,
  expected: boolean,
  type = "application/json",
  /** For a refusal: the failing location the rule names (e.g. /json\.schema/). */
  field?: RegExp,
) {
  const { schema, checker } = await bodySchema(operationId, type);
  const documented = checker.valid(schema, body);
  const { accepted, where } = await serverAccepts(method, path, body, type);
  expect({ body, documented, accepted }).toEqual({ body, documented: expected, accepted: expected });
  if (!expected && field) expect(where).toMatch(field);
}

describe("the document states what the server enforces", () => {
  it("JSON Patch: value for add/replace/test, pointers start with /", async () => {
    const path = `/api/organizations/${org}/teams/platform`;
    const patch = "application/json-patch+json";
    await agree("updateTeam", "PATCH", path, [{ op: "replace", path: "/name" }], false, patch);
    await agree("updateTeam", "PATCH", path, [{ op: "replace", path: "name", value: "X" }], false, patch);
    await agree("updateTeam", "PATCH", path, [{ op: "move", path: "/name" }], false, patch);
    await agree(
      "updateTeam",
      "PATCH",
      path,
      [{ op: "replace", path: "/name", value: "Platform" }],
      true,
      patch,
    );
  });

  it("create bodies: unknown fields only where a blueprint defines them (null unsets)", async () => {
    const path = `/api/organizations/${org}/teams`;
    await agree("createTeam", "POST", path, { slug: "t-one", name: "One", cost_centre: "CC-1" }, false);
    const bp = await app.json(
      "POST",
      "/api/blueprints",
      {
        slug: "team-costs",
        name: "Team costs",
        kind: "node",
        type: "Team",
        schema: { type: "object", properties: { cost_centre: { type: "string", maxLength: 16 } } },
      },
      app.adminToken,
    );
    expect(bp.status).toBe(201);
    await agree("createTeam", "POST", path, { slug: "t-two", name: "Two", cost_centre: "CC-2" }, true);
    await agree("createTeam", "POST", path, { slug: "t-three", name: "Three", cost_centre: null }, true);
    await agree("createTeam", "POST", path, { slug: "t-four", name: "Four", cost_centre: 7 }, false);
    await agree("createTeam", "POST", path, { slug: "t-five", name: "Five", other: "x" }, false);
  });

  it("email addresses: the pattern is the server's rule", async () => {
    for (const [email, ok] of [
      ["a..b@example.com", false],
      [".a@example.com", false],
      ["a@example.c", false],
      ["o'brien+tag@example.co.uk", true],
    ] as const)
      await agree("createUser", "POST", "/api/users", { email, display_name: "X" }, ok);
  });

  it("passwords: the configured policy is in the document", async () => {
    const body = (password: string, n: number) => ({
      email: `p${n}@example.com`,
      display_name: "P",
      password,
    });
    await agree("createUser", "POST", "/api/users", body("short", 1), false);
    await agree("createUser", "POST", "/api/users", body("alllowercase-but-long-1", 2), false);
    await agree("createUser", "POST", "/api/users", body("Long-Enough-Passw0rd", 3), true);
  });

  it("instants: seconds and an offset are required, and the year is 1970..2099", async () => {
    const entry = (occurred_at: string) => ({
      project_id: projectId,
      environment_slug: "production",
      entry_type: "Deployed",
      description: "Deployed",
      occurred_at,
    });
    await app.json(
      "POST",
      `/api/organizations/${org}/environments`,
      { slug: "production", name: "Production" },
      app.adminToken,
    );
    for (const [at, ok] of [
      ["1969-12-31T23:59:59Z", false],
      ["2100-01-01T00:00:00Z", false],
      ["2024-05-01T12:00Z", false],
      ["2024-05-01T12:00:00+01:00", true],
    ] as const)
      await agree("createOperationEntry", "POST", "/api/operations-log", entry(at), ok);
  });

  it("scoring policies: exactly one map, key syntax, operator and value", async () => {
    const base = { name: "Lang", category: "attribute", attribute_name: "language" };
    const path = "/api/scoring/policies";
    await agree("createScoringPolicy", "POST", path, { ...base, slug: "p1" }, false);
    await agree(
      "createScoringPolicy",
      "POST",
      path,
      { ...base, slug: "p2", value_score_map: { go: 100 }, range_score_map: { "0..1": 1 } },
      false,
    );
    await agree(
      "createScoringPolicy",
      "POST",
      path,
      { ...base, slug: "p3", range_score_map: { "1-2": 1 } },
      false,
    );
    await agree("createScoringPolicy", "POST", path, { ...base, slug: "p4", value_score_map: {} }, false);
    await agree(
      "createScoringPolicy",
      "POST",
      path,
      { ...base, slug: "p5", value_score_map: { go: 100 } },
      true,
    );
    const condition = (c: object) => ({ slug: "c1", name: "C", category: "condition", condition: c });
    await agree(
      "createScoringPolicy",
      "POST",
      path,
      condition({ type: "attribute", attribute: "tier", op: "present", value: 1 }),
      false,
    );
    await agree(
      "createScoringPolicy",
      "POST",
      path,
      condition({ type: "attribute", attribute: "tier", op: "in", value: 1 }),
      false,
    );
  });

  it("rescore: exactly one target", async () => {
    const path = "/api/scoring/rescore";
    await agree("rescoreProjects", "POST", path, { policy: "p5", project_type: "http-api" }, false);
    await agree("rescoreProjects", "POST", path, {}, false);
    await agree("rescoreProjects", "POST", path, { project_id: projectId }, false);
    await agree("rescoreProjects", "POST", path, { all: true, policy: "p5" }, false);
    await agree("rescoreProjects", "POST", path, { all: false, policy: "p5" }, true);
    await agree("rescoreProjects", "POST", path, { organization: org, project_id: projectId }, true);
  });

  it("blueprints: node vs relationship, and an object schema of attribute properties", async () => {
    const schema = { type: "object", properties: { tier: { type: "integer" } } };
    const path = "/api/blueprints";
    let n = 0;
    const bp = (b: object) => ({ slug: `bp-${++n}`, name: "B", enabled: false, schema, ...b });
    const json = "application/json";
    await agree(
      "createBlueprint",
      "POST",
      path,
      bp({ kind: "node", type: "Project", source: "Project" }),
      false,
    );
    await agree(
      "createBlueprint",
      "POST",
      path,
      bp({ kind: "relationship", source: "Project", edge: "DEPLOYED_IN" }),
      false,
    );
    await agree(
      "createBlueprint",
      "POST",
      path,
      bp({ kind: "node", type: "Project", schema: { type: "object" } }),
      false,
    );
    await agree(
      "createBlueprint",
      "POST",
      path,
      bp({ kind: "node", type: "Project", schema: { type: "object", properties: { slug: {} } } }),
      false,
      json,
      /json\.schema\.properties\.slug/,
    );
    for (const extra of [{ title: 5 }, { examples: null }, { description: ["x"] }])
      await agree(
        "createBlueprint",
        "POST",
        path,
        bp({ kind: "node", type: "Project", schema: { ...schema, ...extra } }),
        false,
        json,
        /json\.schema\.(title|examples|description)/,
      );
    await agree("createBlueprint", "POST", path, bp({ kind: "node", type: "Project" }), true);
  });

  it("link definitions: url_template is an absolute http(s) URL with known placeholders", async () => {
    const path = `/api/organizations/${org}/link-definitions`;
    const link = (slug: string, url_template: string) => ({ slug, name: slug, url_template });
    await agree("createLinkDefinition", "POST", path, link("l-rel", "/repos/{slug}"), false);
    await agree("createLinkDefinition", "POST", path, link("l-ftp", "ftp://x.example.com/{slug}"), false);
    await agree(
      "createLinkDefinition",
      "POST",
      path,
      link("l-unknown", "https://x.example.com/{team}"),
      false,
    );
    await agree(
      "createLinkDefinition",
      "POST",
      path,
      link("l-ok", "https://{org}.example.com:8443/r/{slug}?id={id}"),
      true,
    );
  });

  it("every operation has request examples its own schemas accept", async () => {
    const { doc, checker } = await liveDoc();
    const bad: string[] = [];
    for (const op of operationsOf(doc)) {
      for (const p of op.parameters)
        if (p.example === undefined || !checker.valid(p.schema, p.example)) bad.push(`${op.id} ${p.name}`);
      for (const [type, schema] of Object.entries(op.body?.content ?? {})) {
        const examples = op.body?.examples[type] ?? [];
        if (examples.length === 0 || !examples.every((e) => checker.valid(schema, e)))
          bad.push(`${op.id} ${type}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
