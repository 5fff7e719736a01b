// The project and dependency verbs through a door other than HTTP (as an MCP tool, a webhook action
// or the CLI calls them): a context of an actor and an organization, no route in between. The verb
// alone refuses what the actor may not do, and records the change (events naming the actor) and
// asks for the rescore, so no door can forget either.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { body, seedCatalog } from "../../test/harness/catalog.ts";
import { type Actor, ANONYMOUS, sessionUser, systemActor } from "../core/actor.ts";
import { type Ctx, createCtx } from "../core/ctx.ts";
import type { MemoryScoreQueue } from "../scoring/queue_memory.ts";
import { createRelationship, deleteRelationship, listRelationships } from "./dependency_verbs.ts";
import {
  archiveProject,
  createProject,
  deleteProject,
  getProject,
  listProjects,
  updateProject,
  updateProjectEnvironment,
} from "./project_verbs.ts";

let app: TestApp;
let orgId = "";
const developer = sessionUser("dev@acme.test", false, "session-dev");
const reader = sessionUser("reader@acme.test", false, "session-reader");

beforeAll(async () => {
  // No score consumer: what the verbs enqueue stays in the queue, to be counted.
  app = await startTestApp({ kv: "memory", analytics: "embedded", scores: { consumer: false } });
  orgId = await seedCatalog(app, "acme");
  await seedCatalog(app, "other");
  await app.user(developer.id, [{ org: "acme", role: "developer" }]);
  await app.user(reader.id, [{ org: "acme", role: "readonly" }]);
});
afterAll(() => app?.stop());

const ctxOf = (actor: Actor, org: { slug: string; id: string | null } = { slug: "acme", id: orgId }): Ctx =>
  createCtx({ services: app.services, actor, org });

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail("the verb did not refuse"),
    (e: unknown) => e,
  );

/** The change events recorded for a project. */
async function eventsOf(id: string): Promise<{ action: string; field: string; principal: string }[]> {
  await app.drain();
  return (await app.analytics.listEvents({ organization: "acme", entity_id: id, limit: 200 })).data;
}

let queued = 0;
/** How many rescore requests the verbs added to the queue since the last call. */
async function enqueued(): Promise<number> {
  await app.drain();
  const n = (app.scores as MemoryScoreQueue).size() - queued;
  queued += n;
  return n;
}

describe("project verbs, called without HTTP", () => {
  it("refuse an actor without the permission in the organization, and an anonymous one", async () => {
    expect(await refusal(createProject(ctxOf(reader), body({ slug: "refused" })))).toMatchObject({
      code: "FORBIDDEN",
      message: "Permission denied: project:create is required in organization 'acme'.",
    });
    // The developer's role is in acme: it grants nothing in another organization.
    const other = await app.db.graph.one<{ id: string }>(
      "MATCH (o:Organization {slug: 'other'}) RETURN o.id",
      {},
      ["id"],
    );
    expect(
      await refusal(listProjects(ctxOf(developer, { slug: "other", id: other?.id ?? null }), { limit: 10 })),
    ).toMatchObject({ code: "FORBIDDEN" });
    expect(await refusal(getProject(ctxOf(ANONYMOUS), { id: "payments-api" }))).toMatchObject({
      code: "UNAUTHENTICATED",
    });
  });

  it("answer 404 for an organization that does not exist, after authorizing", async () => {
    const admin = sessionUser("admin@imbi.test", true, "session-admin");
    expect(
      await refusal(listProjects(ctxOf(admin, { slug: "nowhere", id: null }), { limit: 10 })),
    ).toMatchObject({
      code: "NOT_FOUND",
      message: "No organization with slug 'nowhere'.",
    });
  });

  it("record each write as events naming the actor, and ask for the rescore", async () => {
    const ctx = ctxOf(developer);
    const created = await createProject(ctx, body({ slug: "verb-made", description: undefined }));
    expect(created).toMatchObject({ slug: "verb-made", description: "", links: {}, identifiers: {} });
    expect(await enqueued()).toBe(1);
    const updated = await updateProject(ctx, {
      id: "verb-made",
      patch: [{ op: "replace", path: "/name", value: "Made by a verb" }],
    });
    expect(updated.name).toBe("Made by a verb");
    await updateProjectEnvironment(ctx, {
      id: created.id,
      env: "staging",
      change: { url: "https://s.example" },
    });
    expect((await archiveProject(ctx, { id: created.id })).archived).toBe(true);
    expect(await enqueued()).toBe(3);
    const events = await eventsOf(created.id);
    expect(new Set(events.map((e) => e.principal))).toEqual(new Set([developer.id]));
    expect(
      events
        .filter((e) => e.action === "updated")
        .map((e) => e.field)
        .sort(),
    ).toEqual(["archived", "environments", "name"]);
  });

  it("refuse a stale If-Match with 412 and leave the project as it was", async () => {
    const ctx = ctxOf(developer);
    const { project } = await getProject(ctx, { id: "verb-made" });
    expect(
      await refusal(
        updateProject(ctx, {
          id: project.id,
          patch: [{ op: "replace", path: "/name", value: "x" }],
          ifMatch: '"stale"',
        }),
      ),
    ).toMatchObject({ code: "PRECONDITION_FAILED" });
    expect((await getProject(ctx, { id: project.id })).project.name).toBe(project.name);
  });

  it("add and remove dependencies by slug, rescoring the source once per change", async () => {
    const ctx = ctxOf(developer);
    const target = await createProject(ctx, body({ slug: "verb-target" }));
    await enqueued();
    const first = await createRelationship(ctx, { id: "verb-made", targetId: "verb-target" });
    expect(first).toMatchObject({ created: true, target: { id: target.id } });
    expect(await enqueued()).toBe(1);
    expect((await createRelationship(ctx, { id: "verb-made", targetId: target.id })).created).toBe(false);
    expect(await enqueued()).toBe(0);
    expect((await listRelationships(ctx, { id: "verb-made" })).counts).toEqual({ outbound: 1, inbound: 0 });
    await deleteRelationship(ctx, { id: "verb-made", targetId: "verb-target" });
    expect(await enqueued()).toBe(1);
    expect((await listRelationships(ctx, { id: "verb-made" })).counts).toEqual({ outbound: 0, inbound: 0 });
  });

  it("delete as Imbi itself (the CLI's actor), recorded under its name", async () => {
    const cli = ctxOf(systemActor("imbi-cli"));
    const { project } = await getProject(cli, { id: "verb-target" });
    await deleteProject(cli, { id: project.id });
    const events = await eventsOf(project.id);
    expect(events.filter((e) => e.action === "deleted").map((e) => e.principal)).toEqual(["imbi-cli"]);
    expect(await refusal(getProject(cli, { id: project.id }))).toMatchObject({ code: "NOT_FOUND" });
  });
});
