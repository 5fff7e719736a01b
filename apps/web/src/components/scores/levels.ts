// Score levels: which level a score reaches, and a tone for its badge.
export interface Level {
  name: string;
  min_score: number;
}

/** The highest level whose min_score the score reaches (levels in any order), or null. */
export function levelFor(score: number | null | undefined, levels: Level[]): string | null {
  if (score === null || score === undefined) return null;
  let best: Level | undefined;
  for (const l of levels) if (score >= l.min_score && (!best || l.min_score > best.min_score)) best = l;
  return best?.name ?? null;
}

/** Levels ascending, with "none" (below the lowest) first: the distribution's column order. */
export function levelColumns(levels: Level[]): string[] {
  return ["none", ...[...levels].sort((a, b) => a.min_score - b.min_score).map((l) => l.name)];
}

export function scoreTone(score: number | null | undefined): "bad" | "warn" | "good" | "muted" {
  if (score === null || score === undefined) return "muted";
  return score < 50 ? "bad" : score < 75 ? "warn" : "good";
}
