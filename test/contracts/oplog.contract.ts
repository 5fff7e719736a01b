import { expect, it } from "vitest";
import type { AnalyticsRow, AnalyticsStore } from "../../lib/analytics/types.ts";

type OpInput = AnalyticsRow<"operations_log">;
type EventInput = AnalyticsRow<"events">;

const base = Date.UTC(2024, 4, 1, 12, 0, 0);
const at = (offsetMs: number) => new Date(base + offsetMs).toISOString();
const HOSTILE = "it's \"q\" \\ '); DROP TABLE operations_log; -- 🚀 {x:String} unhex('41')";

/** An operations-log row; `i` orders it in time. */
export function opRow(i: number, over: Partial<OpInput> = {}): OpInput {
  return {
    id: `op-${String(i).padStart(3, "0")}`,
    version: 1,
    organization: "acme",
    project_id: "p1",
    environment_slug: "production",
    entry_type: "Deployed",
    description: `deploy ${i}`,
    occurred_at: at(i * 1_000),
    recorded_at: at(i * 1_000),
    ...over,
  };
}

/** An event row; `i` orders it in time. */
export function eventRow(i: number, over: Partial<EventInput> = {}): EventInput {
  return {
    id: `ev-${String(i).padStart(3, "0")}`,
    occurred_at: at(i * 1_000),
    organization: "acme",
    entity_type: "project",
    entity_id: "p1",
    action: "updated",
    field: "name",
    old_value: "a",
    new_value: "b",
    principal: "ada@example.com",
    ...over,
  };
}

async function ok(p: Promise<{ err?: Error }>): Promise<void> {
  expect((await p).err).toBeUndefined();
}

