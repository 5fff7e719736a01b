import { sign } from "@octokit/webhooks-methods";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signGeneric } from "../../lib/webhooks/signatures.ts";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { seedCatalog } from "../../test/harness/catalog.ts";
import { expectProblem } from "../../test/harness/http.ts";
import { DeploymentPageSchema } from "../releases/schemas.ts";
import { ReceivedSchema } from "../webhook-receiver/schemas.ts";
import {
  WebhookDeliveryPageSchema,
  WebhookDeliverySchema,
  WebhookSchema,
  WebhookWithSecretSchema,
} from "./schemas.ts";

// The inbound webhook gateway end to end through the router: a webhook with rules, GitHub-shaped
// deliveries signed like GitHub signs them (@octokit/webhooks-methods), the receiver's refusals
// (nothing stored for any), the rules run as the webhook's service account through the verbs, the
// delivery log with outcomes, retries with backoff into a dead delivery, and replay.

const ORG = "acme";
let app: TestApp;
let project: string;
let otherOrgProject: string;

const api = (method: string, path: string, body?: unknown, token = app.adminToken) =>
  app.json(method, path, body, token);
const hooks = `/api/organizations/${ORG}/webhooks`;

const RULES = [
  {
    name: "Record deployments",
    filter: 'event == "deployment_status"',
    action: "record_deployment",
    config: {
      environment: "payload.deployment.environment",
      version: "payload.deployment.ref",
      ref: "payload.deployment.sha",
      external_run_id: "string(payload.deployment.id)",
      external_run_url: "payload.deployment_status.target_url",
    },
  },
  {
    name: "Block failed releases",
    filter: 'event == "deployment_status"',
    action: "block_release",
    config: {
      version: "payload.deployment.ref",
      reason: '"Deployment to " + payload.deployment.environment + " failed"',
    },
  },
  {
    name: "Cut releases",
    filter: 'event == "release" && payload.action == "published"',
    action: "create_release",
    config: {
      version: "payload.release.tag_name",
      committish: "payload.release.target_commitish",
      title: "payload.release.name",
    },
  },
  {
    name: "Language",
    filter: 'event == "repository"',
    action: "update_project",
    config: { fields: [{ path: "/description", value: '"Written in " + payload.repository.language' }] },
  },
];

/** A GitHub `deployment_status` event (the fields the rules read, as GitHub sends them). */
function deploymentStatus(o: { runId: number; state: string; ref: string; env?: string; repo?: number }) {
  return {
    action: "created",
    deployment_status: {
      state: o.state,
      target_url: `https://github.com/acme/payments/actions/runs/${o.runId}`,
    },
    deployment: { id: o.runId, ref: o.ref, sha: "a1b2c3d4e5f6", environment: o.env ?? "production" },
    repository: { id: o.repo ?? 424242, full_name: "acme/payments", language: "TypeScript" },
    sender: { login: "octocat", type: "User" },
  };
}

/** Posts a delivery as GitHub does: raw JSON bytes, X-Hub-Signature-256 over them, a delivery id. */
async function postGitHub(
  path: string,
  secret: string,
  event: string,
  payload: unknown,
  o: { delivery?: string; body?: string; signature?: string; contentType?: string } = {},
) {
  const body = o.body ?? JSON.stringify(payload);
  return app.request(`/api${path}`, {
    method: "POST",
    headers: {
      "content-type": o.contentType ?? "application/json",
      "x-github-event": event,
      "x-github-delivery": o.delivery ?? crypto.randomUUID(),
      "x-hub-signature-256": o.signature ?? (await sign(secret, body)),
      "user-agent": "GitHub-Hookshot/test",
    },
    body,
  });
}

