import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AnalyticsQueryError,
  type AnalyticsRow,
  type AnalyticsStore,
  type AuditRow,
} from "../../lib/analytics/types.ts";
import { runOplogContract } from "./oplog.contract.ts";
import { runWebhookDeliveriesContract } from "./webhook_deliveries.contract.ts";

/** A store under test plus whatever removes its data afterwards. */
export interface ContractStore {
  store: AnalyticsStore;
  cleanup(): Promise<void>;
}

/** Adapter-specific extras for {@link runAnalyticsContract}. */
export interface ContractOptions {
  /** A store whose server is down; enables the outage cases. */
  makeUnreachableStore?: () => Promise<AnalyticsStore>;
}

type AuditInput = AnalyticsRow<"audit_log">;

const HOSTILE = [
  "'); DROP TABLE audit_log; --",
  "it's \"quoted\" \\ back\\slash \\' \\\\",
  "ünïcödé — 日本語 — emoji 🚀👩‍💻",
  "tab\tnew\nline\rcr",
  "\\N",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: placeholder syntax must be stored verbatim
  "{x:String} $1 ? %s ${y}",
  "unhex('41')",
];

const base = Date.UTC(2024, 4, 1, 12, 0, 0);
const at = (offsetMs: number) => new Date(base + offsetMs).toISOString();

/** A complete row whose every field is set, so a roundtrip compares everything. */
function fullRow(i: number, over: Partial<AuditInput> = {}): AuditInput {
  return {
    id: `evt-${String(i).padStart(3, "0")}`,
    occurred_at: at(i * 1_000),
    event: "login",
    actor: "ada@example.com",
    actor_kind: "user",
    credential: `password:sess_${i}`,
    organization: "acme",
    subject: `user:${i}`,
    ip: "192.0.2.10",
    user_agent: "vitest/4",
    request_id: `req_${i}`,
    success: true,
    details: { n: i },
    ...over,
  };
}

/** What a store must return for `row`: defaults applied, timestamp in UTC with milliseconds. */
function expected(row: AuditInput): AuditRow {
  return {
    actor: "",
    actor_kind: "",
    credential: "",
    organization: "",
    subject: "",
    ip: "",
    user_agent: "",
    request_id: "",
    success: true,
    details: {},
    ...row,
    occurred_at: new Date(row.occurred_at as string).toISOString(),
  } as AuditRow;
}

async function insertOk(store: AnalyticsStore, rows: AuditInput[]): Promise<void> {
  const res = await store.insert("audit_log", rows);
  expect(res.err).toBeUndefined();
}

async function allIds(store: AnalyticsStore): Promise<string[]> {
  return (await store.listAudit({ limit: 500 })).data.map((r) => r.id);
}

/**
 * The behaviour every {@link AnalyticsStore} adapter must share. `makeStore` returns a fresh,
 * not yet migrated store on empty storage; each test migrates it and calls `cleanup` afterwards.
 */
