import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventRow, opRow } from "../../test/contracts/oplog.contract.ts";
import { type ClickHouseHandle, startClickHouse } from "../../test/harness/clickhouse.ts";
import { startTestDatabase, type TestDatabase } from "../../test/harness/pglite.ts";
import { createLogger } from "../log.ts";
import { createClickHouseAnalytics } from "./clickhouse.ts";
import { withOutbox } from "./outbox.ts";
import type { AnalyticsStore } from "./types.ts";

// A private ClickHouse: the test stops it, which would break files sharing the suite's server.
let ch: ClickHouseHandle;
let db: TestDatabase;
let primary: AnalyticsStore;
const log = createLogger("error");

async function chCount(query: string): Promise<number> {
  const res = await fetch(`${ch.baseUrl}/?database=imbi_test`, { method: "POST", body: query });
  const text = await res.text();
  if (!res.ok) throw new Error(text);
  return Number(text.trim());
}

/** Distinct ids visible in a table, and its physical row count (before merges). */
async function counts(table: string): Promise<{ distinct: number; physical: number }> {
  return {
    distinct: await chCount(`SELECT uniqExact(id) FROM ${table}`),
    physical: await chCount(`SELECT count() FROM ${table}`),
  };
}

const outboxSize = async () => Number((await db.sql`select count(*)::int as n from analytics_outbox`)[0]?.n);
const audit = (id: string) => ({ id, occurred_at: new Date().toISOString(), event: "login" });

beforeAll(async () => {
  [ch, db] = await Promise.all([startClickHouse(), startTestDatabase()]);
  primary = createClickHouseAnalytics({ url: ch.url, requestTimeoutMs: 2_000 });
  await primary.migrate();
});

afterAll(async () => {
  await primary?.close();
  await Promise.all([ch?.stop(), db?.stop()]);
});

describe("analytics outbox", () => {
  it("parks rows while ClickHouse is down and delivers each exactly once after it returns", async () => {
    const store = withOutbox(primary, db.sql, log);
    expect((await store.insert("audit_log", [audit("up-1")])).err).toBeUndefined();
    expect(await outboxSize()).toBe(0);
    expect((await counts("audit_log")).distinct).toBe(1);

    await ch.pause();
    expect((await store.insert("audit_log", [audit("down-1"), audit("down-2")])).err).toBeUndefined();
    expect(
      (await store.insert("operations_log", [opRow(1), opRow(1, { version: 2, description: "v2" })])).err,
    ).toBeUndefined();
    expect((await store.insert("events", [eventRow(1), eventRow(2)])).err).toBeUndefined();
    expect(await outboxSize()).toBe(6);
    // Still down: a flush delivers nothing, keeps everything, and records the error.
    expect(await store.flush()).toEqual({ delivered: 0, remaining: 6 });
    const [first] = await db.sql`select attempts, last_error from analytics_outbox order by id limit 1`;
    expect(first?.attempts).toBe(1);
    expect(String(first?.last_error)).toMatch(/clickhouse insert/);
    // Invalid rows are refused, never parked.
    expect((await store.insert("audit_log", [{ ...audit("bad"), event: "Bad Event" }])).err).toBeInstanceOf(
      Error,
    );
    expect(await outboxSize()).toBe(6);

    await ch.resume();
    expect(await store.flush()).toEqual({ delivered: 6, remaining: 0 });
    expect(await store.flush()).toEqual({ delivered: 0, remaining: 0 });
    expect(await counts("audit_log")).toEqual({ distinct: 3, physical: 3 });
    expect(await counts("events")).toEqual({ distinct: 2, physical: 2 });
    expect(await chCount("SELECT count() FROM operations_log")).toBe(2);
    expect((await store.getOperation("op-001"))?.description).toBe("v2");
    expect((await store.listEvents({})).data.map((r) => r.id)).toEqual(["ev-002", "ev-001"]);
  });

  it("a crash between delivery and delete redelivers, and readers still see one row", async () => {
    const store = withOutbox(primary, db.sql, log);
    await ch.pause();
    expect((await store.insert("audit_log", [audit("crash-1"), audit("crash-2")])).err).toBeUndefined();
    await ch.resume();
    // The primary accepts the rows, then the process "dies" before the outbox delete commits.
    const crashing: AnalyticsStore = {
      ...primary,
      async insert(table, rows) {
        const res = await primary.insert(table, rows);
        if (res.err) return res;
        throw new Error("simulated crash after delivery");
      },
    };
    await expect(withOutbox(crashing, db.sql, log).flush()).rejects.toThrow(/simulated crash/);
    expect(await outboxSize()).toBe(2);
    expect(await store.flush()).toEqual({ delivered: 2, remaining: 0 });
    const page = await store.listAudit({ limit: 500 });
    expect(page.data.filter((r) => r.id.startsWith("crash-")).map((r) => r.id)).toEqual(
      expect.arrayContaining(["crash-1", "crash-2"]),
    );
    expect(page.data.filter((r) => r.id.startsWith("crash-"))).toHaveLength(2);
    expect(await chCount("SELECT uniqExact(id) FROM audit_log WHERE id LIKE 'crash-%'")).toBe(2);
  });

  it("concurrent flushes deliver every row once and empty the outbox", async () => {
    const store = withOutbox(primary, db.sql, log, { batchSize: 7 });
    await ch.pause();
    const ids = Array.from({ length: 40 }, (_, i) => `conc-${i}`);
    for (let i = 0; i < ids.length; i += 10)
      expect((await store.insert("audit_log", ids.slice(i, i + 10).map(audit))).err).toBeUndefined();
    await ch.resume();
    const results = await Promise.all([store.flush(), store.flush(), store.flush()]);
    const again = await store.flush();
    expect(results.reduce((n, r) => n + r.delivered, 0) + again.delivered).toBe(40);
    expect(again.remaining).toBe(0);
    expect(await outboxSize()).toBe(0);
    expect(await chCount("SELECT count() FROM audit_log WHERE id LIKE 'conc-%'")).toBe(40);
    expect(await chCount("SELECT uniqExact(id) FROM audit_log WHERE id LIKE 'conc-%'")).toBe(40);
  });
});
