// The environment, project-type and link-definition verbs called without any HTTP door, as an MCP
// tool, a webhook action or a CLI command would call them: they authorize the actor in the
// organization of the context themselves, and every write leaves its audit row naming the actor.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { type Actor, ANONYMOUS, sessionUser } from "../core/actor.ts";
import { createCtx } from "../core/ctx.ts";
import * as environments from "./environment_verbs.ts";
import * as linkDefinitions from "./link_definition_verbs.ts";
import { resolveOrg } from "./org.ts";
import * as projectTypes from "./project_type_verbs.ts";

// Organization slugs of this file only: audit rows are read back by organization from the ClickHouse
// database every test file of the run shares.
const ORG = "verbs-acme";

let app: TestApp;
let acme: { id: string; slug: string };
const ops = sessionUser("ops@acme.test", false, "s-ops"); // admin role in acme
const reader = sessionUser("reader@acme.test", false, "s-reader"); // readonly role in acme
const outsider = sessionUser("ops@other.test", false, "s-out"); // admin role in other only

beforeAll(async () => {
  app = await startTestApp({ kv: "memory" });
  await app.org(ORG);
  await app.org("verbs-other");
  await app.user(ops.id, [{ org: ORG, role: "admin" }]);
  await app.user(reader.id, [{ org: ORG, role: "readonly" }]);
  await app.user(outsider.id, [{ org: "verbs-other", role: "admin" }]);
  acme = await resolveOrg(app.db.graph, ORG);
});
afterAll(() => app?.stop());

const ctx = (actor: Actor, org: { slug: string; id: string | null } = acme) =>
  createCtx({ services: app.services, actor, org, requestId: "req_verbs" });
const code = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code ?? String(e),
  );

const audit = async (event: string) => {
  await app.drain();
  return (await app.analytics.listAudit({ event, organization: ORG, limit: 10 })).data;
};

describe("catalog verbs without a door", () => {
  it("create, update and delete each write an audit row naming the context's actor", async () => {
    await environments.createEnvironment(ctx(ops), { slug: "prod", name: "Prod" });
    await environments.updateEnvironment(ctx(ops), {
      environment: "prod",
      patch: [{ op: "replace", path: "/slug", value: "production" }],
    });
    await environments.deleteEnvironment(ctx(ops), { environment: "production", cascade: false });
    await projectTypes.createProjectType(ctx(ops), { slug: "api", name: "API" });
    await projectTypes.updateProjectType(ctx(ops), {
      project_type: "api",
      patch: [{ op: "replace", path: "/deployable", value: true }],
    });
    await projectTypes.deleteProjectType(ctx(ops), { project_type: "api" });
    const github = { slug: "github", name: "GitHub", url_template: "https://github.com/acme/{slug}" };
    await linkDefinitions.createLinkDefinition(ctx(ops), github);
    await linkDefinitions.updateLinkDefinition(ctx(ops), {
      link_definition: "github",
      patch: [{ op: "replace", path: "/name", value: "GitHub repo" }],
    });
    await linkDefinitions.deleteLinkDefinition(ctx(ops), { link_definition: "github" });

    for (const [event, subject] of [
      ["environment_created", "prod"],
      ["environment_updated", "production"],
      ["environment_deleted", "production"],
      ["project_type_created", "api"],
      ["project_type_updated", "api"],
      ["project_type_deleted", "api"],
      ["link_definition_created", "github"],
      ["link_definition_updated", "github"],
      ["link_definition_deleted", "github"],
    ] as const)
      expect(await audit(event)).toMatchObject([
        { event, actor: ops.id, organization: ORG, subject, request_id: "req_verbs" },
      ]);
  });

  it("refuse an actor without the permission in the context's organization, and write nothing", async () => {
    const creates = [
      (c: ReturnType<typeof ctx>) => environments.createEnvironment(c, { slug: "qa", name: "QA" }),
      (c: ReturnType<typeof ctx>) => projectTypes.createProjectType(c, { slug: "lib", name: "Library" }),
      (c: ReturnType<typeof ctx>) =>
        linkDefinitions.createLinkDefinition(c, {
          slug: "docs",
          name: "Docs",
          url_template: "https://docs.example.com/{slug}",
        }),
    ];
    for (const create of creates) {
      expect(await code(create(ctx(ANONYMOUS)))).toBe("UNAUTHENTICATED");
      expect(await code(create(ctx(reader)))).toBe("FORBIDDEN");
      expect(await code(create(ctx(outsider)))).toBe("FORBIDDEN");
    }
    const page = { limit: 10 };
    expect(await code(environments.listEnvironments(ctx(outsider), page))).toBe("FORBIDDEN");
    expect(await code(projectTypes.listProjectTypes(ctx(outsider), page))).toBe("FORBIDDEN");
    expect(await code(linkDefinitions.listLinkDefinitions(ctx(outsider), page))).toBe("FORBIDDEN");
    expect((await environments.listEnvironments(ctx(reader), page)).data).toEqual([]);
    expect((await audit("environment_created")).map((r) => r.subject)).toEqual(["prod"]);
  });

  it("authorize before answering that the organization does not exist", async () => {
    const ghost = { slug: "ghost", id: null };
    expect(await code(environments.getEnvironment(ctx(reader, ghost), { environment: "x" }))).toBe(
      "FORBIDDEN",
    );
    const root = sessionUser("root@imbi.test", true, "s-root");
    expect(await code(environments.getEnvironment(ctx(root, ghost), { environment: "x" }))).toBe("NOT_FOUND");
  });
});
