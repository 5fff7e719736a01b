// The write helpers of lib/graph on both databases: which errors count as a lost race, how a
// transaction that lost one is run again, and when it gives up. (The races themselves, which only
// a real server produces, are in test/postgres/.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDatabase, type TestDatabase } from "../../test/harness/pglite.ts";
import { DomainError } from "../errors.ts";
import { isConcurrentUpdate, nextUpdatedAt, UniqueViolation, WRITE_ATTEMPTS } from "./graph.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(() => db?.stop());

/** AGE's error for a SET that waited on a concurrent update (cypher_set.c), as postgres.js raises it. */
const ageLostRace = () =>
  Object.assign(new Error("Entity failed to be updated: 2"), { code: "XX000", severity: "ERROR" });

const countTeams = async (slug: string) =>
  Number((await db.graph.one("MATCH (t:Team) WHERE t.slug = $slug RETURN count(t)", { slug }))?.v);

describe("isConcurrentUpdate", () => {
  it.each([
    ["AGE SET", { code: "XX000", message: "Entity failed to be updated: 2" }, true],
    ["AGE DELETE", { code: "XX000", message: "Entity could not be locked for updating" }, true],
    ["serialization failure", { code: "40001", message: "could not serialize access" }, true],
    ["deadlock", { code: "40P01", message: "deadlock detected" }, true],
    ["another internal error", { code: "XX000", message: "unhandled cypher(cstring) function call" }, false],
    ["a unique violation", { code: "23505", message: "duplicate key" }, false],
    ["a domain error", new DomainError("NOT_FOUND", "gone"), false],
  ])("%s → %s", (_, err, expected) => {
    expect(isConcurrentUpdate(err)).toBe(expected);
  });
});

describe("Graph.tx", () => {
  it("runs a transaction that lost a race again, and the lost attempt leaves nothing behind", async () => {
    let attempts = 0;
    await db.graph.tx(async (g) => {
      attempts++;
      await g.query("CREATE (t:Team {slug: 'retried', org_id: 'o'}) RETURN t");
      if (attempts === 1) throw ageLostRace();
    });
    expect(attempts).toBe(2);
    expect(await countTeams("retried")).toBe(1);
  });

  it(`gives up after ${WRITE_ATTEMPTS} lost races with a 409 that says to retry`, async () => {
    let attempts = 0;
    const err = await db.graph
      .tx(async () => {
        attempts++;
        throw ageLostRace();
      })
      .catch((e: unknown) => e);
    expect(attempts).toBe(WRITE_ATTEMPTS);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("retry the request") });
  });

  it("does not retry other failures", async () => {
    let attempts = 0;
    await db.graph.query("CREATE (t:Team {slug: 'taken', org_id: 'o'}) RETURN t");
    const err = await db.graph
      .tx(async (g) => {
        attempts++;
        await g.query("CREATE (t:Team {slug: 'taken', org_id: 'o'}) RETURN t");
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UniqueViolation);
    expect(attempts).toBe(1);
  });

  it("retries only at the outermost transaction", async () => {
    let inner = 0;
    let outer = 0;
    await db.graph.tx(async (g) => {
      outer++;
      await g.tx(async () => {
        inner++;
        if (outer === 1) throw ageLostRace();
      });
    });
    expect([outer, inner]).toEqual([2, 2]);
  });
});

describe("nextUpdatedAt", () => {
  it("is now, but always later than the version it replaces", () => {
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(nextUpdatedAt(future)).toBe(new Date(Date.parse(future) + 1).toISOString());
    const past = "2020-01-01T00:00:00.000Z";
    expect(Date.parse(nextUpdatedAt(past))).toBeGreaterThan(Date.parse(past));
    expect(Number.isNaN(Date.parse(nextUpdatedAt()))).toBe(false);
  });
});
