import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AnalyticsQueryError, type AnalyticsRow, type AnalyticsStore } from "../../lib/analytics/types.ts";
import type { ContractStore } from "./analytics.contract.ts";

type ScoreInput = AnalyticsRow<"score_history">;

/** The columns no query returns, read back from the adapter's storage by the test itself. */
export interface StoredScoreColumns {
  project_types: string[];
  breakdown: unknown;
}

/** A store under test that can also read a row's write-only columns. */
export interface ScoresContractStore extends ContractStore {
  /** `null` when no row has this id. */
  storedColumns(id: string): Promise<StoredScoreColumns | null>;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// A UTC midnight, so hour and day buckets start at round offsets from it.
const T0 = Date.UTC(2024, 4, 1);
const at = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();
const HOSTILE = "it's \"q\" \\ '); DROP TABLE score_history; -- 🚀 {x:String} unhex('41') \t\n";
// change_reason holds at most 64 characters.
const SHORT_HOSTILE = "it's \"q\" \\ '); -- 🚀 unhex('41') \t\n";
const TYPES = ["api", "", "NULL", "{a,b}", '"q" \\ ', HOSTILE];
const BREAKDOWN = {
  "has-readme": { weight: 2, value: 100, note: HOSTILE },
  coverage: { weight: 1.5, value: 33.333333333333336, list: [1, null, true, "ü"] },
};

/** A score row of project `project` at `offsetMs` from {@link T0}. */
function scoreRow(id: string, project: string, offsetMs: number, over: Partial<ScoreInput> = {}): ScoreInput {
  return {
    id,
    occurred_at: at(offsetMs),
    project_id: project,
    org_id: "acme",
    team: "alpha",
    project_types: ["api", "web-app"],
    score: 50,
    previous_score: 40,
    level: "silver",
    change_reason: "project_change",
    breakdown: {},
    ...over,
  };
}

// Project p1: three scores in hour 0, one in hour 1, one on the next day; 123 ms on the first.
const P1 = [
  scoreRow("p1-1", "p1", 10 * MIN + 123, {
    score: 40,
    previous_score: null,
    level: "bronze",
    project_types: TYPES,
    breakdown: BREAKDOWN,
  }),
  scoreRow("p1-2", "p1", 20 * MIN, { score: 60, previous_score: 40 }),
  scoreRow("p1-3", "p1", 50 * MIN, { score: 50, previous_score: 60, change_reason: SHORT_HOSTILE }),
  scoreRow("p1-4", "p1", HOUR + 5 * MIN, { score: 80, previous_score: 50, level: "gold" }),
  scoreRow("p1-5", "p1", DAY + 2 * HOUR, { score: 90, previous_score: 80, level: "gold" }),
] as const;

async function insertOk(store: AnalyticsStore, rows: ScoreInput[]): Promise<void> {
  expect((await store.insert("score_history", rows)).err).toBeUndefined();
}

/**
 * Score-history cases every {@link AnalyticsStore} adapter must pass. `makeStore` returns a fresh,
 * not yet migrated store on empty storage, as for `runAnalyticsContract`.
 */
export function runScoresContract(name: string, makeStore: () => Promise<ScoresContractStore>): void {
  describe(`AnalyticsStore score history: ${name}`, () => {
    let ctx: ScoresContractStore;
    let store: AnalyticsStore;

    beforeEach(async () => {
      ctx = await makeStore();
      store = ctx.store;
      await store.migrate();
      // Separate inserts (parts, on ClickHouse), and p1-2 sent twice: it must count once.
      await insertOk(store, P1.slice(0, 3));
      await insertOk(store, [P1[1], P1[3], P1[4]]);
    });
    afterEach(async () => {
      await ctx.cleanup();
    });

    const history = (q: Partial<Parameters<AnalyticsStore["scoreHistory"]>[0]>) =>
      store.scoreHistory({ project_id: "p1", granularity: "raw", ...q });

    it("returns raw points oldest first, with nulls and hostile text intact; stores JSON and arrays", async () => {
      const raw = await history({});
      expect(raw.map((p) => [p.at, p.score])).toEqual([
        [at(10 * MIN + 123), 40],
        [at(20 * MIN), 60],
        [at(50 * MIN), 50],
        [at(HOUR + 5 * MIN), 80],
        [at(DAY + 2 * HOUR), 90],
      ]);
      expect(raw[0]).toEqual({
        at: "2024-05-01T00:10:00.123Z",
        score: 40,
        avg: 40,
        min: 40,
        max: 40,
        samples: 1,
        previous_score: null,
        change_reason: "project_change",
        level: "bronze",
      });
      expect(raw[1]?.previous_score).toBe(40);
      expect(raw[2]?.change_reason).toBe(SHORT_HOSTILE);
      // Write-only columns: JSON text and the string array come back verbatim.
      expect(await ctx.storedColumns("p1-1")).toEqual({ project_types: TYPES, breakdown: BREAKDOWN });
      expect(await ctx.storedColumns("p1-4")).toEqual({ project_types: ["api", "web-app"], breakdown: {} });
      expect(await ctx.storedColumns("nope")).toBeNull();
      expect(await store.scoreHistory({ project_id: "nope", granularity: "day" })).toEqual([]);
    });

    it("applies defaults, keeps awkward floats and equal instants in id order", async () => {
      const t = 3 * DAY;
      await insertOk(store, [
        {
          id: "m-b",
          occurred_at: at(t),
          project_id: HOSTILE,
          org_id: HOSTILE,
          project_types: [],
          score: 0,
          change_reason: "",
        },
        scoreRow("m-a", HOSTILE, t, { score: 33.333333333333336, previous_score: 100, team: "" }),
      ]);
      const raw = await store.scoreHistory({ project_id: HOSTILE, granularity: "raw" });
      expect(raw.map((p) => [p.score, p.previous_score, p.level, p.change_reason])).toEqual([
        [33.333333333333336, 100, "silver", "project_change"],
        [0, null, "", ""],
      ]);
      expect(await ctx.storedColumns("m-b")).toEqual({ project_types: [], breakdown: {} });
      expect((await store.latestScores([HOSTILE])).get(HOSTILE)).toEqual({ score: 0, at: at(t) });
    });

    it("aggregates hour and day buckets: last, avg, min, max, samples", async () => {
      const point = (
        a: number,
        score: number,
        avg: number,
        min: number,
        max: number,
        samples: number,
        level: string,
      ) => ({
        at: at(a),
        score,
        avg,
        min,
        max,
        samples,
        previous_score: null,
        change_reason: null,
        level,
      });
      expect(await history({ granularity: "hour" })).toEqual([
        point(0, 50, 50, 40, 60, 3, "silver"),
        point(HOUR, 80, 80, 80, 80, 1, "gold"),
        point(DAY + 2 * HOUR, 90, 90, 90, 90, 1, "gold"),
      ]);
      expect(await history({ granularity: "day" })).toEqual([
        point(0, 80, 57.5, 40, 80, 4, "gold"),
        point(DAY, 90, 90, 90, 90, 1, "gold"),
      ]);
      // A window cuts into a bucket: only the rows inside it count.
      expect(await history({ granularity: "hour", from: at(20 * MIN), to: at(HOUR + 5 * MIN) })).toEqual([
        point(0, 50, 55, 50, 60, 2, "silver"),
      ]);
      expect((await history({ granularity: "day", limit: 1 })).map((p) => p.at)).toEqual([at(0)]);
    });

    it("bounds by from (inclusive) and to (exclusive), to the millisecond, and limits oldest first", async () => {
      const ats = async (q: Partial<Parameters<AnalyticsStore["scoreHistory"]>[0]>) =>
        (await history(q)).map((p) => p.score);
      expect(await ats({ from: at(20 * MIN), to: at(HOUR + 5 * MIN) })).toEqual([60, 50]);
      expect(await ats({ to: at(10 * MIN + 123) })).toEqual([]);
      expect(await ats({ to: at(10 * MIN + 124) })).toEqual([40]);
      expect(await ats({ from: at(10 * MIN + 124), to: at(DAY) })).toEqual([60, 50, 80]);
      expect(await ats({ from: "2024-05-02T07:45:00+05:45" })).toEqual([90]);
      expect(await ats({ limit: 2 })).toEqual([40, 60]);
      expect(await ats({ from: at(20 * MIN), limit: 1 })).toEqual([60]);
    });

    it("looks up latest scores and scores as of an instant across projects", async () => {
      await insertOk(store, [
        // Equal instants: the greater id is the later row, in both stores.
        scoreRow("p2-b", "p2", 30 * MIN, { score: 20 }),
        scoreRow("p2-a", "p2", 30 * MIN, { score: 10 }),
        scoreRow("p3-1", "p3", 2 * DAY, { score: 70 }),
        P1[4],
      ]);
      const latest = await store.latestScores(["p1", "p2", "p3", "p4", "p1"]);
      expect(Object.fromEntries(latest)).toEqual({
        p1: { score: 90, at: at(DAY + 2 * HOUR) },
        p2: { score: 20, at: at(30 * MIN) },
        p3: { score: 70, at: at(2 * DAY) },
      });
      const asOf = async (t: number) => Object.fromEntries(await store.scoresAsOf(["p1", "p2", "p3"], at(t)));
      expect(await asOf(50 * MIN)).toEqual({
        p1: { score: 50, at: at(50 * MIN) },
        p2: { score: 20, at: at(30 * MIN) },
      });
      expect(await asOf(50 * MIN - 1)).toEqual({
        p1: { score: 60, at: at(20 * MIN) },
        p2: { score: 20, at: at(30 * MIN) },
      });
      expect(await asOf(10 * MIN)).toEqual({});
      expect(await asOf(10 * DAY)).toEqual(Object.fromEntries(latest));
      expect((await store.latestScores([])).size).toBe(0);
      // More ids than one query takes: hits in the first, a middle and the last chunk all come back.
      const many = Array.from({ length: 10_000 }, (_, i) => `none-${i}`);
      many[0] = "p1";
      many[4_321] = "p2";
      many[9_999] = "p3";
      expect([...(await store.latestScores(many)).keys()].sort()).toEqual(["p1", "p2", "p3"]);
      expect([...(await store.scoresAsOf(many, at(DAY))).keys()].sort()).toEqual(["p1", "p2"]);
    });

    it("averages each project's last score per bucket and team", async () => {
      const g = (id: string, project: string, offset: number, score: number, team: string) =>
        scoreRow(id, project, offset, { org_id: "globex", score, team });
      const rows = [
        g("g1-1", "g1", 5 * MIN, 30, "red"),
        g("g1-2", "g1", 25 * MIN, 50, "red"),
        g("g1-3", "g1", 40 * MIN, 70, "red"),
        g("g2-1", "g2", 10 * MIN, 50, "red"),
        g("g3-1", "g3", 15 * MIN, 20, "blue"),
        g("g3-2", "g3", HOUR + MIN, 40, "blue"),
        // g1 moves to team blue.
        g("g1-4", "g1", HOUR + 30 * MIN, 90, "blue"),
        g("g4-1", "g4", 2 * HOUR, 10, ""),
      ];
      await insertOk(store, rows);
      await insertOk(store, [rows[3] as ScoreInput, rows[6] as ScoreInput]);
      const team = (q: Partial<Parameters<AnalyticsStore["teamScoreHistory"]>[0]>) =>
        store.teamScoreHistory({ org_id: "globex", granularity: "hour", ...q });
      expect(await team({})).toEqual([
        { at: at(0), team: "blue", avg_score: 20, projects: 1 },
        { at: at(0), team: "red", avg_score: 60, projects: 2 },
        { at: at(HOUR), team: "blue", avg_score: 65, projects: 2 },
        { at: at(2 * HOUR), team: "", avg_score: 10, projects: 1 },
      ]);
      expect(await team({ granularity: "day" })).toEqual([
        { at: at(0), team: "", avg_score: 10, projects: 1 },
        { at: at(0), team: "blue", avg_score: 65, projects: 2 },
        { at: at(0), team: "red", avg_score: 50, projects: 1 },
      ]);
      expect(await team({ from: at(HOUR), to: at(2 * HOUR) })).toEqual([
        { at: at(HOUR), team: "blue", avg_score: 65, projects: 2 },
      ]);
      expect(await team({ to: at(30 * MIN) })).toEqual([
        { at: at(0), team: "blue", avg_score: 20, projects: 1 },
        { at: at(0), team: "red", avg_score: 50, projects: 2 },
      ]);
      expect(await team({ org_id: "acme", granularity: "day" })).toEqual([
        { at: at(0), team: "alpha", avg_score: 80, projects: 1 },
        { at: at(DAY), team: "alpha", avg_score: 90, projects: 1 },
      ]);
    });

    it("rejects invalid rows and malformed queries", async () => {
      const bad: unknown[] = [
        { ...scoreRow("x", "p9", 0), score: 100.5 },
        { ...scoreRow("x", "p9", 0), score: -1 },
        { ...scoreRow("x", "p9", 0), score: Number.NaN },
        { ...scoreRow("x", "p9", 0), previous_score: 101 },
        { ...scoreRow("x", "p9", 0), team: "t".repeat(129) },
        { ...scoreRow("x", "p9", 0), project_types: "api" },
        { ...scoreRow("x", "p9", 0), project_types: ["nul\u0000"] },
        { ...scoreRow("x", "p9", 0), change_reason: undefined },
        { ...scoreRow("x", "p9", 0), change_reason: "r".repeat(65) },
        { ...scoreRow("x", "p9", 0), breakdown: [1] },
        { ...scoreRow("x", "p9", 0), extra: 1 },
      ];
      for (const row of bad) {
        const res = await store.insert("score_history", [scoreRow("ok", "p9", 0), row as ScoreInput]);
        expect(res.err?.message).toContain("score_history row 1");
      }
      expect((await store.latestScores(["p9"])).size).toBe(0);

      const rejects = (p: Promise<unknown>) => expect(p).rejects.toBeInstanceOf(AnalyticsQueryError);
      await rejects(history({ limit: 0 }));
      await rejects(history({ limit: 1001 }));
      await rejects(history({ granularity: "week" as never }));
      await rejects(history({ project_id: "" }));
      await rejects(history({ from: "2024-13-01" }));
      await rejects(history({ nope: 1 } as never));
      await rejects(store.latestScores([""]));
      await rejects(store.latestScores(Array.from({ length: 10_001 }, (_, i) => `p${i}`)));
      await rejects(store.scoresAsOf(["p1"], "yesterday"));
      await rejects(store.teamScoreHistory({ org_id: "acme", granularity: "raw" as never }));
      await rejects(store.teamScoreHistory({ granularity: "day" } as never));
    });
  });
}
