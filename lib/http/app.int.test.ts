// What every route gets from the app factory (lib/http/app.ts, lib/http/route_guards.ts, lib/text.ts), checked
// through the full router over real stores: unstorable text is a 400 naming the field wherever it
// enters, the caller is authenticated before the input is judged, unknown methods are 405s, and the
// messages say what to send.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { encodeOpaque } from "../pagination.ts";
import { ProblemSchema } from "./problem.ts";

let app: TestApp;
let projectId = "";
const ORG = "/api/organizations/default";

beforeAll(async () => {
  app = await startTestApp({ kv: "memory" });
  // A `language` attribute, so a filter on it reaches the database instead of being refused unknown.
  const bp = await app.json(
    "POST",
    "/api/blueprints",
    {
      kind: "node",
      type: "Project",
      slug: "basics",
      name: "Basics",
      schema: { type: "object", properties: { language: { type: "string" } } },
    },
    app.adminToken,
  );
  expect(bp.status).toBe(201);
  const t = await app.json("POST", `${ORG}/teams`, { slug: "core", name: "Core" }, app.adminToken);
  expect(t.status).toBe(201);
  const pt = await app.json("POST", `${ORG}/project-types`, { slug: "api", name: "API" }, app.adminToken);
  expect(pt.status).toBe(201);
  for (const [slug, name] of [
    ["zurich", "Zürich ledger"],
    ["aarhus", "Århus billing"],
    ["osaka", "大阪 gateway"],
  ]) {
    const res = await app.json(
      "POST",
      `${ORG}/projects`,
      { slug, name, team: "core", project_types: ["api"] },
      app.adminToken,
    );
    expect(res.status).toBe(201);
    if (slug === "zurich") projectId = ((await res.json()) as { id: string }).id;
  }
});
afterAll(() => app?.stop());

async function problem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return ProblemSchema.parse(await res.json());
}

