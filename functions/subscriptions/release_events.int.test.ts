import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatchDue } from "../../lib/webhooks/dispatch.ts";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { body, seedCatalog } from "../../test/harness/catalog.ts";
import { type Received, startReceiver, type WebhookReceiver } from "../../test/harness/webhook_receiver.ts";
import { SubscriptionWithSecretSchema } from "./schemas.ts";

// Outbound webhooks for what is not a project document: releases, deployments, release blockers
// and dependency edges. The verbs queue the events before they answer; the dispatcher sends them to
// a real loopback receiver, which verifies them with the standardwebhooks library's own verifier.

let app: TestApp;
let receiver: WebhookReceiver;
const ORG = "acme";

beforeAll(async () => {
  app = await startTestApp({
    analytics: "embedded",
    kv: "memory",
    env: { IMBI_WEBHOOKS_ALLOW_PRIVATE_TARGETS: "true" },
  });
  await seedCatalog(app, ORG);
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await app?.stop();
});

const org = `/api/organizations/${ORG}`;
const call = async (method: string, path: string, b?: unknown, expected?: number) => {
  const res = await app.json(method, `${org}${path}`, b, app.adminToken);
  if (expected !== undefined) expect(res.status, await res.clone().text()).toBe(expected);
  return res.status === 204 ? {} : ((await res.json()) as Record<string, unknown>);
};

async function subscribe(tag: string, filter: Record<string, unknown> = {}) {
  const res = await app.json(
    "POST",
    `${org}/subscriptions`,
    { url: `${receiver.url}?${tag}`, ...filter },
    app.adminToken,
  );
  expect(res.status, await res.clone().text()).toBe(201);
  return SubscriptionWithSecretSchema.parse(await res.json());
}

const pending = async () =>
  Number(
    (
      await app.db.sql<
        { n: number }[]
      >`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'pending'`
    )[0]?.n,
  );