/** Operations-log and events cases of the contract; `store()` is the migrated store of the test. */
export function runOplogContract(store: () => AnalyticsStore): void {
  const ids = async (q: Parameters<AnalyticsStore["listOperations"]>[0] = {}) =>
    (await store().listOperations(q)).data.map((r) => r.id);

  it("operations_log: round-trips every field, latest version wins, tombstones hide", async () => {
    const full = opRow(1, {
      completed_at: "2024-05-01T18:00:01.5+05:45",
      performed_by: HOSTILE,
      recorded_by: "ada@example.com",
      link: "https://ci.example.com/run/1",
      notes: HOSTILE,
      ticket_slug: "OPS-1",
      version_label: "v1.2.3",
      entry_type: "Rolled Back",
    });
    await ok(store().insert("operations_log", [full, opRow(2)]));
    const got = await store().getOperation("op-001");
    expect(got).toEqual({
      ...full,
      deleted: false,
      occurred_at: at(1_000),
      recorded_at: at(1_000),
      completed_at: "2024-05-01T12:15:01.500Z",
    });
    expect((await store().getOperation("op-002"))?.completed_at).toBeNull();
    // A new version (changed environment), then the old version re-sent: the newest still wins.
    await ok(store().insert("operations_log", [opRow(1, { version: 5, environment_slug: "staging" })]));
    await ok(store().insert("operations_log", [full, opRow(1, { version: 5, environment_slug: "staging" })]));
    expect((await store().getOperation("op-001"))?.environment_slug).toBe("staging");
    expect(await ids({ environment_slug: "production" })).toEqual(["op-002"]);
    expect(await ids({ environment_slug: "staging" })).toEqual(["op-001"]);
    // Tombstone.
    await ok(store().insert("operations_log", [opRow(2, { version: 9, deleted: true })]));
    expect(await store().getOperation("op-002")).toBeNull();
    expect(await store().getOperation("nope")).toBeNull();
    expect(await ids()).toEqual(["op-001"]);
  });

  it("operations_log: filters, metrics over the whole filter, and keyset pages", async () => {
    const rows = Array.from({ length: 12 }, (_, i) =>
      opRow(i, {
        project_id: i % 3 === 0 ? "p2" : "p1",
        organization: i === 11 ? "globex" : "acme",
        environment_slug: i % 2 ? "staging" : "production",
        entry_type: i % 4 === 0 ? "Restarted" : "Deployed",
        performed_by: i < 6 ? "ada" : "bob",
        ticket_slug: i === 5 ? "OPS-5" : "",
        description: i === 7 ? `needle ${HOSTILE}` : `deploy ${i}`,
        // Two rows share an instant so a page edge can fall between them.
        occurred_at: at(Math.min(i, 10) * 1_000),
      }),
    );
    await ok(store().insert("operations_log", rows));
    expect(await ids({ organization: "globex" })).toEqual(["op-011"]);
    expect(await ids({ organization: "acme", project_id: "p2" })).toEqual([
      "op-009",
      "op-006",
      "op-003",
      "op-000",
    ]);
    expect(await ids({ entry_type: "Restarted" })).toEqual(["op-008", "op-004", "op-000"]);
    expect(await ids({ performed_by: "ada", environment_slug: "staging" })).toEqual([
      "op-005",
      "op-003",
      "op-001",
    ]);
    expect(await ids({ ticket_slug: "OPS-5" })).toEqual(["op-005"]);
    expect(await ids({ q: "needle" })).toEqual(["op-007"]);
    expect(await ids({ q: HOSTILE })).toEqual(["op-007"]);
    expect(await ids({ performed_by: "ada' OR '1'='1" })).toEqual([]);
    expect(await ids({ from: at(2_000), to: at(4_000) })).toEqual(["op-003", "op-002"]);

    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await store().listOperations({ limit: 5, cursor });
      pages.push(page.data.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages.length < 10);
    expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
    expect(pages.flat()).toEqual(await ids({ limit: 500 }));
    expect(pages[0]?.slice(0, 2)).toEqual(["op-011", "op-010"]);

    const m = await store().operationMetrics({ organization: "acme" });
    expect(m).toEqual({
      total: 11,
      projects: 2,
      by_entry_type: { Deployed: 8, Restarted: 3 },
      by_environment: { production: 6, staging: 5 },
    });
    expect((await store().operationMetrics({ organization: "acme", entry_type: "Restarted" })).total).toBe(3);
    await expect(store().listOperations({ entry_type: "Exploded" as never })).rejects.toThrow();
    await expect(store().listOperations({ cursor: "junk" })).rejects.toThrow(/invalid cursor/);
  });

  it("operations_log: rejects invalid rows", async () => {
    const bad = [
      { ...opRow(1), entry_type: "Nope" },
      { ...opRow(1), version: -1 },
      { ...opRow(1), extra: 1 },
    ];
    for (const row of bad)
      expect((await store().insert("operations_log", [row as OpInput])).err).toBeInstanceOf(Error);
    expect(await ids()).toEqual([]);
  });

  it("events: round-trip JSON values, dedupe re-sent ids, filter and page", async () => {
    const rows = Array.from({ length: 7 }, (_, i) =>
      eventRow(i, {
        entity_id: i < 4 ? "p1" : "p2",
        field: i % 2 ? "name" : "links",
        action: i === 0 ? "created" : "updated",
        principal: i === 6 ? HOSTILE : "ada@example.com",
        organization: i === 5 ? "globex" : "acme",
        old_value: i % 2 ? HOSTILE : { a: [1, null, true], s: HOSTILE },
        new_value: i === 0 ? null : 42.5,
      }),
    );
    await ok(store().insert("events", rows));
    await ok(store().insert("events", [rows[3] as EventInput]));
    const all = (await store().listEvents({ limit: 500 })).data;
    expect(all.map((r) => r.id)).toEqual([
      "ev-006",
      "ev-005",
      "ev-004",
      "ev-003",
      "ev-002",
      "ev-001",
      "ev-000",
    ]);
    expect(all.at(-1)).toEqual({ ...rows[0], request_id: "", occurred_at: at(0) });
    const eids = async (q: Parameters<AnalyticsStore["listEvents"]>[0]) =>
      (await store().listEvents(q)).data.map((r) => r.id);
    expect(await eids({ entity_id: "p2", organization: "acme" })).toEqual(["ev-006", "ev-004"]);
    expect(await eids({ field: "name", action: "updated" })).toEqual(["ev-005", "ev-003", "ev-001"]);
    expect(await eids({ principal: HOSTILE })).toEqual(["ev-006"]);
    expect(await eids({ from: at(1_000), to: at(3_000) })).toEqual(["ev-002", "ev-001"]);
    const first = await store().listEvents({ limit: 4 });
    const second = await store().listEvents({ limit: 4, cursor: first.nextCursor ?? undefined });
    expect([...first.data, ...second.data].map((r) => r.id)).toEqual(all.map((r) => r.id));
    expect(second.nextCursor).toBeNull();
    await expect(store().listEvents({ action: "exploded" as never })).rejects.toThrow();
  });
}
