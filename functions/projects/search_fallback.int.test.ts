import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateFixture } from "../../bench/fixture.ts";
import type { OrgRef } from "../../lib/catalog/org.ts";
import { searchCatalog } from "../../lib/catalog/project_query.ts";
import { startTestDatabase, type TestDatabase } from "../../test/harness/pglite.ts";

let db: TestDatabase;
let org: OrgRef;

beforeAll(async () => {
  db = await startTestDatabase();
  const fx = await generateFixture(db.graph, "tiny", {
    projects: 40,
    dependencies: 10,
    teams: 2,
    types: 2,
    environments: 1,
  });
  org = { id: fx.orgId, slug: fx.org };
  // pg_trgm is optional (absent on some Postgres builds): search must still answer.
  await db.sql.unsafe("DROP EXTENSION pg_trgm");
});
afterAll(() => db?.stop());

describe("search without pg_trgm", () => {
  it("falls back to full text only", async () => {
    const q = (text: string) =>
      searchCatalog(db.sql, db.graph.graphName, org, { q: text, limit: 50, includeArchived: true });
    const hits = await q("service 12");
    expect(hits[0]).toMatchObject({ kind: "project", slug: "service-12" });
    expect(hits[0]?.highlights.name).toContain("<mark>");
    expect((await q("team")).map((h) => h.kind)).toContain("team");
    expect(await q("servce")).toEqual([]); // no typo tolerance without trigrams
  });
});
