// A score with its level ("72 · Silver"), toned by how far up the organization's levels it is.
import { Badge } from "@/components/ui/card";
import type { ScoreLevel } from "./lookups";

/** The highest level whose `min_score` the score reaches (none below the lowest). */
export function levelFor(
  score: number | null | undefined,
  levels: ScoreLevel[] = [],
): ScoreLevel | undefined {
  if (score === null || score === undefined) return undefined;
  let best: ScoreLevel | undefined;
  for (const l of levels) if (score >= l.min_score && (!best || l.min_score > best.min_score)) best = l;
  return best;
}

export type Tone = "good" | "warn" | "bad" | "muted";

/** The top level is good, any other level fair, no level at all needs attention. */
export function toneFor(score: number | null | undefined, levels: ScoreLevel[] = []): Tone {
  if (score === null || score === undefined) return "muted";
  const level = levelFor(score, levels);
  if (!level) return "bad";
  const top = Math.max(...levels.map((l) => l.min_score));
  return level.min_score === top ? "good" : "warn";
}

export const formatScore = (score: number | null | undefined): string =>
  score === null || score === undefined ? "—" : String(Math.round(score * 10) / 10);

export function ScoreBadge({
  score,
  levels,
  testId,
}: {
  score: number | null | undefined;
  levels?: ScoreLevel[];
  testId?: string;
}) {
  const level = levelFor(score, levels);
  if (score === null || score === undefined)
    return (
      <Badge tone="muted" title="Not scored yet">
        <span data-testid={testId}>—</span>
        <span className="sr-only">not scored</span>
      </Badge>
    );
  return (
    <Badge tone={toneFor(score, levels)} className="gap-1 whitespace-nowrap tabular-nums">
      <span data-testid={testId}>{formatScore(score)}</span>
      {level ? <span>· {level.name}</span> : null}
    </Badge>
  );
}
