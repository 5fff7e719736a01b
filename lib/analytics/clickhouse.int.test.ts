import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runAnalyticsContract } from "../../test/contracts/analytics.contract.ts";
import { runScoresContract } from "../../test/contracts/scores.contract.ts";
import { type ClickHouseHandle, startClickHouse } from "../../test/harness/clickhouse.ts";
import { chString, createClickHouseAnalytics } from "./clickhouse.ts";
import { createAnalytics } from "./index.ts";
import { clickhouseMigrations, splitStatements } from "./migrations.ts";

const sharedUrl = new URL(inject("clickhouseUrl"));
const origin = sharedUrl.origin;

async function chExec(query: string, database?: string): Promise<string> {
  const res = await fetch(`${origin}/${database ? `?database=${database}` : ""}`, {
    method: "POST",
    body: query,
  });
  const body = await res.text();
  if (!res.ok) throw new Error(body);
  return body;
}

/** A URL on loopback where nothing listens. */
async function deadUrl(): Promise<string> {
  const { createServer } = await import("node:net");
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const addr = srv.address();
  const port = typeof addr === "object" && addr ? addr.port : 1;
  await new Promise<void>((r) => srv.close(() => r()));
  return `http://127.0.0.1:${port}/imbi`;
}

// Each test gets its own database, which `migrate()` must create; cleanup drops it.
async function makeStore() {
  const db = `imbi_t_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const store = createClickHouseAnalytics({ url: `clickhouse+${origin}/${db}` });
  return {
    store,
    async cleanup() {
      await store.close();
      await chExec(`DROP DATABASE IF EXISTS ${db}`);
    },
    async storedColumns(id: string) {
      const out = await chExec(`SELECT project_types, breakdown FROM ${db}.score_history
        WHERE id = ${chString(id)} LIMIT 1 FORMAT JSONEachRow`);
      if (!out.trim()) return null;
      const row = JSON.parse(out) as { project_types: string[]; breakdown: string };
      return { project_types: row.project_types, breakdown: JSON.parse(row.breakdown) };
    },
  };
}

runScoresContract("clickhouse", makeStore);

runAnalyticsContract("clickhouse", makeStore, {
  makeUnreachableStore: async () =>
    createClickHouseAnalytics({ url: await deadUrl(), requestTimeoutMs: 2_000 }),
});

describe("clickhouse specifics", () => {
  it("chString round-trips any text through the real server", async () => {
    let all = "";
    for (let c = 1; c < 0x800; c++) if (c < 0xd800) all += String.fromCharCode(c);
    const samples = [...["", "'", "\\", "\\'", "''", "'); DROP DATABASE default; --", "😀", "\u0000"], all];
    for (const s of samples) {
      const out = JSON.parse(await chExec(`SELECT ${chString(s)} AS v FORMAT JSONEachRow`)) as { v: string };
      expect(out.v).toBe(s);
    }
  });

  it("creates the database and ledger once, and the table with the shipped DDL", async () => {
    const db = "imbi_t_ledger";
    const store = createClickHouseAnalytics({ url: `${origin}/${db}` });
    try {
      await store.migrate();
      await store.migrate();
      expect(
        (
          await chExec(`SELECT version FROM ${db}.schema_migrations FINAL ORDER BY version FORMAT TSV`)
        ).trim(),
      ).toBe(clickhouseMigrations.map((m) => m.version).join("\n"));
      expect(await chExec(`EXISTS TABLE ${db}.audit_log`)).toBe("1\n");
    } finally {
      await store.close();
      await chExec(`DROP DATABASE IF EXISTS ${db}`);
    }
  });

  it("0005 adds actor_kind and credential to an audit_log that already holds rows, once, on 18.16", async () => {
    const db = "imbi_t_0005";
    try {
      // An installation at 0004: the old table with a row, and its ledger.
      await chExec(`CREATE DATABASE IF NOT EXISTS ${db}`);
      await chExec(`CREATE TABLE ${db}.schema_migrations (version String, applied_at DateTime('UTC'))
        ENGINE = ReplacingMergeTree() ORDER BY version`);
      for (const m of clickhouseMigrations.filter((m) => m.version < "0005")) {
        for (const st of splitStatements(m.sql)) await chExec(st, db);
        await chExec(`INSERT INTO ${db}.schema_migrations VALUES ('${m.version}', now())`);
      }
      await chExec(`INSERT INTO ${db}.audit_log (id, occurred_at, occurred_ms, event, actor, organization, subject,
        ip, user_agent, request_id, success, details) VALUES ('old', 1714564800, 0, 'login', 'ada@example.com',
        '', '', '', '', '', 1, '{}')`);
      const store = createClickHouseAnalytics({ url: `${origin}/${db}` });
      try {
        await store.migrate();
        expect(
          (
            await chExec(`SELECT version FROM ${db}.schema_migrations FINAL ORDER BY version FORMAT TSV`)
          ).trim(),
        ).toBe(clickhouseMigrations.map((m) => m.version).join("\n"));
        // A concurrent migrator that read the ledger before this one wrote it runs the file again:
        // 18.16 has no ADD COLUMN IF NOT EXISTS, so "already exists" must count as done.
        await chExec(
          `ALTER TABLE ${db}.schema_migrations DELETE WHERE version = '0005_audit_actor_credential'`,
        );
        await chExec(`OPTIMIZE TABLE ${db}.schema_migrations FINAL`);
        await store.migrate();
        const row = { id: "new", occurred_at: "2024-05-02T00:00:00Z", event: "login" };
        await store.insert("audit_log", [
          { ...row, actor: "ci", actor_kind: "service_account", credential: "api_key:ik_x" },
        ]);
        const page = await store.listAudit({});
        expect(page.data.map((r) => [r.id, r.actor, r.actor_kind, r.credential])).toEqual([
          ["new", "ci", "service_account", "api_key:ik_x"],
          ["old", "ada@example.com", "", ""],
        ]);
      } finally {
        await store.close();
      }
    } finally {
      await chExec(`DROP DATABASE IF EXISTS ${db}`);
    }
  });

  it("hides a re-sent event before ReplacingMergeTree has merged it away", async () => {
    const db = "imbi_t_dedupe";
    const store = createClickHouseAnalytics({ url: `${origin}/${db}` });
    try {
      await store.migrate();
      // Background merges collapse duplicates within milliseconds; stop them so the read path
      // itself must hide the second copy.
      await chExec(`SYSTEM STOP MERGES ${db}.audit_log`);
      const row = { id: "dup", occurred_at: "2024-01-01T00:00:00.5Z", event: "login" };
      expect((await store.insert("audit_log", [row])).err).toBeUndefined();
      expect((await store.insert("audit_log", [row])).err).toBeUndefined();
      expect(await chExec(`SELECT count() FROM ${db}.audit_log`)).toBe("2\n");
      expect((await store.listAudit({})).data.map((r) => r.id)).toEqual(["dup"]);
    } finally {
      await store.close();
      await chExec(`DROP DATABASE IF EXISTS ${db}`);
    }
  });

  it("lists an unmerged re-sent webhook delivery attempt once", async () => {
    const db = "imbi_t_wh_dedupe";
    const store = createClickHouseAnalytics({ url: `${origin}/${db}` });
    try {
      await store.migrate();
      await chExec(`SYSTEM STOP MERGES ${db}.webhook_deliveries`);
      const row = {
        id: "dlv_1.1",
        occurred_at: "2024-05-01T12:00:00.250Z",
        organization: "acme",
        webhook: "github",
        webhook_id: "wh_1",
        delivery_id: "dlv_1",
        attempt: 1,
        status: "processed" as const,
        matched_projects: ["p1"],
        duration_ms: 3,
      };
      for (let i = 0; i < 2; i++)
        expect((await store.insert("webhook_deliveries", [row])).err).toBeUndefined();
      expect(await chExec(`SELECT count() FROM ${db}.webhook_deliveries`)).toBe("2\n");
      const page = await store.listWebhookDeliveries({ organization: "acme", webhook: "github" });
      expect(page.data.map((r) => [r.id, r.matched_projects])).toEqual([["dlv_1.1", ["p1"]]]);
    } finally {
      await store.close();
      await chExec(`DROP DATABASE IF EXISTS ${db}`);
    }
  });

  it("counts an unmerged re-sent score once everywhere and keeps the latest view in step", async () => {
    const db = "imbi_t_scores";
    const store = createClickHouseAnalytics({ url: `${origin}/${db}` });
    try {
      await store.migrate();
      await chExec(`SYSTEM STOP MERGES ${db}.score_history`);
      await chExec(`SYSTEM STOP MERGES ${db}.score_latest_data`);
      const row = (id: string, at: string, score: number) => ({
        id,
        occurred_at: at,
        project_id: "p1",
        org_id: "acme",
        team: "alpha",
        project_types: ["api", "web"],
        score,
        change_reason: "project_change",
      });
      const first = row("s1", "2024-05-01T10:00:00.250Z", 40);
      const second = row("s2", "2024-05-01T10:30:00.000Z", 60);
      for (const batch of [[first], [first, second], [second]])
        expect((await store.insert("score_history", batch)).err).toBeUndefined();
      expect(await chExec(`SELECT count() FROM ${db}.score_history`)).toBe("4\n");

      const raw = await store.scoreHistory({ project_id: "p1", granularity: "raw" });
      expect(raw.map((p) => p.score)).toEqual([40, 60]);
      const [hour] = await store.scoreHistory({ project_id: "p1", granularity: "hour" });
      expect(hour).toMatchObject({ score: 60, avg: 50, min: 40, max: 60, samples: 2 });
      const latest = { score: 60, at: "2024-05-01T10:30:00.000Z" };
      expect((await store.latestScores(["p1"])).get("p1")).toEqual(latest);
      expect((await store.scoresAsOf(["p1"], "2024-05-01T10:00:00.250Z")).get("p1")?.score).toBe(40);
      expect(await store.teamScoreHistory({ org_id: "acme", granularity: "day" })).toEqual([
        { team: "alpha", at: "2024-05-01T00:00:00.000Z", avg_score: 60, projects: 1 },
      ]);
      // The plain view over the aggregate states, as people and dashboards read it.
      const view = JSON.parse(
        await chExec(
          `SELECT project_id, score, ts_ms, org_id, team FROM ${db}.score_latest FORMAT JSONEachRow`,
        ),
      );
      expect(view).toEqual({
        project_id: "p1",
        score: 60,
        ts_ms: String(Date.parse(latest.at)),
        org_id: "acme",
        team: "alpha",
      });
    } finally {
      await store.close();
      await chExec(`DROP DATABASE IF EXISTS ${db}`);
    }
  });

  it("createAnalytics picks ClickHouse when a URL is given", async () => {
    const store = createAnalytics({ clickhouseUrl: inject("clickhouseUrl"), sql: undefined as never });
    expect(store.kind).toBe("clickhouse");
    expect((await store.ping()).err).toBeUndefined();
    await store.close();
  });
});

// A private server, because stopping the shared one would break files running in parallel.
describe("clickhouse outage and recovery", () => {
  let ch: ClickHouseHandle;
  beforeAll(async () => {
    ch = await startClickHouse();
  });
  afterAll(async () => {
    await ch?.stop();
  });

  it("fails soft while the server is down and works again after it returns", async () => {
    const store = createClickHouseAnalytics({ url: ch.url, requestTimeoutMs: 3_000 });
    const row = (id: string) => ({ id, occurred_at: new Date().toISOString(), event: "login" });
    await store.migrate();
    expect((await store.insert("audit_log", [row("before")])).err).toBeUndefined();

    await ch.pause();
    expect((await store.ping()).err).toBeInstanceOf(Error);
    const during = await store.insert("audit_log", [row("during")]);
    expect(during.err?.message).toMatch(/clickhouse insert into audit_log/);

    await ch.resume();
    expect((await store.ping()).err).toBeUndefined();
    expect((await store.insert("audit_log", [row("after")])).err).toBeUndefined();
    const ids = (await store.listAudit({})).data.map((r) => r.id).sort();
    expect(ids).toEqual(["after", "before"]);
    await store.close();
  });
});
