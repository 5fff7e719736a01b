import type { LookupAddress } from "node:dns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeTransport } from "../../lib/net/node_transport.ts";
import { dispatchDue } from "../../lib/webhooks/dispatch.ts";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { body, seedCatalog } from "../../test/harness/catalog.ts";
import { expectProblem } from "../../test/harness/http.ts";
import { startReceiver, type WebhookReceiver } from "../../test/harness/webhook_receiver.ts";
import { DeliveryPageSchema, SubscriptionPageSchema } from "./schemas.ts";

// SSRF defence of outbound webhooks, with the development allowance off (the production setting).
// DNS is scripted for two invented names (the machine has no DNS server to stage them on); every
// other name goes to the system resolver. The transport under test is the Node hosts' own.

const answers = new Map<string, string[]>();
// "rebind.example.com" answers a public address once (when the subscription is saved), then loopback.
let rebindCalls = 0;
const resolveAll = async (host: string): Promise<LookupAddress[]> => {
  if (host === "rebind.example.com") {
    rebindCalls++;
    return [{ address: rebindCalls === 1 ? "93.184.216.34" : "127.0.0.1", family: 4 }];
  }
  const scripted = answers.get(host);
  if (!scripted) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
  return scripted.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
};

let app: TestApp;
let receiver: WebhookReceiver;

beforeAll(async () => {
  answers.set("loopback.example.com", ["127.0.0.1"]);
  answers.set("mixed.example.com", ["93.184.216.34", "10.1.2.3"]);
  app = await startTestApp({
    analytics: "embedded",
    kv: "memory",
    outbound: createNodeTransport(resolveAll),
    env: { IMBI_WEBHOOKS_MAX_ATTEMPTS: "1" },
  });
  await seedCatalog(app, "acme");
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await app?.stop();
});

const subs = "/api/organizations/acme/subscriptions";
const admin = (method: string, path: string, b?: unknown) => app.json(method, path, b, app.adminToken);

describe("subscription targets", () => {
  it.each([
    ["https://10.0.0.1/", "10.0.0.1"],
    ["https://169.254.169.254/latest/meta-data/", "169.254.169.254"],
    ["https://[::ffff:127.0.0.1]/", "non-public address"],
    ["https://[fd00::1]/", "fd00::1"],
    ["https://localhost/", "internal host"],
    ["https://loopback.example.com/", "loopback.example.com → 127.0.0.1"],
    ["https://mixed.example.com/", "10.1.2.3"],
    ["https://nowhere.example.com/", "does not resolve"],
    ["http://93.184.216.34/", "https"],
  ])("refuses %s with a 400 naming the field", async (url, why) => {
    const problem = await expectProblem(await admin("POST", subs, { url }), 400, "VALIDATION_FAILED");
    expect(problem.detail).toContain(why);
    expect(problem.errors?.[0]?.location).toBe("json.url");
  });

  it("refuses a patch to a private URL too, and stores none of them", async () => {
    answers.set("hooks.example.com", ["93.184.216.34"]);
    const created = await admin("POST", subs, { url: "https://hooks.example.com/imbi" });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await expectProblem(
      await admin("PATCH", `${subs}/${id}`, [{ op: "replace", path: "/url", value: "https://10.0.0.1/" }]),
      400,
      "VALIDATION_FAILED",
    );
    const list = SubscriptionPageSchema.parse(await (await admin("GET", subs)).json());
    expect(list.data.map((s) => s.url)).toEqual(["https://hooks.example.com/imbi"]);
    await admin("DELETE", `${subs}/${id}`);
  });

  it("checks the address again when connecting: a name rebound to loopback is never reached", async () => {
    const url = `https://rebind.example.com:${receiver.port}/hook`;
    const created = await admin("POST", subs, { url });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const res = await admin("POST", "/api/organizations/acme/projects", body({ slug: "rebound" }));
    expect(res.status).toBe(201);
    await app.drain();
    await dispatchDue(app.services);
    const log = DeliveryPageSchema.parse(await (await admin("GET", `${subs}/${id}/deliveries`)).json());
    expect(log.data).toHaveLength(1);
    expect(log.data[0]).toMatchObject({ status: "dead", last_status: null });
    expect(log.data[0]?.last_error).toContain("non-public address (127.0.0.1)");
    // The resolver was asked at save time and at connect time, and no connection reached 127.0.0.1.
    expect(rebindCalls).toBeGreaterThanOrEqual(2);
    expect(receiver.connections).toBe(0);
  });
});