const receiptCount = async () =>
  Number((await app.db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM webhook_receipts`)[0]?.n);

async function deliveries(slug: string, query = "") {
  const res = await api("GET", `${hooks}/${slug}/deliveries${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return WebhookDeliveryPageSchema.parse(await res.json());
}

async function createWebhook(body: Record<string, unknown>) {
  const res = await api("POST", hooks, body);
  expect(res.status, await res.clone().text()).toBe(201);
  return WebhookWithSecretSchema.parse(await res.json());
}

beforeAll(async () => {
  app = await startTestApp({
    env: {
      IMBI_WEBHOOKS_MAX_ATTEMPTS: "3",
      IMBI_WEBHOOKS_RETRY_BASE_SECONDS: "0.2",
      IMBI_WEBHOOKS_RETRY_MAX_SECONDS: "0.4",
      IMBI_WEBHOOKS_MAX_BODY_BYTES: "65536",
      // Per webhook; no other test sends a webhook this many deliveries.
      IMBI_WEBHOOKS_RATE_LIMIT: "12/minute",
    },
  });
  await seedCatalog(app, ORG);
  await seedCatalog(app, "globex");
  // Deployments feed this policy, so a recorded deployment re-queues the project's score.
  const policy = await api("POST", "/api/scoring/policies", {
    name: "Production deploys",
    category: "deployment_status",
    environment_slug: "production",
    weight: 100,
  });
  expect(policy.status, await policy.clone().text()).toBe(201);
  for (const [sa, org, role] of [
    ["gh-gateway", ORG, "imbi-gateway"],
    ["gh-reader", ORG, "readonly"],
  ] as const) {
    expect((await api("POST", "/api/service-accounts", { slug: sa, display_name: sa })).status).toBe(201);
    const m = await api("POST", `/api/service-accounts/${sa}/organizations`, { organization: org, role });
    expect(m.status, await m.clone().text()).toBe(201);
  }
  const mk = async (org: string, slug: string, github: string) => {
    const res = await api("POST", `/api/organizations/${org}/projects`, {
      slug,
      name: slug,
      team: "core",
      project_types: ["api"],
      identifiers: { github },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  project = await mk(ORG, "payments", "424242");
  // The same GitHub id in another organization: a delivery to acme's webhook must not touch it.
  otherOrgProject = await mk("globex", "payments", "424242");
});

afterAll(async () => {
  await app?.stop();
});

describe("webhook configuration", () => {
  it("creates a webhook with GitHub defaults, shows the secret once, and checks every rule", async () => {
    const created = await createWebhook({
      slug: "config-check",
      name: "Config",
      service_account: "gh-gateway",
      rules: RULES,
    });
    expect(created).toMatchObject({
      provider: "github",
      identifier_source: "github",
      identifier_selector: "/repository/id",
      event_type_selector: "X-GitHub-Event",
      sender_selector: "/sender/login",
      path: `/webhooks/${created.id}`,
    });
    expect(created.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(created.rules[0]).toMatchObject({ enabled: true, action: "record_deployment" });
    const got = await api("GET", `${hooks}/config-check`);
    expect(got.status).toBe(200);
    const shown = (await got.json()) as Record<string, unknown>;
    expect(shown).not.toHaveProperty("secret");
    expect(JSON.stringify(shown)).not.toContain(created.secret);
    // The secret is sealed at rest, never stored as given.
    const [row] = await app.db.sql<
      { secret_enc: string }[]
    >`SELECT secret_enc FROM webhooks WHERE id = ${created.id}`;
    expect(row?.secret_enc).not.toContain(created.secret);

    // By id as well as by slug.
    expect(WebhookSchema.parse(await (await api("GET", `${hooks}/${created.id}`)).json()).slug).toBe(
      "config-check",
    );
    await expectProblem(
      await api("POST", hooks, { slug: "config-check", name: "x", service_account: "gh-gateway" }),
      409,
    );

    const bad = async (rules: unknown[], location: string, text: string) => {
      const res = await api("POST", hooks, {
        slug: "bad-rules",
        name: "Bad",
        service_account: "gh-gateway",
        rules,
      });
      const p = await expectProblem(res, 400);
      expect(p.detail).toContain(text);
      expect((p.errors ?? []).map((e) => e.location)).toContain(location);
    };
    await bad(
      [{ name: "x", filter: "event ==", action: "create_release", config: { version: "'1'" } }],
      "json.rules.0.filter",
      "not a valid CEL",
    );
    await bad(
      [{ name: "x", filter: "1 + 1", action: "create_release", config: { version: "'1'" } }],
      "json.rules.0.filter",
      "boolean",
    );
    await bad(
      [{ name: "x", action: "create_release", config: {} }],
      "json.rules.0.config.version",
      "version",
    );
    await bad(
      [{ name: "x", action: "create_release", config: { version: "payload.(" } }],
      "json.rules.0.config.version",
      "CEL",
    );
    // The route's schema refuses an unknown action before the verb sees it.
    await bad([{ name: "x", action: "launch_rockets" }], "json.rules.0.action", "expected one of");
    expect((await app.db.sql`SELECT 1 FROM webhooks WHERE slug = 'bad-rules'`).length).toBe(0);

    // The rules' service account must be a member of the organization.
    const notMember = await api("POST", hooks, { slug: "x-hook", name: "x", service_account: "nobody-here" });
    expect((await expectProblem(notMember, 400)).detail).toContain("not a member");

    // JSON Patch appends a rule (checked like on create); If-Match guards concurrent edits.
    const etag = got.headers.get("etag") ?? "";
    const patched = await app.json(
      "PATCH",
      `${hooks}/config-check`,
      [
        {
          op: "add",
          path: "/rules/-",
          value: {
            name: "Log",
            action: "log_operation",
            config: { environment: "'production'", description: "'hello'" },
          },
        },
      ],
      app.adminToken,
      { "If-Match": etag },
    );
    expect(patched.status, await patched.clone().text()).toBe(200);
    expect(
      WebhookSchema.parse(await patched.json())
        .rules.map((r) => r.name)
        .at(-1),
    ).toBe("Log");
    const stale = await app.json(
      "PATCH",
      `${hooks}/config-check`,
      [{ op: "replace", path: "/name", value: "n" }],
      app.adminToken,
      {
        "If-Match": etag,
      },
    );
    await expectProblem(stale, 412);
    const badPatch = await api("PATCH", `${hooks}/config-check`, [
      { op: "replace", path: "/rules/0/filter", value: "nope(" },
    ]);
    await expectProblem(badPatch, 400);
  });

  it("lets members read, refuses non-admin writes, and hides webhooks from other organizations", async () => {
    const reader = (await app.user("ro@acme.test", [{ org: ORG, role: "readonly" }])).token;
    const outsider = (await app.user("admin@globex.test", [{ org: "globex", role: "admin" }])).token;
    expect((await api("GET", hooks, undefined, reader)).status).toBe(200);
    await expectProblem(
      await api("POST", hooks, { slug: "ro-made", name: "x", service_account: "gh-gateway" }, reader),
      403,
    );
    await expectProblem(await api("GET", hooks, undefined, outsider), 403);
    await expectProblem(await app.json("GET", hooks), 401);
    // An organization admin who may not manage service accounts cannot lend one to a webhook.
    const orgAdmin = (await app.user("boss@acme.test", [{ org: ORG, role: "admin" }])).token;
    const lend = await api(
      "POST",
      hooks,
      { slug: "lend", name: "x", service_account: "gh-gateway" },
      orgAdmin,
    );
    expect((await expectProblem(lend, 403)).detail).toContain("service_account:update");
  });
});

describe("the receiver", () => {
  it("records a signed deployment_status end to end: release lookup, deployment, ops log, score, log", async () => {
    const w = await createWebhook({
      slug: "github",
      name: "GitHub",
      service_account: "gh-gateway",
      rules: RULES,
    });

    // A release is cut (release event), then deployed (deployment_status events of one run).
    const released = await postGitHub(w.path, w.secret, "release", {
      action: "published",
      release: { tag_name: "v1.4.0", target_commitish: "a1b2c3d4e5f6", name: "Payments 1.4" },
      repository: { id: 424242 },
      sender: { login: "octocat" },
    });
    expect(released.status, await released.clone().text()).toBe(202);
    expect(ReceivedSchema.parse(await released.json()).duplicate).toBe(false);
    // An earlier run of another version failed in production: the deployment policy scores 0.
    const failed = await postGitHub(
      w.path,
      w.secret,
      "deployment_status",
      deploymentStatus({ runId: 9000, state: "failure", ref: "v1.3.9" }),
    );
    expect(failed.status).toBe(202);
    await app.settle();
    const score = async () =>
      (
        (await (await api("GET", `/api/organizations/${ORG}/projects/${project}`)).json()) as {
          score: number | null;
        }
      ).score;
    expect(await score()).toBe(0);
    for (const state of ["in_progress", "success"]) {
      const res = await postGitHub(
        w.path,
        w.secret,
        "deployment_status",
        deploymentStatus({ runId: 9001, state, ref: "v1.4.0" }),
      );
      expect(res.status, await res.clone().text()).toBe(202);
      await app.drain();
    }
    await app.settle();

    const deployments = DeploymentPageSchema.parse(
      await (await api("GET", `/api/organizations/${ORG}/projects/${project}/deployments`)).json(),
    );
    expect(deployments.data.map((d) => [d.external_run_id, d.status])).toEqual([
      ["9001", "success"],
      ["9000", "failed"],
    ]);
    expect(deployments.data[0]).toMatchObject({
      environment: "production",
      version: "v1.4.0",
      status: "success",
      external_run_id: "9001",
      external_run_url: "https://github.com/acme/payments/actions/runs/9001",
      performed_by: "octocat",
    });
    // The release came from the release event, through the verb, as the service account.
    const rel = (await (
      await api("GET", `/api/organizations/${ORG}/projects/${project}/releases`)
    ).json()) as {
      data: { version: string; title: string; created_by: string }[];
    };
    expect(rel.data).toEqual([
      expect.objectContaining({ version: "v1.4.0", title: "Payments 1.4", created_by: "gh-gateway" }),
    ]);
    // The terminal deployment wrote the operations-log entry and re-queued the score.
    const ops = await app.analytics.listOperations({ organization: ORG, project_id: project, limit: 50 });
    expect(ops.data.map((o) => [o.entry_type, o.environment_slug, o.version_label])).toContainEqual([
      "Deployed",
      "production",
      "v1.4.0",
    ]);
    expect(await score()).toBe(100);
    const history = await app.analytics.scoreHistory({ project_id: project, granularity: "raw" });
    expect(history.map((h) => h.change_reason)).toContain("deployment_status_change");
    // The other organization's project with the same GitHub id was not touched.
    const other = DeploymentPageSchema.parse(
      await (await api("GET", `/api/organizations/globex/projects/${otherOrgProject}/deployments`)).json(),
    );
    expect(other.data).toEqual([]);

    // The delivery log: every delivery, its matched project, each rule's outcome, redacted headers.
    const log = await deliveries("github");
    expect(log.data.map((d) => [d.event_type, d.status])).toEqual([
      ["deployment_status", "processed"],
      ["deployment_status", "processed"],
      ["deployment_status", "processed"],
      ["release", "processed"],
    ]);
    const success = log.data[0];
    expect(success?.matched_projects).toEqual([project]);
    expect(success?.outcomes.map((o) => [o.rule, o.status])).toEqual([
      ["Record deployments", "succeeded"],
      ["Block failed releases", "skipped"],
    ]);
    expect(success?.outcomes[1]?.detail).toContain("blocks on failure");
    expect(success?.headers["x-hub-signature-256"]).toBe("[redacted]");
    expect(success?.headers["x-github-event"]).toBe("deployment_status");
    // The analytics record has one row per processing attempt, with the same outcomes.
    await app.drain();
    const record = await app.analytics.listWebhookDeliveries({
      organization: ORG,
      webhook: "github",
      limit: 50,
    });
    expect(record.data.map((x) => x.status).sort()).toEqual([
      "processed",
      "processed",
      "processed",
      "processed",
    ]);
    const recorded = record.data.find((x) => x.delivery_id === success?.id);
    expect(recorded).toMatchObject({
      attempt: 1,
      matched_projects: [project],
      event_type: "deployment_status",
    });
    expect(recorded?.outcomes.map((o) => [o.rule, o.status])).toEqual([
      ["Record deployments", "succeeded"],
      ["Block failed releases", "skipped"],
    ]);
    expect(recorded?.headers["x-hub-signature-256"]).toBe("[redacted]");
  });

  it("blocks a release whose deployment failed, and refuses to deploy it afterwards", async () => {
    const w = await createWebhook({
      slug: "github-blocks",
      name: "GitHub",
      service_account: "gh-gateway",
      rules: RULES,
    });
    await api("POST", `/api/organizations/${ORG}/projects/${project}/releases`, { version: "v2.0.0" });
    const res = await postGitHub(
      w.path,
      w.secret,
      "deployment_status",
      deploymentStatus({ runId: 9100, state: "failure", ref: "v2.0.0", env: "staging" }),
    );
    expect(res.status).toBe(202);
    await app.drain();
    const [latest] = (await deliveries("github-blocks")).data;
    expect(latest?.outcomes.map((o) => [o.rule, o.status])).toEqual([
      ["Record deployments", "succeeded"],
      ["Block failed releases", "succeeded"],
    ]);
    const again = await api("POST", `/api/organizations/${ORG}/projects/${project}/deployments`, {
      environment: "production",
      version: "v2.0.0",
      status: "in_progress",
    });
    const p = await expectProblem(again, 409);
    expect(p.detail).toContain("Deployment to staging failed");
  });

  it("refuses unverified, unknown, oversized, non-JSON and redelivered deliveries and stores nothing", async () => {
    const w = await createWebhook({
      slug: "github-refusals",
      name: "GitHub",
      service_account: "gh-gateway",
      rules: RULES,
    });
    const event = deploymentStatus({ runId: 9200, state: "success", ref: "v9.0.0" });
    const before = await receiptCount();

    // Signed with another secret; a malformed signature; no signature at all.
    const wrong = await postGitHub(w.path, "not-the-secret", "deployment_status", event);
    expect((await expectProblem(wrong, 401)).detail).toContain("does not match");
    await expectProblem(
      await postGitHub(w.path, w.secret, "deployment_status", event, { signature: "sha1=abc" }),
      401,
    );
    const unsigned = await app.request(`/api${w.path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(event),
    });
    expect((await expectProblem(unsigned, 401)).detail).toContain("missing");
    // The body was changed after signing.
    const signature = await sign(w.secret, JSON.stringify(event));
    await expectProblem(
      await postGitHub(w.path, w.secret, "deployment_status", event, {
        signature,
        body: JSON.stringify({ ...event, x: 1 }),
      }),
      401,
    );
    // Unknown webhook ids (well-formed or not), and a deactivated webhook.
    await expectProblem(await postGitHub("/webhooks/whk_000000000000000000000", w.secret, "ping", {}), 404);
    await expectProblem(await postGitHub("/webhooks/nope", w.secret, "ping", {}), 404);
    // Over IMBI_WEBHOOKS_MAX_BODY_BYTES (64 KiB here).
    const big = JSON.stringify({ ...event, padding: "x".repeat(70_000) });
    await expectProblem(await postGitHub(w.path, w.secret, "deployment_status", null, { body: big }), 413);
    // Validly signed, but not JSON; and not declared as JSON.
    await expectProblem(
      await postGitHub(w.path, w.secret, "deployment_status", null, { body: "payload=%7B%7D" }),
      422,
    );
    await expectProblem(
      await postGitHub(w.path, w.secret, "deployment_status", null, {
        body: "payload=%7B%7D",
        contentType: "application/x-www-form-urlencoded",
      }),
      415,
    );
    expect(await receiptCount()).toBe(before);

    // The same X-GitHub-Delivery twice: acknowledged both times, stored and run once.
    const first = await postGitHub(w.path, w.secret, "deployment_status", event, { delivery: "dup-1" });
    const second = await postGitHub(w.path, w.secret, "deployment_status", event, { delivery: "dup-1" });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    const [a, b] = [ReceivedSchema.parse(await first.json()), ReceivedSchema.parse(await second.json())];
    expect(b).toEqual({ delivery: a.delivery, duplicate: true });
    await app.drain();
    expect(await receiptCount()).toBe(before + 1);

    const off = await api("PATCH", `${hooks}/github-refusals`, [
      { op: "replace", path: "/active", value: false },
    ]);
    expect(off.status).toBe(200);
    await expectProblem(await postGitHub(w.path, w.secret, "deployment_status", event), 404);
    expect(await receiptCount()).toBe(before + 1);
  });

  it("limits each webhook's deliveries, counting only verified ones", async () => {
    const w = await createWebhook({ slug: "chatty", name: "Chatty", service_account: "gh-gateway" });
    const other = await createWebhook({ slug: "quiet", name: "Quiet", service_account: "gh-gateway" });
    // Forgeries do not spend the sender's budget.
    for (let i = 0; i < 15; i++) expect((await postGitHub(w.path, "forged", "ping", { i })).status).toBe(401);
    for (let i = 0; i < 12; i++) expect((await postGitHub(w.path, w.secret, "ping", { i })).status).toBe(202);
    const before = await receiptCount();
    const limited = await postGitHub(w.path, w.secret, "ping", { i: 12 });
    expect((await expectProblem(limited, 429)).detail).toContain("Too many deliveries");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await receiptCount()).toBe(before);
    // The limit is per webhook.
    expect((await postGitHub(other.path, other.secret, "ping", {})).status).toBe(202);
    await app.drain();
  });

  it("stores text the database cannot keep (NUL, lone surrogates) from a body's event type as unknown, never a 500", async () => {
    const w = await createWebhook({
      slug: "odd-types",
      name: "Odd",
      provider: "generic",
      identifier_source: "github",
      identifier_selector: "/repo",
      event_type_selector: "/kind",
      service_account: "gh-gateway",
      rules: [
        {
          name: "Release",
          action: "create_release",
          config: { version: "payload.version", title: "payload.title" },
        },
      ],
    });
    // JSON escapes: the text is valid JSON, the strings it decodes to are not storable.
    for (const [i, kind] of ["a\\u0000b", "\\ud800"].entries()) {
      const body = `{"repo": 424242, "kind": "${kind}", "version": "9.9.${i}", "title": "t\\u0000"}`;
      const res = await app.request(`/api${w.path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-imbi-signature": await signGeneric(w.secret, body, Math.floor(Date.now() / 1000)),
        },
        body,
      });
      expect(res.status, await res.clone().text()).toBe(202);
    }
    await app.drain();
    const log = (await deliveries("odd-types")).data;
    expect(log.map((d) => [d.event_type, d.status])).toEqual([
      ["", "processed"],
      ["", "processed"],
    ]);
    // The title the store cannot keep is left out (the default title is used), not retried.
    expect(log.flatMap((d) => d.outcomes.map((o) => o.status))).toEqual(["succeeded", "succeeded"]);
  });

  it("verifies the generic scheme with its replay window", async () => {
    const w = await createWebhook({
      slug: "ci-generic",
      name: "CI",
      provider: "generic",
      identifier_source: "github",
      identifier_selector: "/repo",
      service_account: "gh-gateway",
      rules: [
        {
          name: "Deploys",
          action: "record_deployment",
          config: {
            environment: "payload.env",
            status: "payload.status",
            ref: "payload.sha",
            external_run_id: "payload.run",
          },
        },
      ],
    });
    const body = JSON.stringify({
      repo: 424242,
      env: "staging",
      status: "success",
      sha: "feedbeef",
      run: "ci-77",
    });
    const post = async (t: number) =>
      app.request(`/api${w.path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-imbi-signature": await signGeneric(w.secret, body, t),
          "x-imbi-event": "deploy",
        },
        body,
      });
    const now = Math.floor(Date.now() / 1000);
    expect((await expectProblem(await post(now - 3600), 401)).detail).toContain("window");
    const ok = await post(now);
    expect(ok.status, await ok.clone().text()).toBe(202);
    await app.drain();
    const [d] = (await deliveries("ci-generic")).data;
    expect(d).toMatchObject({ event_type: "deploy", status: "processed" });
    expect(d?.outcomes[0]).toMatchObject({ status: "succeeded" });
  });
});

describe("processing", () => {
  it("records what the service account may not do, and skips what the delivery lacks", async () => {
    const w = await createWebhook({
      slug: "reader-hook",
      name: "R",
      service_account: "gh-reader",
      rules: RULES,
    });
    await postGitHub(
      w.path,
      w.secret,
      "deployment_status",
      deploymentStatus({ runId: 9300, state: "success", ref: "v3.0.0" }),
    );
    await postGitHub(w.path, w.secret, "deployment_status", {
      ...deploymentStatus({ runId: 9301, state: "success", ref: "v3.0.0" }),
      repository: { id: 1 },
    });
    await postGitHub(
      w.path,
      w.secret,
      "deployment_status",
      deploymentStatus({ runId: 9302, state: "exploded", ref: "v3.0.0" }),
    );
    await app.drain();
    const [unknownState, noProject, denied] = (await deliveries("reader-hook")).data;
    // Least privilege: the read-only account's write is refused by the verb, for good (no retry).
    expect(denied?.status, JSON.stringify(denied)).toBe("processed");
    expect(denied?.outcomes[0], JSON.stringify(denied?.outcomes)).toMatchObject({
      rule: "Record deployments",
      status: "failed",
      retryable: false,
    });
    expect(denied?.outcomes[0]?.detail).toContain("project:deployment:write");
    expect(noProject).toMatchObject({ status: "processed", matched_projects: [], outcomes: [] });
    expect(unknownState?.outcomes[0]).toMatchObject({ status: "skipped" });
    expect(unknownState?.outcomes[0]?.detail).toContain("exploded");
  });

  it("retries a failing rule with backoff, gives up into a dead delivery, and replays it once fixed", async () => {
    const w = await createWebhook({
      slug: "flaky",
      name: "Flaky",
      service_account: "gh-gateway",
      rules: RULES,
    });
    // An outage of one of our own tables: the deployment write fails with a database error.
    await app.db.sql`ALTER TABLE deployments RENAME TO deployments_away`;
    try {
      const res = await postGitHub(
        w.path,
        w.secret,
        "deployment_status",
        deploymentStatus({ runId: 9400, state: "success", ref: "v4.0.0" }),
      );
      const { delivery } = ReceivedSchema.parse(await res.json());
      await app.drain();
      const get = async () =>
        WebhookDeliverySchema.parse(await (await api("GET", `${hooks}/flaky/deliveries/${delivery}`)).json());
      let d = await get();
      expect(d.status).toBe("pending");
      expect(d.attempts).toBe(1);
      expect(d.outcomes[0]).toMatchObject({ status: "failed", retryable: true });
      expect(d.last_error).toContain("will be retried");
      expect(d.next_attempt_at).not.toBeNull();
      // Still pending: a replay now would race the retry.
      await expectProblem(await api("POST", `${hooks}/flaky/deliveries/${delivery}/replay`), 409);
      // The sweep (the Node host's timer, the Worker's cron) takes it again when its backoff ends.
      const { processReceipts } = await import("../../lib/webhooks/process.ts");
      for (let i = 0; i < 200 && d.status === "pending"; i++) {
        await processReceipts(app.services);
        await new Promise((r) => setTimeout(r, 50));
        d = await get();
      }
      expect(d.status).toBe("dead");
      expect(d.attempts).toBe(3);
      expect((await deliveries("flaky", "?status=dead")).data.map((x) => x.id)).toEqual([delivery]);
    } finally {
      await app.db.sql`ALTER TABLE deployments_away RENAME TO deployments`;
    }
    const [dead] = (await deliveries("flaky", "?status=dead")).data;
    const replay = await api("POST", `${hooks}/flaky/deliveries/${dead?.id}/replay`);
    expect(replay.status, await replay.clone().text()).toBe(202);
    await app.drain();
    const after = WebhookDeliverySchema.parse(
      await (await api("GET", `${hooks}/flaky/deliveries/${dead?.id}`)).json(),
    );
    expect(after).toMatchObject({ status: "processed", last_error: null });
    expect(after.outcomes[0]).toMatchObject({ rule: "Record deployments", status: "succeeded" });
    const runs = DeploymentPageSchema.parse(
      await (await api("GET", `/api/organizations/${ORG}/projects/${project}/deployments?limit=100`)).json(),
    );
    expect(runs.data.filter((x) => x.external_run_id === "9400")).toHaveLength(1);
    // The analytics record keeps every attempt: two retries, the dead one, and the replay.
    await app.drain();
    const record = await app.analytics.listWebhookDeliveries({
      organization: ORG,
      webhook: "flaky",
      limit: 50,
    });
    expect(record.data.map((x) => [x.attempt, x.status]).reverse()).toEqual([
      [1, "retrying"],
      [2, "retrying"],
      [3, "dead"],
      [1, "processed"],
    ]);
  });
});

describe("the Cloudflare queue consumer", () => {
  it("acknowledges a message whose deliveries are done, and retries one with the delivery's backoff", async () => {
    const { consumeWebhookBatch } = await import("../../lib/webhooks/process.ts");
    const w = await createWebhook({
      slug: "queued",
      name: "Queued",
      service_account: "gh-gateway",
      rules: RULES,
    });
    // Stored as the receiver stores them, but not processed: the message carries them (as on Workers).
    await app.db.sql`ALTER TABLE deployments RENAME TO deployments_gone`;
    const outcome: string[] = [];
    const message = (receipts: unknown) => ({
      body: { receipts },
      ack: () => outcome.push("ack"),
      retry: (o?: { delaySeconds?: number }) => outcome.push(`retry:${o?.delaySeconds}`),
    });
    try {
      const res = await postGitHub(
        w.path,
        w.secret,
        "deployment_status",
        deploymentStatus({ runId: 9500, state: "success", ref: "v5.0.0" }),
      );
      const { delivery } = ReceivedSchema.parse(await res.json());
      await app.drain(); // the in-process queue ran it once (attempt 1 failed)
      await app.db.sql`UPDATE webhook_receipts SET next_attempt_at = now() WHERE id = ${delivery}`;
      await consumeWebhookBatch(app.services, { messages: [message([delivery]), message("junk")] });
      expect(outcome).toEqual(["retry:1", "ack"]);
    } finally {
      await app.db.sql`ALTER TABLE deployments_gone RENAME TO deployments`;
    }
    outcome.length = 0;
    const [pending] = (await deliveries("queued", "?status=pending")).data;
    await app.db.sql`UPDATE webhook_receipts SET next_attempt_at = now() WHERE id = ${pending?.id ?? ""}`;
    await consumeWebhookBatch(app.services, { messages: [message([pending?.id])] });
    expect(outcome).toEqual(["ack"]);
    expect((await deliveries("queued")).data[0]).toMatchObject({ status: "processed", attempts: 3 });
  });
});

describe("retention", () => {
  it("prunes finished deliveries past the retention, never pending ones", async () => {
    const { pruneReceipts } = await import("../../lib/webhooks/inbound.ts");
    const [old] = await app.db.sql<{ id: string }[]>`
      SELECT id FROM webhook_receipts WHERE status = 'processed' ORDER BY seq LIMIT 1`;
    const [waiting] = await app.db.sql<{ id: string }[]>`
      SELECT id FROM webhook_receipts WHERE status = 'processed' ORDER BY seq DESC LIMIT 1`;
    await app.db
      .sql`UPDATE webhook_receipts SET received_at = now() - interval '40 days' WHERE id IN (${old?.id ?? ""}, ${waiting?.id ?? ""})`;
    await app.db
      .sql`UPDATE webhook_receipts SET status = 'pending', next_attempt_at = now() + interval '1 day' WHERE id = ${waiting?.id ?? ""}`;
    const before = await receiptCount();
    expect(await pruneReceipts(app.db.sql, 30)).toBe(1);
    expect(await receiptCount()).toBe(before - 1);
    const left = await app.db
      .sql`SELECT id FROM webhook_receipts WHERE id IN (${old?.id ?? ""}, ${waiting?.id ?? ""})`;
    expect(left.map((r) => r.id)).toEqual([waiting?.id]);
  });
});
