// The score consumer against real stores: idempotent history writes, unchanged scores, a poison
// message, a ClickHouse outage, and the Redis Streams path end to end (including a consumer that
// dies mid-batch).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../lib/log.ts";
import { createTrackingRuntime } from "../../lib/runtime.ts";
import { recomputeBatch } from "../../lib/scoring/recompute.ts";
import type { ScoreMessage } from "../../lib/scoring/types.ts";
import { createServices } from "../../lib/services.ts";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { seedCatalog } from "../../test/harness/catalog.ts";
import { type ClickHouseHandle, startClickHouse } from "../../test/harness/clickhouse.ts";
import { runDailyRecompute, scoreHandler } from "./index.ts";

const ORG = "acme";

async function setUp(app: TestApp): Promise<void> {
  await seedCatalog(app, ORG);
  const res = await app.json(
    "POST",
    "/api/scoring/policies",
    { name: "Docs", category: "link_presence", link_slug: "docs", weight: 50 },
    app.adminToken,
  );
  expect(res.status, await res.clone().text()).toBe(201);
}

async function project(app: TestApp, slug: string, docs: boolean): Promise<string> {
  const res = await app.json(
    "POST",
    `/api/organizations/${ORG}/projects`,
    {
      slug,
      name: slug,
      team: "core",
      project_types: ["worker"],
      links: docs ? { docs: `https://docs.example.com/${slug}` } : {},
    },
    app.adminToken,
  );
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const message = (project_id: string, id = `m-${project_id}`): ScoreMessage => ({
  id,
  project_id,
  reason: "bulk_rescore",
  requested_by: "test",
  requested_at: new Date().toISOString(),
  attempts: 1,
});

const storedScore = async (app: TestApp, id: string) => {
  const res = await app.json("GET", `/api/organizations/${ORG}/projects/${id}`, undefined, app.adminToken);
  return ((await res.json()) as { score: number | null }).score;
};

describe("the consumer on the in-process queue", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ scores: { consumer: false } });
    await setUp(app);
  });
  afterAll(() => app?.stop());

  it("writes one history row for a message delivered twice, and nothing when the score did not change", async () => {
    const id = await project(app, "twice", true);
    await app.drain();
    const m = message(id);
    expect((await recomputeBatch(app.services, [m])).get(m.id)).toBe("ack");
    // A crash after the history row but before the graph write: the graph still has no score, so the
    // redelivered message recomputes and writes the same row again — which must stay one row.
    const crash = () =>
      app.db.graph.query(
        "MATCH (p:Project) WHERE p.id = $id SET p.score = null, p.previous_score = null, p.scored_at = null RETURN p.id",
        { id },
      );
    await crash();
    expect((await recomputeBatch(app.services, [m])).get(m.id)).toBe("ack");
    // The same crash, then another message (the daily recompute) for the project before the
    // original is reclaimed: computed from the same stored state, it is the same change — one row.
    await crash();
    expect((await recomputeBatch(app.services, [message(id, "daily")])).get("daily")).toBe("ack");
    expect(await storedScore(app, id)).toBe(100);
    // Unchanged: a later message writes nothing.
    expect((await recomputeBatch(app.services, [message(id, "later")])).get("later")).toBe("ack");
    const rows = await app.analytics.scoreHistory({ project_id: id, granularity: "raw" });
    expect(rows.map((r) => r.score)).toEqual([100]);
  });

  it("requests the daily recompute of every project once per day, from the configured hour", async () => {
    const count = Number(
      (await app.db.graph.one<{ n: number }>("MATCH (p:Project) RETURN count(p)", {}, ["n"]))?.n ?? 0,
    );
    expect(count).toBeGreaterThan(0);
    const at = (iso: string) => runDailyRecompute(app.services, new Date(iso));
    expect(await at("2026-11-22T05:59:00Z")).toMatchObject({ ran: false, reason: "before the daily hour" });
    const before = app.scores.kind === "memory" ? app.scores.size() : 0;
    expect(await at("2026-11-22T06:01:00Z")).toMatchObject({ ran: true, projects: count, enqueued: count });
    expect(app.scores.kind === "memory" && app.scores.size()).toBe(before + count);
    // Any later call that day, from any process (the row is in Postgres), is a no-op.
    expect(await at("2026-11-22T23:00:00Z")).toMatchObject({ ran: false });
    expect(await at("2026-11-23T06:00:00Z")).toMatchObject({ ran: true, projects: count });
  });

  it("acks messages for deleted projects without writing", async () => {
    const m = message("no-such-project");
    expect((await recomputeBatch(app.services, [m])).get(m.id)).toBe("ack");
    expect(await app.analytics.scoreHistory({ project_id: "no-such-project", granularity: "raw" })).toEqual(
      [],
    );
  });

  it("dead-letters a poison message while the rest of its batch is scored", async () => {
    const good = await project(app, "good", false);
    await app.drain();
    const runtime = createTrackingRuntime("test");
    const handler = scoreHandler(() =>
      createServices(app.services.env, runtime, {
        sql: app.db.sql,
        analytics: app.analytics,
        kv: app.kv,
        log: createLogger("error"),
        scoreQueue: app.scores,
      }),
    );
    // A NUL cannot travel into Postgres: every statement touching this id fails.
    const poison = message("bad\u0000id", "poison");
    const out = await handler([poison, message(good, "good")]);
    expect(out.get("poison")).toBe("retry");
    expect(out.get("good")).toBe("ack");
    expect(await storedScore(app, good)).toBe(0);
    // Through the queue: the poison ends in the dead-letter list after maxAttempts, others continue.
    app.scores.start(handler);
    await app.scores.enqueue([{ project_id: "bad\u0000id", reason: "bulk_rescore", requested_by: "test" }]);
    const other = await project(app, "other", true);
    await app.settle();
    expect(await storedScore(app, other)).toBe(100);
    const dead = app.scores.kind === "memory" ? app.scores.deadLetters() : [];
    expect(dead.map((d) => d.project_id)).toEqual(["bad\u0000id"]);
    // Operators see it on the status route.
    const status = (await (await app.request("/api/status")).json()) as { score_queue: unknown };
    expect(status.score_queue).toEqual({ kind: "memory", waiting: 0, dead_letters: 1 });
    await app.scores.stop();
  });
});

