// The operations-log and event verbs called without any HTTP door. Where the caller names no
// organization (an entry by id, a new entry for a project) the verb finds it in the data and
// requires the permission there; the list without `organization` and the global event feed need a
// global grant: the is_admin flag, or a role held in the system organization.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { seedEnvironment, seedProject } from "../../test/harness/oplog_seed.ts";
import { resolveOrg } from "../catalog/org.ts";
import { type Actor, sessionUser } from "../core/actor.ts";
import { createCtx } from "../core/ctx.ts";
import { createRole } from "../identity/roles.ts";
import {
  createOperationEntry,
  deleteOperationEntry,
  getOperationEntry,
  getOperationMetrics,
  listOperationEntries,
  listProjectOperationEntries,
  updateOperationEntry,
} from "./entry_verbs.ts";
import { listEvents, listProjectEvents } from "./event_verbs.ts";

// Organization slugs of this file only: the entries are read back from the ClickHouse database
// every test file of the run shares.
const A = "opverbs-a";
const B = "opverbs-b";
const SYSTEM = "default"; // IMBI_SYSTEM_ORGANIZATION of the test app

let app: TestApp;
let projectA: string;
let projectB: string;
const opsA = sessionUser("ops@opverbs-a.test", false, "s1"); // admin role in A
const opsB = sessionUser("ops@opverbs-b.test", false, "s2"); // admin role in B only
const auditor = sessionUser("auditor@opverbs.test", false, "s3"); // operations_log:read in the system org

beforeAll(async () => {
  app = await startTestApp({ kv: "memory" });
  for (const org of [A, B]) {
    await app.org(org);
    await seedEnvironment(app.db.graph, org, "production");
  }
  projectA = await seedProject(app.db.graph, A, "api");
  projectB = await seedProject(app.db.graph, B, "api");
  await app.user(opsA.id, [{ org: A, role: "admin" }]);
  await app.user(opsB.id, [{ org: B, role: "admin" }]);
  await createRole(app.db.graph, {
    slug: "oplog-auditor",
    name: "Auditor",
    permissions: ["operations_log:read"],
  });
  await app.user(auditor.id, [{ org: SYSTEM, role: "oplog-auditor" }]);
});
afterAll(() => app?.stop());

const CLOCK = new Date("2031-03-07T08:30:00.000Z");
const ctx = async (actor: Actor, org?: string) =>
  createCtx({
    services: app.services,
    actor,
    org: org ? await resolveOrg(app.db.graph, org) : null,
    now: () => CLOCK,
  });
const code = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code ?? String(e),
  );
const entry = (project_id: string) => ({
  project_id,
  environment_slug: "production",
  entry_type: "Deployed" as const,
  description: "Deployed v1",
  occurred_at: "2031-03-07T08:00:00Z",
});

describe("operations-log verbs without a door", () => {
  it("take the organization from the project or the entry and require the permission there", async () => {
    expect(await code(createOperationEntry(await ctx(opsB), entry(projectA)))).toBe("FORBIDDEN");
    const created = await createOperationEntry(await ctx(opsA), entry(projectA));
    // The context's actor and clock, not the request's, record it.
    expect(created).toMatchObject({
      organization: A,
      recorded_by: opsA.id,
      recorded_at: CLOCK.toISOString(),
    });
    const { id } = created;
    expect(await code(getOperationEntry(await ctx(opsB), { id }))).toBe("FORBIDDEN");
    expect(await getOperationEntry(await ctx(opsA), { id })).toEqual(created);
    const patch = [{ op: "replace" as const, path: "/description", value: "Deployed v2" }];
    expect(await code(updateOperationEntry(await ctx(opsB), { id, patch }))).toBe("FORBIDDEN");
    expect((await updateOperationEntry(await ctx(opsA), { id, patch })).description).toBe("Deployed v2");
    expect(await code(deleteOperationEntry(await ctx(opsB), { id }))).toBe("FORBIDDEN");
    await deleteOperationEntry(await ctx(opsA), { id });
    expect(await code(getOperationEntry(await ctx(opsA), { id }))).toBe("NOT_FOUND");
  });

  it("list every organization only with a global grant: a role in the system organization is one", async () => {
    await createOperationEntry(await ctx(opsA), entry(projectA));
    await createOperationEntry(await ctx(opsB), entry(projectB));
    // A window of this file's entries only (other files share the store).
    const window = { since: "2031-03-07T00:00:00Z", until: "2031-03-08T00:00:00Z" };
    const page = { limit: 500, ...window };
    expect(await code(listOperationEntries(await ctx(opsA), page))).toBe("FORBIDDEN");
    expect(await code(getOperationMetrics(await ctx(opsA), window))).toBe("FORBIDDEN");
    expect((await listOperationEntries(await ctx(opsA), { ...page, organization: A })).data).toHaveLength(1);
    expect(await code(listOperationEntries(await ctx(opsA), { ...page, organization: B }))).toBe("FORBIDDEN");

    const all = await listOperationEntries(await ctx(auditor), page);
    expect(new Set(all.data.map((e) => e.organization))).toEqual(new Set([A, B]));
    expect((await getOperationMetrics(await ctx(auditor), window)).total).toBe(2);
    // A grant in the system organization is global, not a role in each organization.
    expect(await code(listProjectOperationEntries(await ctx(auditor, A), { ...page, project: "api" }))).toBe(
      "FORBIDDEN",
    );
    const mine = await listProjectOperationEntries(await ctx(opsA, A), { ...page, project: "api" });
    expect(mine.data.map((e) => e.project_id)).toEqual([projectA]);
  });

  it("serve the global event feed to a global grant only, a project's feed in its organization", async () => {
    expect(await code(listEvents(await ctx(opsA), { limit: 10 }))).toBe("FORBIDDEN");
    expect(await code(listEvents(await ctx(auditor), { limit: 10 }))).toBe("FORBIDDEN");
    const admin = sessionUser("admin@imbi.test", true, "s-admin");
    expect(await code(listEvents(await ctx(admin), { limit: 10 }))).toBe("ok");
    expect((await listProjectEvents(await ctx(opsA, A), { limit: 10, project: "api" })).data).toEqual([]);
    expect(await code(listProjectEvents(await ctx(opsA, B), { limit: 10, project: "api" }))).toBe(
      "FORBIDDEN",
    );
    expect(await code(listProjectEvents(await ctx(opsA, A), { limit: 10, project: projectB }))).toBe(
      "NOT_FOUND",
    );
  });
});