export function runAnalyticsContract(
  name: string,
  makeStore: () => Promise<ContractStore>,
  opts: ContractOptions = {},
): void {
  describe(`AnalyticsStore contract: ${name}`, () => {
    let ctx: ContractStore;
    let store: AnalyticsStore;

    beforeEach(async () => {
      ctx = await makeStore();
      store = ctx.store;
      await store.migrate();
    });
    afterEach(async () => {
      await ctx.cleanup();
    });

    it("migrates idempotently and keeps data across re-runs", async () => {
      await store.migrate();
      await insertOk(store, [fullRow(1)]);
      await store.migrate();
      expect(await allIds(store)).toEqual(["evt-001"]);
    });

    it("round-trips every field exactly, hostile text included", async () => {
      const rows: AuditInput[] = HOSTILE.map((s, i) =>
        fullRow(i, {
          event: "token_reuse_detected",
          actor: s,
          actor_kind: (["user", "service_account", "system", "anonymous", ""] as const)[i % 5],
          credential: s,
          organization: s,
          subject: s,
          user_agent: s,
          request_id: s,
          success: i % 2 === 0,
          ip: i % 2 ? "2001:db8::1" : "203.0.113.7",
          details: { s, nested: { list: [1, 2.5, null, true, s] }, "key with 'quote'": s },
        }),
      );
      // Minimal row: defaults; offset and sub-millisecond input normalised to UTC milliseconds.
      rows.push({ id: "evt-min", occurred_at: "2024-05-01T18:15:00.123456+05:45", event: "user_created" });
      await insertOk(store, rows);
      const page = await store.listAudit({ limit: 500 });
      const byId = new Map(page.data.map((r) => [r.id, r]));
      expect(page.data).toHaveLength(rows.length);
      for (const row of rows) expect(byId.get(row.id)).toEqual(expected(row));
      expect(byId.get("evt-min")?.occurred_at).toBe("2024-05-01T12:30:00.123Z");
    });

    it("keeps exact instants at second and year boundaries", async () => {
      const instants = ["1970-01-01T00:00:00.000Z", "2024-02-29T23:59:59.999Z", "2099-12-31T23:59:59.001Z"];
      await insertOk(
        store,
        instants.map((t, i) => fullRow(i, { occurred_at: t })),
      );
      const got = (await store.listAudit({ limit: 10 })).data.map((r) => r.occurred_at);
      expect(got).toEqual([...instants].reverse());
    });

    it("rejects an invalid batch with err and inserts nothing", async () => {
      const bad: unknown[] = [
        { ...fullRow(2), event: "Not An Event" },
        { ...fullRow(2), ip: "999.1.1.1" },
        { ...fullRow(2), occurred_at: "1960-01-01T00:00:00Z" },
        { ...fullRow(2), occurred_at: "yesterday" },
        { ...fullRow(2), actor: "nul\u0000byte" },
        { ...fullRow(2), unknown_column: 1 },
        { ...fullRow(2), id: "" },
      ];
      for (const row of bad) {
        const res = await store.insert("audit_log", [fullRow(1), row as AuditInput]);
        expect(res.err).toBeInstanceOf(Error);
        expect(res.err?.message).toContain("audit_log row 1");
      }
      expect(await allIds(store)).toEqual([]);
    });

    it("treats an empty batch as a no-op and a re-sent id as one row", async () => {
      expect((await store.insert("audit_log", [])).err).toBeUndefined();
      await insertOk(store, [fullRow(1)]);
      await insertOk(store, [fullRow(1), fullRow(2)]);
      expect(await allIds(store)).toEqual(["evt-002", "evt-001"]);
    });

    it("filters by event, actor, organization and a half-open time range", async () => {
      await insertOk(store, [
        fullRow(1, { event: "login", actor: "a@x", organization: "acme" }),
        fullRow(2, { event: "login_failed", actor: "b@x", organization: "acme" }),
        fullRow(3, { event: "login", actor: "b@x", organization: "globex" }),
        fullRow(4, { event: "token_issued", actor: HOSTILE[0], organization: "" }),
        fullRow(5, { event: "login", actor: "a@x", organization: "globex" }),
      ]);
      const ids = async (q: Parameters<AnalyticsStore["listAudit"]>[0]) =>
        (await store.listAudit(q)).data.map((r) => r.id);
      expect(await ids({ event: "login" })).toEqual(["evt-005", "evt-003", "evt-001"]);
      expect(await ids({ actor: "b@x" })).toEqual(["evt-003", "evt-002"]);
      expect(await ids({ organization: "acme" })).toEqual(["evt-002", "evt-001"]);
      expect(await ids({ organization: "" })).toEqual(["evt-004"]);
      expect(await ids({ actor: HOSTILE[0] })).toEqual(["evt-004"]);
      expect(await ids({ actor: "a@x' OR '1'='1" })).toEqual([]);
      expect(await ids({ event: "login", actor: "a@x", organization: "globex" })).toEqual(["evt-005"]);
      // `from` inclusive, `to` exclusive, to the millisecond.
      expect(await ids({ from: at(2_000), to: at(4_000) })).toEqual(["evt-003", "evt-002"]);
      expect(await ids({ from: at(2_001), to: at(4_001) })).toEqual(["evt-004", "evt-003"]);
      expect(await ids({ from: at(5_000) })).toEqual(["evt-005"]);
      expect(await ids({ to: at(1_001) })).toEqual(["evt-001"]);
      expect(await ids({ from: "2024-05-01T17:45:03+05:45", to: at(3_001) })).toEqual(["evt-003"]);
    });

    it("filters by exact credential and by a set of organizations", async () => {
      await insertOk(store, [
        fullRow(1, {
          actor: "ci",
          actor_kind: "service_account",
          credential: "api_key:ik_a",
          organization: "acme",
        }),
        fullRow(2, {
          actor: "ci",
          actor_kind: "service_account",
          credential: "api_key:ik_b",
          organization: "globex",
        }),
        fullRow(3, { credential: "api_key:ik_a", organization: "initech" }),
        fullRow(4, { credential: "password:s1", organization: "" }),
        fullRow(5, { credential: HOSTILE[0], organization: HOSTILE[0] }),
      ]);
      const ids = async (q: Parameters<AnalyticsStore["listAudit"]>[0]) =>
        (await store.listAudit(q)).data.map((r) => r.id);
      expect(await ids({ credential: "api_key:ik_a" })).toEqual(["evt-003", "evt-001"]);
      expect(await ids({ credential: "api_key:ik_" })).toEqual([]);
      expect(await ids({ credential: HOSTILE[0] })).toEqual(["evt-005"]);
      expect(await ids({ organizations: ["acme", "globex"] })).toEqual(["evt-002", "evt-001"]);
      expect(await ids({ organizations: [HOSTILE[0] as string, "initech"] })).toEqual(["evt-005", "evt-003"]);
      expect(await ids({ organizations: ["acme"], organization: "globex" })).toEqual([]);
      expect(await ids({ organizations: ["nope"] })).toEqual([]);
      await expect(store.listAudit({ organizations: [] })).rejects.toBeInstanceOf(AnalyticsQueryError);
      const row = (await store.listAudit({ credential: "api_key:ik_b" })).data[0];
      expect(row).toMatchObject({ actor: "ci", actor_kind: "service_account", credential: "api_key:ik_b" });
    });

    it("orders newest first, by milliseconds, then by id (bytewise, descending) on ties", async () => {
      const t = at(0);
      await insertOk(store, [
        fullRow(0, { id: "evt-a", occurred_at: t }),
        fullRow(0, { id: "evt-C", occurred_at: t }),
        fullRow(0, { id: "evt-b", occurred_at: t }),
        fullRow(0, { id: "evt-é", occurred_at: t }),
        fullRow(0, { id: "ms-1", occurred_at: at(1) }),
        fullRow(0, { id: "ms-999", occurred_at: at(999) }),
        fullRow(0, { id: "older", occurred_at: at(-1) }),
      ]);
      expect(await allIds(store)).toEqual(["ms-999", "ms-1", "evt-é", "evt-b", "evt-a", "evt-C", "older"]);
    });

    it("pages 25 rows by 10 with no duplicates or gaps, ties across page edges included", async () => {
      // Five rows share each instant so page boundaries fall inside runs of equal timestamps.
      const rows = Array.from({ length: 25 }, (_, i) =>
        fullRow(i, { occurred_at: at(Math.floor(i / 5) * 1_000), event: i % 2 ? "login" : "logout" }),
      );
      await insertOk(store, rows);
      const all = await allIds(store);
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listAudit({ limit: 10, cursor });
        pages.push(page.data.map((r) => r.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor && pages.length < 10);
      expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
      expect(pages.flat()).toEqual(all);
      expect(new Set(all).size).toBe(25);

      // Filters and cursors compose: 12 logins → 5, 5, 2.
      const logins: string[] = [];
      let c: string | undefined;
      const sizes: number[] = [];
      do {
        const page = await store.listAudit({ event: "login", limit: 5, cursor: c });
        sizes.push(page.data.length);
        logins.push(...page.data.map((r) => r.id));
        c = page.nextCursor ?? undefined;
      } while (c && sizes.length < 10);
      expect(sizes).toEqual([5, 5, 2]);
      expect(logins).toEqual(all.filter((id) => Number(id.slice(4)) % 2 === 1));
    });

    it("returns nextCursor null when the last page is exactly full", async () => {
      await insertOk(store, [fullRow(1), fullRow(2)]);
      const page = await store.listAudit({ limit: 2 });
      expect(page.data).toHaveLength(2);
      expect(page.nextCursor).toBeNull();
    });

    it("rejects malformed queries with AnalyticsQueryError", async () => {
      await expect(store.listAudit({ limit: 0 })).rejects.toBeInstanceOf(AnalyticsQueryError);
      await expect(store.listAudit({ limit: 501 })).rejects.toBeInstanceOf(AnalyticsQueryError);
      await expect(store.listAudit({ cursor: "not-a-cursor" })).rejects.toBeInstanceOf(AnalyticsQueryError);
      await expect(store.listAudit({ cursor: btoa("[1,2]") })).rejects.toBeInstanceOf(AnalyticsQueryError);
      await expect(store.listAudit({ from: "2024-13-01" })).rejects.toBeInstanceOf(AnalyticsQueryError);
      await expect(
        store.listAudit({ organization: "acme", nope: 1 } as Parameters<AnalyticsStore["listAudit"]>[0]),
      ).rejects.toBeInstanceOf(AnalyticsQueryError);
    });

    it("answers ping with a latency", async () => {
      const res = await store.ping();
      expect(res.err).toBeUndefined();
      expect(res.val?.latencyMs).toBeGreaterThanOrEqual(0);
    });

    runOplogContract(() => store);
    runWebhookDeliveriesContract(() => store);

    if (opts.makeUnreachableStore) {
      const makeDown = opts.makeUnreachableStore;
      it("returns err instead of throwing when the server is down", async () => {
        const down = await makeDown();
        try {
          const ping = await down.ping();
          expect(ping.err).toBeInstanceOf(Error);
          const ins = await down.insert("audit_log", [fullRow(1)]);
          expect(ins.err).toBeInstanceOf(Error);
          await expect(down.listAudit({})).rejects.toThrow();
        } finally {
          await down.close();
        }
      });
    }
  });
}
