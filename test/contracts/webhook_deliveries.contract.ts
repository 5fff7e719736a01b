import { expect, it } from "vitest";
import { AnalyticsQueryError, type AnalyticsRow, type AnalyticsStore } from "../../lib/analytics/types.ts";
import { listWebhookDeliveryRecords } from "../../lib/analytics/webhook_deliveries.ts";

type DeliveryInput = AnalyticsRow<"webhook_deliveries">;

const base = Date.UTC(2024, 4, 1, 12, 0, 0);
const at = (offsetMs: number) => new Date(base + offsetMs).toISOString();
const HOSTILE = "it's \"q\" \\ '); DROP TABLE webhook_deliveries; -- 🚀 {x:String} unhex('41') \\N";

/** One attempt of a delivery to webhook `github` of acme; `i` orders it in time. */
export function deliveryRow(i: number, over: Partial<DeliveryInput> = {}): DeliveryInput {
  const delivery = `dlv_${String(i).padStart(3, "0")}`;
  return {
    id: `${delivery}.1`,
    occurred_at: at(i * 1_000),
    organization: "acme",
    webhook: "github",
    webhook_id: "wh_V1StGXR8Z5jdHi6BmyT",
    delivery_id: delivery,
    attempt: 1,
    status: "processed",
    duration_ms: 12,
    ...over,
  };
}

async function ok(p: Promise<{ err?: Error }>): Promise<void> {
  expect((await p).err).toBeUndefined();
}

/** Inbound webhook delivery cases of the contract; `store()` is the migrated store of the test. */
export function runWebhookDeliveriesContract(store: () => AnalyticsStore): void {
  const ids = async (webhook = "github", organization = "acme") =>
    (await store().listWebhookDeliveries({ organization, webhook, limit: 500 })).data.map((r) => r.id);

  it("webhook_deliveries: round-trips every field, hostile text included, and applies defaults", async () => {
    const full: DeliveryInput = deliveryRow(1, {
      id: "dlv_full.3",
      delivery_id: "dlv_full",
      external_id: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      event_type: "deployment_status",
      attempt: 3,
      status: "retrying",
      matched_projects: ["V1StGXR8_Z5jdHi6B-myT", 'p"2\\', HOSTILE.slice(0, 64)],
      outcomes: [
        {
          project: "V1StGXR8_Z5jdHi6B-myT",
          rule: "rule_1",
          action: "create_release",
          status: "succeeded",
          duration_ms: 5,
        },
        {
          project: "V1StGXR8_Z5jdHi6B-myT",
          rule: "rule_2",
          action: "publish_release",
          status: "failed",
          duration_ms: 2_147_483_647,
          error: HOSTILE,
        },
      ],
      headers: {
        "x-github-event": "deployment_status",
        "x-hub-signature-256": "[redacted]",
        "x-odd": HOSTILE,
      },
      duration_ms: 0,
      error: HOSTILE,
    });
    await ok(store().insert("webhook_deliveries", [full, deliveryRow(2)]));
    const page = await store().listWebhookDeliveries({ organization: "acme", webhook: "github" });
    expect(page.data.map((r) => r.id)).toEqual(["dlv_002.1", "dlv_full.3"]);
    expect(page.data[1]).toEqual({
      ...full,
      occurred_at: at(1_000),
      outcomes: [{ ...full.outcomes?.[0], error: "" }, full.outcomes?.[1]],
    });
    expect(page.data[0]).toEqual({
      ...deliveryRow(2),
      external_id: "",
      event_type: "",
      matched_projects: [],
      outcomes: [],
      headers: {},
      error: "",
    });
  });

  it("webhook_deliveries: one webhook's rows newest first, keyset pages, a re-sent attempt once", async () => {
    // Three rows share each instant so page edges fall inside runs of equal timestamps.
    const rows = Array.from({ length: 12 }, (_, i) =>
      deliveryRow(i, { occurred_at: at(Math.floor(i / 3) * 1_000) }),
    );
    const others = [
      deliveryRow(50, { webhook: "pagerduty" }),
      deliveryRow(51, { organization: "globex" }),
      deliveryRow(52, { webhook: HOSTILE.slice(0, 64) }),
    ];
    await ok(store().insert("webhook_deliveries", [...rows, ...others]));
    // The outbox (or the gateway) re-sends an attempt: still one row.
    await ok(store().insert("webhook_deliveries", [rows[4] as DeliveryInput, rows[11] as DeliveryInput]));
    const all = await ids();
    // Newest instant first; within one instant, id descending: here, simply i descending.
    expect(all).toEqual(rows.map((r) => r.id).reverse());
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await listWebhookDeliveryRecords(store(), {
        organization: "acme",
        webhook: "github",
        limit: 5,
        cursor,
      });
      pages.push(page.data.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages.length < 10);
    expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
    expect(pages.flat()).toEqual(all);
    expect(await ids("pagerduty")).toEqual(["dlv_050.1"]);
    expect(await ids("github", "globex")).toEqual(["dlv_051.1"]);
    expect(await ids(HOSTILE.slice(0, 64))).toEqual(["dlv_052.1"]);
    expect(await ids("github' OR '1'='1")).toEqual([]);
    // A full last page has no next cursor.
    const exact = await store().listWebhookDeliveries({
      organization: "acme",
      webhook: "pagerduty",
      limit: 1,
    });
    expect(exact.nextCursor).toBeNull();
  });

  it("webhook_deliveries: rejects invalid rows and malformed queries", async () => {
    const outcome = {
      project: "p1",
      rule: "r1",
      action: "create_release",
      status: "succeeded" as const,
      duration_ms: 1,
    };
    const bad: [string, unknown][] = [
      ["unknown status", deliveryRow(1, { status: "done" as never })],
      [
        "101 matched projects",
        deliveryRow(1, { matched_projects: Array.from({ length: 101 }, (_, i) => `p${i}`) }),
      ],
      ["attempt 0", deliveryRow(1, { attempt: 0 })],
      ["negative duration", deliveryRow(1, { duration_ms: -1 })],
      ["unknown field", { ...deliveryRow(1), payload: {} }],
      ["outcome status", deliveryRow(1, { outcomes: [{ ...outcome, status: "ok" as never }] })],
      ["outcome field", deliveryRow(1, { outcomes: [{ ...outcome, extra: 1 } as never] })],
      ["outcome duration", deliveryRow(1, { outcomes: [{ ...outcome, duration_ms: 1.5 }] })],
      ["header value", deliveryRow(1, { headers: { "x-n": 1 as never } })],
      ["organization too long", deliveryRow(1, { organization: "a".repeat(64) })],
      ["error too long", deliveryRow(1, { error: "e".repeat(2049) })],
    ];
    for (const [why, row] of bad) {
      const res = await store().insert("webhook_deliveries", [deliveryRow(2), row as DeliveryInput]);
      expect(res.err, why).toBeInstanceOf(Error);
    }
    // A whole batch is refused when one row is invalid.
    expect(await ids()).toEqual([]);
    const list = (q: object) =>
      store().listWebhookDeliveries({ organization: "acme", webhook: "github", ...q });
    await expect(list({ cursor: "junk" })).rejects.toBeInstanceOf(AnalyticsQueryError);
    await expect(list({ limit: 0 })).rejects.toBeInstanceOf(AnalyticsQueryError);
    await expect(list({ webhook: "" })).rejects.toBeInstanceOf(AnalyticsQueryError);
    await expect(list({ status: "dead" })).rejects.toBeInstanceOf(AnalyticsQueryError);
  });
}
