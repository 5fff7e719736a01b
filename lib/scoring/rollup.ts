// Current-score rollups of an organization, read from the graph (the stored scores are current, and
// team and type membership is today's — not what a history row recorded).

import { parseAgtype } from "../graph/agtype.ts";
import type { Graph } from "../graph/graph.ts";
import { prop, SqlParams, table } from "../graph/sql.ts";
import { levelFor, type ScoreLevel } from "./engine.ts";

/** One group of a rollup. */
export interface RollupRow {
  key: string;
  projects: number;
  scored: number;
  avg_score: number | null;
  min_score: number | null;
  max_score: number | null;
  levels: Record<string, number>;
}

/** Every non-archived project's stored score with its team or its types (one row per type). */
async function scoresBy(graph: Graph, orgId: string, dimension: "team" | "project_type") {
  const ps = new SqlParams();
  const [edge, label] =
    dimension === "team" ? (["OWNED_BY", "Team"] as const) : (["TYPE", "ProjectType"] as const);
  const rows = (await graph.sql.unsafe(
    `SELECT ${prop("g", "slug")} AS key, ${prop("p", "score")} AS score
     FROM ${table(graph, "Project")} p
     JOIN ${table(graph, edge)} e ON e.start_id = p.id JOIN ${table(graph, label)} g ON g.id = e.end_id
     WHERE ${prop("p", "org_id")} = ${ps.ag(orgId)}
       AND ${prop("p", "archived")} IS DISTINCT FROM 'true'::ag_catalog.agtype`,
    ps.values,
  )) as unknown as { key: string; score: string | null }[];
  return rows.map((r) => {
    const score = parseAgtype(r.score);
    return { key: String(parseAgtype(r.key)), score: typeof score === "number" ? score : null };
  });
}

/** Averages, extremes and the level distribution per team or project type; worst average first. */
export async function scoreRollup(
  graph: Graph,
  orgId: string,
  dimension: "team" | "project_type",
  levels: ScoreLevel[],
): Promise<RollupRow[]> {
  const groups = new Map<string, RollupRow & { sum: number }>();
  for (const { key, score } of await scoresBy(graph, orgId, dimension)) {
    let g = groups.get(key);
    if (!g) {
      g = {
        key,
        projects: 0,
        scored: 0,
        avg_score: null,
        min_score: null,
        max_score: null,
        levels: {},
        sum: 0,
      };
      groups.set(key, g);
    }
    g.projects++;
    if (score === null) continue;
    g.scored++;
    g.sum += score;
    g.min_score = g.min_score === null ? score : Math.min(g.min_score, score);
    g.max_score = g.max_score === null ? score : Math.max(g.max_score, score);
    const level = levels.length ? (levelFor(score, levels) ?? "none") : null;
    if (level) g.levels[level] = (g.levels[level] ?? 0) + 1;
  }
  return [...groups.values()]
    .map(({ sum, ...g }) => ({ ...g, avg_score: g.scored ? Math.round((sum / g.scored) * 100) / 100 : null }))
    .sort((a, b) => (a.avg_score ?? 101) - (b.avg_score ?? 101) || a.key.localeCompare(b.key));
}
