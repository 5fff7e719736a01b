// What AGE 1.6 on PostgreSQL 15 does when two transactions write one vertex, and that lib/graph
// turns it into a retry (docs/catalog-model.md, "Concurrent writes"). Deterministic: the first
// writer holds its transaction open until the second is seen waiting for the row.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isConcurrentUpdate } from "../../lib/graph/graph.ts";
import { startTestDatabase, type TestDatabase } from "../harness/pglite.ts";

let db: TestDatabase;
let other: postgres.Sql;
beforeAll(async () => {
  expect(process.env.IMBI_TEST_POSTGRES).toBe("real");
  db = await startTestDatabase();
  other = postgres(db.url, { max: 2, onnotice: () => undefined });
});
afterAll(async () => {
  await other?.end({ timeout: 5 });
  await db?.stop();
});

const cypher = (text: string) =>
  `SELECT * FROM ag_catalog.cypher('imbi', $$ ${text} $$) AS (v ag_catalog.agtype)`;

async function team(slug: string): Promise<void> {
  await db.graph.query("CREATE (t:Team {slug: $slug, org_id: 'o', n: 0}) RETURN t", { slug });
}

/**
 * Runs `second` while another transaction has updated the team and not committed yet; commits
 * that transaction once `second` waits for the row lock, and returns what `second` settled to.
 */
async function afterConcurrentUpdate<T>(
  slug: string,
  second: () => Promise<T>,
): Promise<PromiseSettledResult<T>> {
  let result: Promise<PromiseSettledResult<T>> | undefined;
  await other.begin(async (tx) => {
    await tx.unsafe(cypher(`MATCH (t:Team) WHERE t.slug = '${slug}' SET t.n = 1 RETURN t`));
    result = second().then(
      (value) => ({ status: "fulfilled", value }) as const,
      (reason: unknown) => ({ status: "rejected", reason }) as const,
    );
    let settled = false;
    void result.then(() => {
      settled = true;
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      // Settled without waiting: it did not touch the locked row; the assertions will say how.
      if (settled) break;
      // Activity is snapshotted once per transaction: clear it, or this loop sees the first poll forever.
      await tx`SELECT pg_stat_clear_snapshot()`;
      const [{ n }] = await tx<[{ n: number }]>`
        SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      if (n > 0) break;
      if (Date.now() > deadline) throw new Error("the second writer never waited for the row");
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  return result as Promise<PromiseSettledResult<T>>;
}

const n = async (slug: string) =>
  (await db.graph.one("MATCH (t:Team) WHERE t.slug = $slug RETURN t.n", { slug }))?.v ?? null;

describe("AGE 1.6: a write that waited for a concurrent update of the same vertex", () => {
  it("SET fails with 'Entity failed to be updated' (no re-check as in PostgreSQL's UPDATE)", async () => {
    await team("raw-set");
    const raw = postgres(db.url, { max: 1, onnotice: () => undefined });
    try {
      const r = await afterConcurrentUpdate("raw-set", () =>
        raw.unsafe(cypher("MATCH (t:Team) WHERE t.slug = 'raw-set' SET t.n = 2 RETURN t")),
      );
      expect(r.status).toBe("rejected");
      const reason = (r as PromiseRejectedResult).reason as { code: string; message: string };
      expect(reason).toMatchObject({
        code: "XX000",
        message: expect.stringMatching(/^Entity failed to be updated/),
      });
      expect(isConcurrentUpdate(reason)).toBe(true);
    } finally {
      await raw.end({ timeout: 5 });
    }
    expect(await n("raw-set")).toBe(1);
  });

  it("DELETE fails too, and isConcurrentUpdate recognises it", async () => {
    await team("raw-delete");
    const raw = postgres(db.url, { max: 1, onnotice: () => undefined });
    try {
      const r = await afterConcurrentUpdate("raw-delete", () =>
        raw.unsafe(cypher("MATCH (t:Team) WHERE t.slug = 'raw-delete' DETACH DELETE t RETURN 1")),
      );
      expect(r.status).toBe("rejected");
      expect(isConcurrentUpdate((r as PromiseRejectedResult).reason)).toBe(true);
    } finally {
      await raw.end({ timeout: 5 });
    }
  });

  it("through Graph.query the statement is run again and applies over the winner", async () => {
    await team("graph-set");
    const r = await afterConcurrentUpdate("graph-set", () =>
      db.graph.query("MATCH (t:Team) WHERE t.slug = $slug SET t.n = t.n + 10 RETURN t.n", {
        slug: "graph-set",
      }),
    );
    expect(r.status).toBe("fulfilled");
    // 1 from the winner, then +10 on the version it committed: nothing was lost.
    expect(await n("graph-set")).toBe(11);
  });

  it("through Graph.tx the whole transaction is run again", async () => {
    await team("graph-tx");
    let attempts = 0;
    const r = await afterConcurrentUpdate("graph-tx", () =>
      db.graph.tx(async (g) => {
        attempts++;
        const [row] = await g.query("MATCH (t:Team) WHERE t.slug = $slug RETURN t.n", { slug: "graph-tx" });
        await g.query("MATCH (t:Team) WHERE t.slug = $slug SET t.n = $next RETURN t", {
          slug: "graph-tx",
          next: Number(row?.v) + 10,
        });
      }),
    );
    expect(r.status).toBe("fulfilled");
    expect(attempts).toBe(2);
    // The retry read the winner's 1 again: a read-modify-write in one tx() loses nothing.
    expect(await n("graph-tx")).toBe(11);
  });

  it("a conditional write finds the winner's version and writes nothing", async () => {
    await team("guarded");
    const r = await afterConcurrentUpdate("guarded", () =>
      db.graph.query("MATCH (t:Team) WHERE t.slug = $slug AND t.n = 0 SET t.n = 5 RETURN t", {
        slug: "guarded",
      }),
    );
    expect(r).toEqual({ status: "fulfilled", value: [] });
    expect(await n("guarded")).toBe(1);
  });
});
