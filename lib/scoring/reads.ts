// Read models of the scoring routes: a project's live score next to its stored one, and its trend.
import type { AnalyticsStore } from "../analytics/index.ts";
import type { OrgRef } from "../catalog/org.ts";
import { notFound } from "../catalog/projects.ts";
import type { Graph } from "../graph/graph.ts";
import type { ScoreResult } from "./engine.ts";
import { evaluateProjects } from "./recompute.ts";

/** What `GET …/projects/{id}/score` and `?breakdown=true` show. */
export interface ProjectScore {
  project_id: string;
  score: number | null;
  level: string | null;
  stored_score: number | null;
  previous_score: number | null;
  scored_at: string | null;
  breakdown: ScoreResult["breakdown"];
}

/**
 * Computes a project's score now (live policies, blueprints, neighbours) beside the stored one;
 * 404 unless the project belongs to `org`.
 */
export async function projectScore(graph: Graph, org: OrgRef, projectId: string): Promise<ProjectScore> {
  const evaluation = (await evaluateProjects(graph, [projectId])).get(projectId);
  if (!evaluation || evaluation.project.orgId !== org.id) throw notFound(org, projectId);
  const { project, result } = evaluation;
  return {
    project_id: projectId,
    score: result.score,
    level: result.level,
    stored_score: project.score,
    previous_score: project.previousScore,
    scored_at: project.scoredAt,
    breakdown: result.breakdown,
  };
}

/** The stored score against the one that held when the window opened. */
export async function scoreTrend(
  analytics: AnalyticsStore,
  projectId: string,
  current: number | null,
  days: number,
) {
  const since = new Date(Date.now() - days * 86_400_000).toISOString();
  // The last score before the window; for a project first scored inside it, its first score.
  const before = (await analytics.scoresAsOf([projectId], since)).get(projectId);
  const first = before
    ? null
    : (await analytics.scoreHistory({ project_id: projectId, granularity: "raw", from: since, limit: 1 }))[0];
  const previous = before?.score ?? first?.score ?? null;
  const delta = current === null || previous === null ? null : Math.round((current - previous) * 100) / 100;
  const direction = delta === null ? "unknown" : delta > 0 ? "up" : delta < 0 ? "down" : "flat";
  return { project_id: projectId, days, current, previous, delta, direction } as const;
}
