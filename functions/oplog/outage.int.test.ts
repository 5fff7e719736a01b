import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withOutbox } from "../../lib/analytics/outbox.ts";
import { createLogger } from "../../lib/log.ts";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { type ClickHouseHandle, startClickHouse } from "../../test/harness/clickhouse.ts";
import { seedEnvironment, seedProject } from "../../test/harness/oplog_seed.ts";
import { OperationEntryPageSchema, OperationEntrySchema } from "./schemas.ts";

// A private ClickHouse, stopped mid-test; the suite's shared one must stay up for other files.
let ch: ClickHouseHandle;
let app: TestApp;
let project: string;

beforeAll(async () => {
  ch = await startClickHouse();
  app = await startTestApp({ clickhouseUrl: ch.url });
  await app.analytics.migrate();
  await app.org("acme");
  await seedEnvironment(app.db.graph, "acme", "production");
  project = await seedProject(app.db.graph, "acme", "api");
});

afterAll(async () => {
  await app?.stop();
  await ch?.stop();
});

describe("operations log during a ClickHouse outage", () => {
  it("accepts entries (201) into the outbox, answers reads with 503, and serves them once back", async () => {
    const post = (n: number) =>
      app.json(
        "POST",
        "/api/operations-log",
        {
          project_id: project,
          environment_slug: "production",
          entry_type: "Deployed",
          description: `outage #${n}`,
        },
        app.adminToken,
      );
    const before = await post(0);
    expect(before.status).toBe(201);

    await ch.pause();
    const created: string[] = [];
    for (let n = 1; n <= 3; n++) {
      const res = await post(n);
      expect(res.status).toBe(201);
      created.push(OperationEntrySchema.parse(await res.json()).id);
    }
    const down = await app.json("GET", "/api/operations-log?organization=acme", undefined, app.adminToken);
    expect(down.status).toBe(503);
    expect(down.headers.get("Content-Type")).toMatch(/problem\+json/);
    const problem = (await down.json()) as { code: string; detail: string };
    expect(problem.code).toBe("SERVICE_UNAVAILABLE");
    expect(problem.detail).toMatch(/ClickHouse.*unreachable.*retry/s);
    expect(
      (await app.json("GET", `/api/operations-log/${created[0]}`, undefined, app.adminToken)).status,
    ).toBe(503);
    const [{ n: parked }] = (await app.db
      .sql`select count(*)::int as n from analytics_outbox`) as unknown as [{ n: number }];
    expect(parked).toBe(3);

    await ch.resume();
    const outbox = withOutbox(app.analytics, app.db.sql, createLogger("error"));
    // Twice at once: the lock keeps them from stepping on each other; dedup makes it safe anyway.
    const flushed = await Promise.all([outbox.flush(), outbox.flush()]);
    expect(flushed[0].delivered + flushed[1].delivered).toBe(3);
    expect(await outbox.flush()).toEqual({ delivered: 0, remaining: 0 });

    const res = await app.json("GET", "/api/operations-log?organization=acme", undefined, app.adminToken);
    expect(res.status).toBe(200);
    const ids = OperationEntryPageSchema.parse(await res.json()).data.map((e) => e.id);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
    expect(ids).toEqual(expect.arrayContaining(created));
    const chCount = await fetch(`${ch.baseUrl}/?database=imbi_test`, {
      method: "POST",
      body: "SELECT count() FROM operations_log",
    });
    expect((await chCount.text()).trim()).toBe("4");
  });
});