describe("the consumer while ClickHouse is down", () => {
  // A private ClickHouse, paused mid-test; the suite's shared one must stay up for other files.
  let ch: ClickHouseHandle;
  let app: TestApp;
  beforeAll(async () => {
    ch = await startClickHouse();
    app = await startTestApp({ clickhouseUrl: ch.url, scores: { retryDelayMs: 100, maxAttempts: 1000 } });
    await app.analytics.migrate();
    await setUp(app);
  });
  afterAll(async () => {
    await app?.stop();
    await ch?.stop();
  });

  it("retries until the history row can be written, then updates the graph; nothing is lost", async () => {
    await app.settle();
    await ch.pause();
    const id = await project(app, "outage", true);
    // The write itself succeeded; the consumer keeps retrying, and the graph is not updated first.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await storedScore(app, id)).toBeNull();
    expect(app.scores.kind === "memory" && app.scores.size()).toBe(1);
    await ch.resume();
    await app.settle();
    expect(await storedScore(app, id)).toBe(100);
    const rows = await app.analytics.scoreHistory({ project_id: id, granularity: "raw" });
    expect(rows.map((r) => [r.score, r.change_reason])).toEqual([[100, "project_change"]]);
  });
});

describe("the consumer on Redis Streams", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ scores: { kind: "redis", claimIdleMs: 300 } });
    await setUp(app);
  });
  afterAll(() => app?.stop());

  it("scores a written project end to end", async () => {
    expect(app.scores.kind).toBe("redis");
    const id = await project(app, "streamed", true);
    await app.settle();
    expect(await storedScore(app, id)).toBe(100);
    expect(
      (await app.analytics.scoreHistory({ project_id: id, granularity: "raw" })).map((r) => r.score),
    ).toEqual([100]);
    const status = (await (await app.request("/api/status")).json()) as { score_queue: unknown };
    expect(status.score_queue).toEqual({ kind: "redis", waiting: 0, dead_letters: 0 });
  });
});

describe("a Redis Streams consumer killed mid-batch", () => {
  let app: TestApp;
  beforeAll(async () => {
    // No harness consumer: the test runs its own, as separate processes would.
    app = await startTestApp({ scores: { kind: "redis", consumer: false } });
    await setUp(app);
  });
  afterAll(() => app?.stop());

  const real = () => {
    const runtime = createTrackingRuntime("test");
    return scoreHandler(() =>
      createServices(app.services.env, runtime, {
        sql: app.db.sql,
        analytics: app.analytics,
        kv: app.kv,
        log: createLogger("error"),
      }),
    );
  };

  /** Consumer `name` takes a batch, optionally does the work, then dies before acking. */
  async function dieMidBatch(name: string, work: boolean): Promise<number> {
    const handler = real();
    return new Promise<number>((resolve) => {
      app.redisConsumer(name).start(async (batch) => {
        if (work) await handler(batch);
        resolve(batch.length);
        return new Promise(() => undefined);
      });
    });
  }

  for (const work of [true, false])
    it(`redelivers its messages to another consumer, processed once in effect (died ${work ? "after" : "before"} the work)`, async () => {
      const ids = [
        await project(app, `k1-${work}`, true),
        await project(app, `k2-${work}`, false),
        await project(app, `k3-${work}`, true),
      ];
      await app.drain();
      expect(await dieMidBatch(`dead-${work}`, work)).toBe(3);
      // Another consumer reclaims the messages once they have been idle for claimIdleMs.
      const b = app.redisConsumer(`rescuer-${work}`, { claimIdleMs: 300 });
      b.start(real());
      await waitFor(async () => (await b.length()) === 0);
      await b.stop();
      for (const [i, id] of ids.entries()) {
        const rows = await app.analytics.scoreHistory({ project_id: id, granularity: "raw" });
        expect(rows.map((r) => r.score)).toEqual([i === 1 ? 0 : 100]);
        expect(await storedScore(app, id)).toBe(i === 1 ? 0 : 100);
      }
      expect(await b.deadLetters()).toEqual([]);
    });
});

async function waitFor(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}
