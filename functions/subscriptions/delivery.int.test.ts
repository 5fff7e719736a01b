import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatchDue } from "../../lib/webhooks/dispatch.ts";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { body, seedCatalog } from "../../test/harness/catalog.ts";
import { expectProblem } from "../../test/harness/http.ts";
import { type Received, startReceiver, type WebhookReceiver } from "../../test/harness/webhook_receiver.ts";
import { DeliveryPageSchema, SubscriptionSchema, SubscriptionWithSecretSchema } from "./schemas.ts";

// Outbound webhooks end to end: verbs queue deliveries, the dispatcher signs and sends them to a
// real loopback receiver, which verifies them with the standardwebhooks library's own verifier.
// The development allowance is on here (the receiver is on 127.0.0.1); ssrf.int.test.ts has it off.

let app: TestApp;
let receiver: WebhookReceiver;
let flaky: WebhookReceiver;

const RETRY_BASE_MS = 200;
const RETRY_MAX_MS = 400;

beforeAll(async () => {
  app = await startTestApp({
    analytics: "embedded",
    kv: "memory",
    env: {
      IMBI_WEBHOOKS_ALLOW_PRIVATE_TARGETS: "true",
      IMBI_WEBHOOKS_MAX_ATTEMPTS: "5",
      IMBI_WEBHOOKS_RETRY_BASE_SECONDS: String(RETRY_BASE_MS / 1000),
      IMBI_WEBHOOKS_RETRY_MAX_SECONDS: String(RETRY_MAX_MS / 1000),
      IMBI_WEBHOOKS_BREAKER_THRESHOLD: "3",
      IMBI_WEBHOOKS_BREAKER_COOLDOWN_SECONDS: "0.3",
    },
  });
  await seedCatalog(app, "acme");
  await seedCatalog(app, "beta");
  receiver = await startReceiver();
  flaky = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await flaky?.close();
  await app?.stop();
});

const subs = (org: string) => `/api/organizations/${org}/subscriptions`;
const admin = (method: string, path: string, b?: unknown) => app.json(method, path, b, app.adminToken);

async function subscribe(org: string, b: Record<string, unknown>) {
  const res = await admin("POST", subs(org), b);
  expect(res.status).toBe(201);
  return SubscriptionWithSecretSchema.parse(await res.json());
}

