import type { Sql } from "postgres";
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

// Score history on the embedded Postgres (kept apart from embedded.ts to keep files small).
// The primary key on id already keeps one row per id, so no reader deduplicates.

// Timestamps travel as ISO text (fetch_types is off, so postgres.js cannot send Date parameters).
const iso = (ms: number) => new Date(ms).toISOString();
// Ids travel as one JSON parameter; a chunk bounds the size of one statement's plan.
const ID_CHUNK = 1_000;

/**
 * A Postgres array literal: with fetch_types off postgres.js cannot serialize a text[] parameter,
 * so the array goes as text that Postgres casts to the column type. Every element is quoted.
 */
export function textArrayLiteral(items: string[]): string {
  return `{${items.map((s) => `"${s.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`).join(",")}}`;
}

/** Encodes a validated score row as column values. */
export function encodeScore(row: ScoreHistoryRow): Record<string, string | number | null> {
  const { ts_ms, project_types, ...rest } = toScoreRecord(row);
  return { ...rest, occurred_at: iso(ts_ms), project_types: textArrayLiteral(project_types) };
}

/** The score-history queries of the embedded adapter. */
export function embeddedScores(sql: Sql) {
  const none = sql``;
  // `extract(epoch …)` of a timestamptz(3) is exact, so float8 milliseconds are integers.
  const tsMs = sql`(extract(epoch from occurred_at) * 1000)::float8`;
  const between = (fromMs?: number, toMs?: number) => sql`
    ${fromMs !== undefined ? sql`and occurred_at >= ${iso(fromMs)}::timestamptz` : none}
    ${toMs !== undefined ? sql`and occurred_at < ${iso(toMs)}::timestamptz` : none}`;

  /** Each project's newest row at or before `atMs` (all rows when undefined), one index probe each. */
  const lookup = async (ids: string[], atMs?: number): Promise<Map<string, LatestScore>> => {
    const out = new Map<string, LatestScore>();
    for (const chunk of projectIdChunks(ids, ID_CHUNK)) {
      const rows = await sql<LatestRecord[]>`
        select p.project_id, l.last_score, l.last_ms
        from jsonb_array_elements_text(${JSON.stringify(chunk)}::text::jsonb) as p(project_id)
        cross join lateral (
          select score as last_score, ${tsMs} as last_ms
          from analytics.score_history h
          where h.project_id = p.project_id
            ${atMs !== undefined ? sql`and occurred_at <= ${iso(atMs)}::timestamptz` : none}
          order by occurred_at desc, id desc
          limit 1) l`;
      addLatest(out, rows);
    }
    return out;
  };

  return {
    async scoreHistory(query: ScoreHistoryQuery): Promise<ScorePoint[]> {
      const q = parseScoreHistoryQuery(query);
      if (q.bucketMs === null) {
        const rows = await sql<RawPointRecord[]>`
          select ${tsMs} as ts_ms, score, previous_score, change_reason, level
          from analytics.score_history
          where project_id = ${q.project_id} ${between(q.fromMs, q.toMs)}
          order by occurred_at, id
          limit ${q.limit}`;
        return rows.map(rawPoint);
      }
      // Float division is safe here: a bucket edge divides to an exact integer, and any other
      // instant's quotient lies at least 1/bucket_ms above one, far beyond float8 rounding.
      const rows = await sql<BucketRecord[]>`
        select floor(ts_ms / ${q.bucketMs}::float8) * ${q.bucketMs}::float8 as ts_ms,
               (array_agg(score order by ts_ms desc, id desc))[1] as last_score,
               avg(score) as avg_score, min(score) as min_score, max(score) as max_score,
               count(*)::int as samples,
               (array_agg(level order by ts_ms desc, id desc))[1] as last_level
        from (select id, ${tsMs} as ts_ms, score, level
              from analytics.score_history
              where project_id = ${q.project_id} ${between(q.fromMs, q.toMs)}) s
        group by 1
        order by 1
        limit ${q.limit}`;
      return rows.map(bucketPoint);
    },

    latestScores(projectIds: string[]): Promise<Map<string, LatestScore>> {
      return lookup(projectIds);
    },

    async scoresAsOf(projectIds: string[], at: string): Promise<Map<string, LatestScore>> {
      const atMs = parseAsOf(at);
      return lookup(projectIds, atMs);
    },

    async teamScoreHistory(query: TeamScoreHistoryQuery): Promise<TeamScorePoint[]> {
      const q = parseTeamScoreHistoryQuery(query);
      // Each project's last row per bucket (DISTINCT ON), then the mean per (bucket, its team).
      const rows = await sql<TeamRecord[]>`
        select bucket as ts_ms, team, avg(score) as avg_score, count(*)::int as projects
        from (
          select distinct on (bucket, project_id) bucket, project_id, team, score
          from (select id, project_id, team, score, ${tsMs} as ts_ms,
                       floor(${tsMs} / ${q.bucketMs}::float8) * ${q.bucketMs}::float8 as bucket
                from analytics.score_history
                where org_id = ${q.org_id} ${between(q.fromMs, q.toMs)}) s
          order by bucket, project_id, ts_ms desc, id desc) l
        group by bucket, team
        order by bucket, team`;
      return toTeamPoints(rows);
    },
  };
}