/** Runs the dispatcher (as the host's timer would) until nothing is pending; bounded, not timed. */
async function pump() {
  for (let i = 0; i < 600; i++) {
    await app.drain();
    if ((await pending()) === 0) return;
    await Promise.all([dispatchDue(app.services), dispatchDue(app.services)]);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("the deliveries did not settle");
}

interface Event {
  type: string;
  data: {
    entity_id: string;
    project_id: string;
    team: string | null;
    organization: string;
    changes?: { field: string; old: unknown; new: unknown }[];
    release?: { id: string; version: string };
    deployment?: { id: string; status: string; release_id: string | null; environment: string };
    release_blocker?: { id: string; status: string; reason: string };
    dependency?: {
      source: { id: string; slug: string };
      target: { id: string; slug: string };
      created_at: string;
    };
  };
}

/** What one subscription received, verified with its secret, deduplicated on webhook-id, in order. */
function receivedBy(tag: string, secret: string): Event[] {
  const unique = new Map<string, Event>();
  for (const r of receiver.received.filter((x: Received) => x.path.endsWith(`?${tag}`))) {
    const event = new Webhook(secret).verify(r.body, {
      "webhook-id": String(r.headers["webhook-id"]),
      "webhook-timestamp": String(r.headers["webhook-timestamp"]),
      "webhook-signature": String(r.headers["webhook-signature"]),
    }) as Event;
    unique.set(String(r.headers["webhook-id"]), event);
  }
  return [...unique.values()];
}

const typesOf = (events: Event[], project: string) =>
  events.filter((e) => e.data.project_id === project).map((e) => e.type);

describe("outbound events of releases, deployments, blockers and dependencies", () => {
  it("delivers each change signed, in order per project, and filters by entity type and team", async () => {
    const all = await subscribe("all");
    const deploymentsOnly = await subscribe("deployments", { entity_types: ["deployment"] });
    const payments = await subscribe("payments", { teams: ["payments"] });
    // Hold sending (an open circuit) until every event is queued, so the dispatcher finds several
    // deliveries of each project due at once: the order below is the dispatcher's, not luck's.
    await app.db.sql`UPDATE webhook_subscriptions SET circuit_open_until = now() + interval '1 hour'`;

    const a = String(
      (await call("POST", "/projects", body({ slug: "svc-a", name: "A", team: "core" }), 201)).id,
    );
    const b = String(
      (await call("POST", "/projects", body({ slug: "svc-b", name: "B", team: "payments" }), 201)).id,
    );
    const release = await call("POST", `/projects/${a}/releases`, { version: "1.0.0" }, 201);
    // B: a deployment reported before its release (unattached), attached when the release appears.
    const early = await call(
      "POST",
      `/projects/${b}/deployments`,
      { environment: "production", ref: "2.0.0", status: "success" },
      201,
    );
    const run = { environment: "staging", release_id: release.id, external_run_id: "run-1" };
    const deployment = await call(
      "POST",
      `/projects/${a}/deployments`,
      { ...run, status: "in_progress" },
      201,
    );
    const releaseB = await call("POST", `/projects/${b}/releases`, { version: "2.0.0" }, 201);
    expect(releaseB.attached_deployments).toBe(1);
    await call("POST", `/projects/${a}/deployments`, { ...run, status: "success" }, 200);
    const blocker = await call(
      "POST",
      `/projects/${a}/releases/${release.id}/blockers`,
      { reason: "CVE-2024-0001 in a dependency" },
      201,
    );
    await call("POST", `/projects/${a}/releases/${release.id}/blockers/${blocker.id}/resolve`, {}, 200);
    await call("POST", `/projects/${a}/relationships/${b}`, undefined, 201);
    // An edge that already exists is no change, so no event.
    await call("POST", `/projects/${a}/relationships/${b}`, undefined, 200);
    await call("DELETE", `/projects/${a}/relationships/${b}`, undefined, 204);

    await app.drain();
    expect(receiver.received).toEqual([]);
    await app.db.sql`UPDATE webhook_subscriptions SET circuit_open_until = NULL`;
    await pump();

    const events = receivedBy("all", all.secret);
    expect(typesOf(events, a)).toEqual([
      "project.created",
      "release.created",
      "deployment.created",
      "deployment.updated",
      // The finished run's operations-log entry, right after the event that finished it.
      "operations_log.created",
      "release_blocker.created",
      "release_blocker.updated",
      "dependency.created",
      "dependency.deleted",
    ]);
    expect(typesOf(events, b)).toEqual([
      "project.created",
      "deployment.created",
      "operations_log.created",
      "release.created",
      "deployment.updated",
    ]);

    // What each event carries: the entity after the change, the changed fields, the project's team.
    const ofA = events.filter((e) => e.data.project_id === a && !e.type.startsWith("project."));
    expect(ofA.every((e) => e.data.team === "core" && e.data.organization === ORG)).toBe(true);
    const byType = (type: string, list = ofA) => list.find((e) => e.type === type)?.data;
    expect(byType("release.created")).toMatchObject({ entity_id: release.id, release: { version: "1.0.0" } });
    expect(byType("deployment.created")).toMatchObject({
      entity_id: deployment.id,
      deployment: { status: "in_progress", environment: "staging", release_id: release.id },
    });
    expect(byType("deployment.updated")).toMatchObject({
      entity_id: deployment.id,
      changes: [{ field: "status", old: "in_progress", new: "success" }],
      deployment: { status: "success" },
    });
    expect(byType("operations_log.created")).toMatchObject({
      entry: { entry_type: "Deployed", environment_slug: "staging", project_id: a },
    });
    expect(byType("release_blocker.created")).toMatchObject({
      entity_id: blocker.id,
      release_blocker: { status: "open", reason: "CVE-2024-0001 in a dependency" },
    });
    expect(byType("release_blocker.updated")?.release_blocker?.status).toBe("resolved");
    for (const type of ["dependency.created", "dependency.deleted"])
      expect(byType(type), type).toMatchObject({
        entity_id: `${a}->${b}`,
        dependency: { source: { id: a, slug: "svc-a" }, target: { id: b, slug: "svc-b" } },
      });
    const attached = events.find((e) => e.data.project_id === b && e.type === "deployment.updated")?.data;
    expect(attached).toMatchObject({
      entity_id: early.id,
      team: "payments",
      changes: [{ field: "release_id", old: null, new: releaseB.id }],
      deployment: { release_id: releaseB.id, status: "success" },
    });

    // entity_types ["deployment"]: the deployments only, still in order per project.
    const deployments = receivedBy("deployments", deploymentsOnly.secret);
    expect(deployments.every((e) => e.type.startsWith("deployment."))).toBe(true);
    expect(typesOf(deployments, a)).toEqual(["deployment.created", "deployment.updated"]);
    expect(typesOf(deployments, b)).toEqual(["deployment.created", "deployment.updated"]);
    // teams ["payments"]: only B's events (the team travels with release and deployment events).
    const ofPayments = receivedBy("payments", payments.secret);
    expect(ofPayments.every((e) => e.data.project_id === b)).toBe(true);
    expect(typesOf(ofPayments, b)).toEqual(typesOf(events, b));
  });
});
