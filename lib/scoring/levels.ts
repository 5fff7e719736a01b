// Score levels of an organization (e.g. Bronze ≥ 50, Silver ≥ 75, Gold ≥ 90), stored as JSON text
// on the Organization vertex. A project's level is derived from its score when it is read, so
// changing the levels needs no rescoring; history rows record the level that applied then.
import { DomainError } from "../errors.ts";
import type { Graph } from "../graph/graph.ts";
import type { ScoreLevel } from "./engine.ts";

/** Checks a level list (unique names and thresholds); returns it sorted by threshold, ascending. */
export function checkLevels(levels: ScoreLevel[]): ScoreLevel[] {
  const errors: { location: string; message: string }[] = [];
  const names = new Set<string>();
  const mins = new Set<number>();
  levels.forEach((l, i) => {
    if (names.has(l.name))
      errors.push({ location: `json.levels.${i}.name`, message: `duplicate level '${l.name}'` });
    if (mins.has(l.min_score))
      errors.push({
        location: `json.levels.${i}.min_score`,
        message: `another level already starts at ${l.min_score}; thresholds must differ`,
      });
    names.add(l.name);
    mins.add(l.min_score);
  });
  if (errors.length > 0)
    throw new DomainError(
      "VALIDATION_FAILED",
      `Invalid score levels: ${errors.map((e) => `${e.location}: ${e.message}`).join("; ")}`,
      errors,
    );
  return [...levels].sort((a, b) => a.min_score - b.min_score);
}

/** The organization's levels (empty when none are set); 404 for an unknown organization. */
export async function getLevels(graph: Graph, orgSlug: string): Promise<ScoreLevel[]> {
  const row = await graph.one<{ levels: string | null }>(
    "MATCH (o:Organization) WHERE o.slug = $slug RETURN o.score_levels_json",
    { slug: orgSlug },
    ["levels"],
  );
  if (!row) throw new DomainError("NOT_FOUND", `No organization with slug '${orgSlug}'.`);
  return row.levels ? (JSON.parse(row.levels) as ScoreLevel[]) : [];
}

/** Replaces the organization's levels (validated, sorted) and returns them. */
export async function setLevels(graph: Graph, orgSlug: string, levels: ScoreLevel[]): Promise<ScoreLevel[]> {
  const sorted = checkLevels(levels);
  const row = await graph.one(
    "MATCH (o:Organization) WHERE o.slug = $slug SET o.score_levels_json = $json RETURN o.id",
    { slug: orgSlug, json: JSON.stringify(sorted) },
  );
  if (!row) throw new DomainError("NOT_FOUND", `No organization with slug '${orgSlug}'.`);
  return sorted;
}