/** GET as the admin, or anonymously with `token: null`. */
const get = (path: string, token: string | null = app.adminToken) =>
  app.request(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

describe("text that cannot be stored is a 400 naming the field", () => {
  // Raw JSON text, so a lone surrogate survives exactly as a client would send it.
  const send = (method: string, path: string, raw: string, type = "application/json") =>
    app.request(path, {
      method,
      headers: { "Content-Type": type, Authorization: `Bearer ${app.adminToken}` },
      body: raw,
    });

  it.each([
    ["NUL", '"Core\\u0000team"', "U+0000"],
    ["a lone high surrogate", '"Core\\ud800team"', "unpaired UTF-16 surrogate"],
    ["a lone low surrogate", '"\\udc00"', "unpaired UTF-16 surrogate"],
  ])("in a body field (%s)", async (_what, value, says) => {
    const res = await send("POST", `${ORG}/teams`, `{"slug": "nul-team", "name": ${value}}`);
    const body = await problem(res, 400);
    expect(body.code).toBe("VALIDATION_FAILED");
    expect(body.errors).toEqual([{ location: "json.name", message: expect.stringContaining(says) }]);
    expect((await get(`${ORG}/teams/nul-team`)).status).toBe(404);
  });

  it("in a JSON Patch value, nested in an object", async () => {
    const res = await send(
      "PATCH",
      `${ORG}/projects/${projectId}`,
      '[{"op": "add", "path": "/description", "value": {"deep": ["ok", "bad\\u0000"]}}]',
      "application/json-patch+json",
    );
    const body = await problem(res, 400);
    expect(body.errors?.[0]?.location).toBe("json.0.value.deep.1");
  });

  it("in an object key", async () => {
    const res = await send("POST", `${ORG}/teams`, '{"slug": "keyed", "name": "K", "\\u0000x": 1}');
    const body = await problem(res, 400);
    expect(body.errors?.[0]?.message).toContain("U+0000");
  });

  it.each([
    [`${ORG}/projects/%00`, "param.id"],
    [`${ORG}/teams/core%00`, "param.team"],
    [`${ORG}/search?q=a%00b`, "query.q"],
    [`${ORG}/teams?q=%00`, "query.q"],
    [`${ORG}/projects?filter=language:eq:a%00`, "query.filter"],
    [`${ORG}/graph?team=co%00re`, "query.team"],
  ])("in %s", async (path, location) => {
    const body = await problem(await get(path), 400);
    expect(body.errors?.[0]?.location).toMatch(new RegExp(`^${location.replace(".", "\\.")}`));
  });

  it("in a crafted cursor", async () => {
    for (const cursor of [encodeOpaque({ s: "core\u0000" }), encodeOpaque({ s: "\ud800" })]) {
      const body = await problem(await get(`${ORG}/teams?cursor=${cursor}`), 400);
      expect(body.detail).toContain("cursor is invalid");
      expect(body.errors?.[0]?.location).toBe("query.cursor");
    }
  });
});

describe("cursors carry any Unicode", () => {
  it.each(["name", "-name"])("pages projects sorted by non-Latin-1 names (sort=%s)", async (sort) => {
    const names: string[] = [];
    const base = `${ORG}/projects?sort=${sort}&limit=1&fields=name`;
    let url = base;
    for (let i = 0; i < 5 && url; i++) {
      const res = await get(url);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { data: { name: string }[]; next_cursor: string | null };
      names.push(...page.data.map((p) => p.name));
      url = page.next_cursor ? `${base}&cursor=${page.next_cursor}` : "";
    }
    const all = ["Zürich ledger", "Århus billing", "大阪 gateway"].sort();
    expect(names).toEqual(sort === "name" ? all : all.reverse());
  });
});

describe("authentication comes before validation", () => {
  it("an anonymous bad body is a 401, not a list of fields", async () => {
    const res = await app.json("POST", `${ORG}/teams`, { slug: 5 });
    const body = await problem(res, 401);
    expect(body.errors).toBeUndefined();
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("an anonymous bad query or path is a 401", async () => {
    await problem(await get(`${ORG}/projects?limit=-4&nonsense=1`, null), 401);
    await problem(await get("/api/organizations/NOT_A_SLUG/teams", null), 401);
  });

  it("an authenticated bad body is still a 400 listing the fields", async () => {
    const body = await problem(await app.json("POST", `${ORG}/teams`, { slug: 5 }, app.adminToken), 400);
    expect(body.errors?.map((e) => e.location)).toEqual(["json.slug", "json.name"]);
  });
});

describe("methods", () => {
  it("an unsupported method on a known path is a 405 with Allow", async () => {
    const res = await app.request("/status", { method: "PUT" });
    const body = await problem(res, 405);
    expect(body.code).toBe("METHOD_NOT_ALLOWED");
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });

  it("lists every method of a path with parameters", async () => {
    const res = await app.request(`${ORG}/teams/core`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${app.adminToken}` },
    });
    await problem(res, 405);
    expect(res.headers.get("allow")).toBe("DELETE, GET, HEAD, PATCH");
  });

  it("an unknown path is still a 404", async () => {
    const body = await problem(await app.request("/api/nothing-here", { method: "PUT" }), 404);
    expect(body.code).toBe("NOT_FOUND");
  });
});

describe("messages that say what to send", () => {
  it("a missing field is 'Required'", async () => {
    const body = await problem(await app.json("POST", `${ORG}/teams`, { slug: "xy" }, app.adminToken), 400);
    expect(body.errors).toEqual([{ location: "json.name", message: "Required (string)" }]);
  });

  it("a PATCH with an object explains JSON Patch with an example", async () => {
    const res = await app.json("PATCH", `${ORG}/teams/core`, { name: "Renamed" }, app.adminToken);
    const body = await problem(res, 400);
    expect(body.detail).toContain("JSON Patch document");
    expect(body.detail).toContain('"op": "replace"');
  });

  it("a 415 names the accepted content types and what was sent", async () => {
    const res = await app.request(`${ORG}/teams/core`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${app.adminToken}`, "Content-Type": "text/plain" },
      body: "name=x",
    });
    const body = await problem(res, 415);
    expect(body.detail).toContain("application/json-patch+json or application/json");
    expect(body.detail).toContain("'text/plain'");
  });
});