async function createProject(org: string, slug: string): Promise<string> {
  const res = await admin("POST", `/api/organizations/${org}/projects`, body({ slug, name: slug }));
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function describeProject(org: string, id: string, description: string) {
  const res = await admin("PATCH", `/api/organizations/${org}/projects/${id}`, [
    { op: "replace", path: "/description", value: description },
  ]);
  expect(res.status).toBe(200);
}

const pending = async () =>
  Number(
    (
      await app.db.sql<
        { n: number }[]
      >`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'pending'`
    )[0]?.n,
  );

/** Runs the dispatcher (as the host's timer would) until `done` holds; bounded, not timed. */
async function pump(done: () => Promise<boolean>) {
  for (let i = 0; i < 600; i++) {
    await app.drain();
    if (await done()) return;
    // Three dispatchers at once, as several hosts would run: claims keep them apart.
    await Promise.all([dispatchDue(app.services), dispatchDue(app.services), dispatchDue(app.services)]);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("the deliveries did not settle");
}

async function deliveries(org: string, id: string, query = "") {
  const res = await admin("GET", `${subs(org)}/${id}/deliveries${query}`);
  expect(res.status).toBe(200);
  return DeliveryPageSchema.parse(await res.json()).data;
}

/** The Standard Webhooks headers of a received request. */
const webhookHeaders = (r: Received) => ({
  "webhook-id": String(r.headers["webhook-id"]),
  "webhook-timestamp": String(r.headers["webhook-timestamp"]),
  "webhook-signature": String(r.headers["webhook-signature"]),
});

interface Event {
  type: string;
  timestamp: string;
  data: { project_id: string; action: string; project: { description: string } | null };
}

describe("outbound webhooks", () => {
  it("delivers every change signed, exactly once in effect, in order per project", async () => {
    const all = await subscribe("acme", { url: receiver.url, description: "everything" });
    // Hold sending (an open circuit) until every event is queued, so the dispatcher finds several
    // deliveries of each project due at once; the receiver handles creations slowly. Were a
    // project's later events sent before its earlier one was answered, they would arrive first.
    const hold = () =>
      app.db.sql`UPDATE webhook_subscriptions SET circuit_open_until = now() + interval '1 hour'`;
    await hold();
    const a = await createProject("acme", "svc-a");
    const b = await createProject("acme", "svc-b");
    // Only A's project events: the filter narrows.
    const onlyA = await subscribe("acme", { url: `${receiver.url}?only=a`, projects: [a] });
    await hold();
    receiver.slowWhen(/"type":"project\.created"/, 150);
    for (let i = 1; i <= 3; i++) {
      await describeProject("acme", a, `a-${i}`);
      await describeProject("acme", b, `b-${i}`);
    }
    await app.drain();
    expect(receiver.received).toEqual([]);
    await app.db.sql`UPDATE webhook_subscriptions SET circuit_open_until = NULL`;
    await pump(async () => (await pending()) === 0);
    receiver.slowWhen(null);

    // Every request verifies with the subscription's secret, through the library's own verifier.
    const verified = receiver.received.map((r) => {
      const sub = r.path.endsWith("?only=a") ? onlyA : all;
      const event = new Webhook(sub.secret).verify(r.body, webhookHeaders(r)) as Event;
      return { sub: sub.id, id: String(r.headers["webhook-id"]), event };
    });
    // A tampered body or another secret does not verify: the check above is real.
    const first = receiver.received[0];
    expect(first).toBeDefined();
    const h = webhookHeaders(first as Received);
    expect(() => new Webhook(all.secret).verify(`${first?.body} `, h)).toThrow();
    expect(() => new Webhook(`whsec_${btoa("x".repeat(32))}`).verify(String(first?.body), h)).toThrow();

    // Exactly once in effect: deduplicated on webhook-id, each project's changes arrive once, in order.
    const unique = new Map(verified.map((v) => [v.id, v]));
    // Concurrent dispatchers never sent one delivery twice (a duplicate would need an expired lease).
    expect(verified).toHaveLength(unique.size);
    const seen = (sub: string, project: string) =>
      [...unique.values()]
        .filter((v) => v.sub === sub && v.event.data.project_id === project)
        .map((v) => `${v.event.type}:${v.event.data.project?.description ?? ""}`);
    // Received order (the map keeps first-seen order).
    expect(seen(all.id, a)).toEqual([
      "project.created:",
      "project.updated:a-1",
      "project.updated:a-2",
      "project.updated:a-3",
    ]);
    expect(seen(all.id, b)).toEqual([
      "project.created:",
      "project.updated:b-1",
      "project.updated:b-2",
      "project.updated:b-3",
    ]);
    // The filtered subscription was created after A existed: A's updates, nothing of B.
    expect(seen(onlyA.id, a)).toEqual(["project.updated:a-1", "project.updated:a-2", "project.updated:a-3"]);
    expect(seen(onlyA.id, b)).toEqual([]);

    // The delivery log shows them delivered, with the receiver's status.
    const log = await deliveries("acme", all.id);
    expect(log).toHaveLength(8);
    // Newest first by number (the seqs here run past 9: ordered as text, "10" would sort before "9").
    expect(Math.max(...log.map((d) => d.seq))).toBeGreaterThanOrEqual(10);
    expect(log.map((d) => d.seq)).toEqual(log.map((d) => d.seq).sort((x, y) => y - x));
    expect(log.every((d) => d.status === "delivered" && d.last_status === 204 && d.attempts === 1)).toBe(
      true,
    );
  });

  it("publishes operations-log entries, with the entry", async () => {
    const sub = await subscribe("acme", { url: `${receiver.url}?ops`, entity_types: ["operations_log"] });
    const project = await createProject("acme", "svc-ops");
    const res = await admin("POST", "/api/operations-log", {
      project_id: project,
      environment_slug: "production",
      entry_type: "Deployed",
      description: "Deployed 1.2.3",
      version: "1.2.3",
    });
    expect(res.status).toBe(201);
    await pump(async () => (await pending()) === 0);
    const got = receiver.received.filter((r) => r.path.endsWith("?ops"));
    expect(got).toHaveLength(1);
    const event = new Webhook(sub.secret).verify(
      String(got[0]?.body),
      webhookHeaders(got[0] as Received),
    ) as {
      type: string;
      data: { project_id: string; entry: { version: string; environment_slug: string } };
    };
    expect(event.type).toBe("operations_log.created");
    expect(event.data).toMatchObject({
      project_id: project,
      entry: { version: "1.2.3", environment_slug: "production" },
    });
    await admin("DELETE", `${subs("acme")}/${sub.id}`);
  });

  it("never shows a secret after creation, and rotation signs with the new one", async () => {
    const created = await subscribe("acme", { url: receiver.url, entity_types: ["project"] });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const got = await admin("GET", `${subs("acme")}/${created.id}`);
    const gotBody = (await got.json()) as Record<string, unknown>;
    expect(SubscriptionSchema.strict().safeParse(gotBody).success).toBe(true);
    const listed = JSON.stringify(await (await admin("GET", subs("acme"))).json());
    expect(listed).not.toContain(created.secret);
    expect(listed).not.toContain("secret");
    // At rest: sealed, not the secret.
    const [row] = await app.db.sql<{ secret_enc: string }[]>`
      SELECT secret_enc FROM webhook_subscriptions WHERE id = ${created.id}`;
    expect(row?.secret_enc).toMatch(/^aes256gcm:/);
    expect(row?.secret_enc).not.toContain(created.secret.slice(6, 20));

    const rotated = await admin("POST", `${subs("acme")}/${created.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const { secret } = SubscriptionWithSecretSchema.parse(await rotated.json());
    expect(secret).not.toBe(created.secret);
    await app.db.sql`UPDATE webhook_subscriptions SET active = false WHERE id <> ${created.id}`;
    const before = receiver.received.length;
    await createProject("acme", "svc-rotated");
    await pump(async () => (await pending()) === 0);
    const fresh = receiver.received.slice(before);
    expect(fresh).toHaveLength(1);
    const r = fresh[0];
    const headers = webhookHeaders(r as Received);
    expect(() => new Webhook(secret).verify(String(r?.body), headers)).not.toThrow();
    expect(() => new Webhook(created.secret).verify(String(r?.body), headers)).toThrow();
    await app.db.sql`UPDATE webhook_subscriptions SET active = true`;
  });

  it("backs off, opens the circuit, dead-letters after the last attempt, and redelivers by hand", async () => {
    const sub = await subscribe("beta", { url: flaky.url });
    flaky.failNext(5);
    const project = await createProject("beta", "svc-flaky");
    const gaps = new Map<number, number>();
    let circuitSeen = false;
    await pump(async () => {
      const [d] = await deliveries("beta", sub.id);
      if (d?.status === "pending" && d.attempts > 0 && d.next_attempt_at && d.last_attempt_at)
        gaps.set(d.attempts, Date.parse(d.next_attempt_at) - Date.parse(d.last_attempt_at));
      const s = SubscriptionSchema.parse(await (await admin("GET", `${subs("beta")}/${sub.id}`)).json());
      if (s.circuit_open_until !== null) circuitSeen = true;
      return d?.status === "dead";
    });
    // Five attempts, all of the same delivery (one webhook-id), each refused by the receiver.
    expect(flaky.received).toHaveLength(5);
    expect(new Set(flaky.received.map((r) => r.headers["webhook-id"])).size).toBe(1);
    const [dead] = await deliveries("beta", sub.id, "?status=dead");
    expect(dead).toMatchObject({ status: "dead", attempts: 5, last_status: 500 });
    expect(dead?.last_error).toContain("receiver down");
    expect((dead?.payload as Event | undefined)?.data.project_id).toBe(project);
    // Each retry waited the doubling backoff (stored with the attempt, so exact).
    expect(gaps.size).toBeGreaterThan(0);
    for (const [attempts, gap] of gaps)
      expect(gap).toBe(Math.min(RETRY_BASE_MS * 2 ** (attempts - 1), RETRY_MAX_MS));
    // Three failures in a row opened the circuit; it counted all five.
    expect(circuitSeen).toBe(true);
    const broken = SubscriptionSchema.parse(await (await admin("GET", `${subs("beta")}/${sub.id}`)).json());
    expect(broken.consecutive_failures).toBe(5);

    // Redelivery: the same id, fresh attempts; the receiver is back now.
    const res = await admin("POST", `${subs("beta")}/${sub.id}/deliveries/${dead?.id}/redeliver`);
    expect(res.status).toBe(202);
    await pump(async () => (await pending()) === 0);
    expect(flaky.received).toHaveLength(6);
    expect(flaky.received[5]).toMatchObject({ status: 204 });
    expect(flaky.received[5]?.headers["webhook-id"]).toBe(dead?.id);
    expect(await deliveries("beta", sub.id, "?status=dead")).toEqual([]);
    const [done] = await deliveries("beta", sub.id);
    expect(done).toMatchObject({ status: "delivered", attempts: 1, last_status: 204 });
    const after = SubscriptionSchema.parse(await (await admin("GET", `${subs("beta")}/${sub.id}`)).json());
    expect(after).toMatchObject({ consecutive_failures: 0, circuit_open_until: null });

    // A delivery of another subscription, or none at all, is a 404.
    await expectProblem(
      await admin("POST", `${subs("beta")}/${sub.id}/deliveries/msg_nope/redeliver`),
      404,
      "NOT_FOUND",
    );
  });

  it("answers problems for bad input and missing permissions", async () => {
    await expectProblem(await admin("POST", subs("acme"), { url: "not a url" }), 400, "VALIDATION_FAILED");
    await expectProblem(
      await admin("POST", subs("acme"), { url: receiver.url, entity_types: ["widget"] }),
      400,
      "VALIDATION_FAILED",
    );
    await expectProblem(await admin("GET", `${subs("acme")}/sub_missing`), 404, "NOT_FOUND");
    const member = await app.user("member@imbi.test", [{ org: "acme", role: "default" }]);
    await expectProblem(await app.json("GET", subs("acme"), undefined, member.token), 403, "FORBIDDEN");
  });
});
