import type { ClickHouseClient } from "@clickhouse/client-web";
import { chString, chUInt } from "./clickhouse.ts";
import {
  addLatest,
  type BucketRecord,
  bucketPoint,
  type LatestRecord,
  type LatestScore,
  parseAsOf,
  parseScoreHistoryQuery,
  parseTeamScoreHistoryQuery,
  projectIdChunks,
  type RawPointRecord,
  rawPoint,
  type ScoreHistoryQuery,
  type ScoreHistoryRow,
  type ScorePoint,
  type TeamRecord,
  type TeamScoreHistoryQuery,
  type TeamScorePoint,
  toScoreRecord,
  toTeamPoints,
} from "./score_history.ts";

// Score history on ClickHouse (kept apart from clickhouse.ts to keep files small). Every read of
// score_history drops re-sent copies with LIMIT 1 BY id before it aggregates; score_latest_data
// needs no such step because argMax and max ignore an identical second copy.

const sec = (ms: number) => Math.floor(ms / 1000);
// Epoch milliseconds of a row (UInt64; JSON returns it as a string).
const TS = "(toUInt64(toUInt32(occurred_at)) * 1000 + occurred_ms)";
// Keeps a hex-encoded IN list well under max_query_size (256 KiB) even for 128-byte ids.
const ID_CHUNK = 500;

/** Encodes a validated score row for JSONEachRow (DateTime as unix seconds plus occurred_ms). */
export function encodeScore(row: ScoreHistoryRow): Record<string, string | number | string[] | null> {
  const { ts_ms, ...rest } = toScoreRecord(row);
  return { ...rest, occurred_at: sec(ts_ms), occurred_ms: ts_ms % 1000 };
}

/**
 * Half-open `[fromMs, toMs)` on the row instant, or `<= toMs` when `toInclusive`. The
 * second-resolution bounds keep the primary key and partitions in play; the ms test is exact.
 */
function timeWhere(fromMs?: number, toMs?: number, toInclusive = false): string[] {
  const where: string[] = [];
  if (fromMs !== undefined) {
    where.push(`occurred_at >= toDateTime(${chUInt(sec(fromMs))})`, `${TS} >= ${chUInt(fromMs)}`);
  }
  if (toMs !== undefined) {
    where.push(`occurred_at <= toDateTime(${chUInt(sec(toMs))})`);
    where.push(`${TS} ${toInclusive ? "<=" : "<"} ${chUInt(toMs)}`);
  }
  return where;
}

const inList = (ids: string[]) => `project_id IN (${ids.map(chString).join(", ")})`;

/** The score-history queries of the ClickHouse adapter. */
export function clickhouseScores(client: ClickHouseClient) {
  const rows = async <R>(query: string): Promise<R[]> =>
    (await client.query({ query, format: "JSONEachRow" })).json<R>();

  const lookup = async (ids: string[], select: (chunk: string[]) => string) => {
    const out = new Map<string, LatestScore>();
    for (const chunk of projectIdChunks(ids, ID_CHUNK))
      addLatest(out, await rows<LatestRecord>(select(chunk)));
    return out;
  };

  return {
    async scoreHistory(query: ScoreHistoryQuery): Promise<ScorePoint[]> {
      const q = parseScoreHistoryQuery(query);
      const where = [`project_id = ${chString(q.project_id)}`, ...timeWhere(q.fromMs, q.toMs)].join(" AND ");
      if (q.bucketMs === null) {
        const got = await rows<RawPointRecord>(`SELECT id, ${TS} AS ts_ms, score, previous_score,
            change_reason, level
          FROM score_history WHERE ${where}
          ORDER BY occurred_at, occurred_ms, id
          LIMIT 1 BY id
          LIMIT ${chUInt(q.limit)}`);
        return got.map(rawPoint);
      }
      const b = chUInt(q.bucketMs);
      const got = await rows<BucketRecord>(`SELECT bucket AS ts_ms, argMax(score, (ts, id)) AS last_score,
          avg(score) AS avg_score, min(score) AS min_score, max(score) AS max_score,
          count() AS samples, argMax(level, (ts, id)) AS last_level
        FROM (SELECT id, ${TS} AS ts, intDiv(ts, ${b}) * ${b} AS bucket, score, level
          FROM score_history WHERE ${where} LIMIT 1 BY id)
        GROUP BY bucket ORDER BY bucket LIMIT ${chUInt(q.limit)}`);
      return got.map(bucketPoint);
    },

    async latestScores(projectIds: string[]): Promise<Map<string, LatestScore>> {
      // score_latest_data rather than the score_latest view: the filter must run before the
      // GROUP BY to use the sort key, and 18.16 does not push a WHERE into a view.
      return lookup(
        projectIds,
        (chunk) => `SELECT project_id, argMaxMerge(score) AS last_score, maxMerge(ts_ms) AS last_ms
          FROM score_latest_data WHERE ${inList(chunk)} GROUP BY project_id`,
      );
    },

    async scoresAsOf(projectIds: string[], at: string): Promise<Map<string, LatestScore>> {
      const atMs = parseAsOf(at);
      return lookup(
        projectIds,
        (chunk) => `SELECT project_id, argMax(score, (ts, id)) AS last_score, max(ts) AS last_ms
          FROM (SELECT id, project_id, score, ${TS} AS ts FROM score_history
            WHERE ${[inList(chunk), ...timeWhere(undefined, atMs, true)].join(" AND ")}
            LIMIT 1 BY id)
          GROUP BY project_id`,
      );
    },

    async teamScoreHistory(query: TeamScoreHistoryQuery): Promise<TeamScorePoint[]> {
      const q = parseTeamScoreHistoryQuery(query);
      const b = chUInt(q.bucketMs);
      const where = [`org_id = ${chString(q.org_id)}`, ...timeWhere(q.fromMs, q.toMs)].join(" AND ");
      // Each project's last row per bucket, then the mean per (bucket, team of that row).
      const got = await rows<TeamRecord>(
        `SELECT bucket AS ts_ms, last_team AS team, avg(last_score) AS avg_score, count() AS projects
        FROM (
          SELECT intDiv(ts, ${b}) * ${b} AS bucket, project_id,
            argMax(team, (ts, id)) AS last_team, argMax(score, (ts, id)) AS last_score
          FROM (SELECT id, project_id, team, score, ${TS} AS ts FROM score_history WHERE ${where} LIMIT 1 BY id)
          GROUP BY bucket, project_id)
        GROUP BY bucket, last_team
        ORDER BY bucket, last_team`,
      );
      return toTeamPoints(got);
    },
  };
}
