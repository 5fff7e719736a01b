import { z } from "zod";
import { AnalyticsTimestamp, text } from "./columns.ts";
import { AnalyticsQueryError } from "./errors.ts";

const Score = z.number().min(0).max(100);

/**
 * One computed project score (DESIGN.md §8), written by the score consumer before it updates the
 * graph. `id` is deterministic per (queue message, project), so a redelivered row is the same row:
 * both stores keep it once. `team` and `project_types` are the project's at scoring time.
 */
export const ScoreHistoryRowSchema = z
  .object({
    id: text(128).min(1),
    occurred_at: AnalyticsTimestamp,
    project_id: text(128).min(1),
    org_id: text(128).min(1),
    /**
     * Owning team's slug, `""` when unknown. Team and project-type slugs are the catalog's to
     * validate: a strict check here would turn one odd slug into a batch the consumer retries forever.
     */
    team: text(128).default(""),
    project_types: z.array(text(128)).max(256),
    score: Score,
    /** The score before this change; `null` for a project's first score. */
    previous_score: Score.nullable().default(null),
    /** Score level label (e.g. `gold`), `""` when levels are not configured. */
    level: text(128).default(""),
    /** Why the project was rescored (`SCORE_REASONS` in lib/scoring). */
    change_reason: text(64),
    /** Per-policy contributions; any JSON object, stored as JSON text. */
    breakdown: z.record(z.string(), z.json()).default({}),
  })
  .strict();

/** A score-history row as stored (defaults applied, timestamp normalised). */
export type ScoreHistoryRow = z.output<typeof ScoreHistoryRowSchema>;

/** Bucket width of the aggregated granularities; buckets are aligned to UTC epoch multiples. */
export const BUCKET_MS = { hour: 3_600_000, day: 86_400_000 } as const;

/** Query of `scoreHistory`: `from` inclusive, `to` exclusive; at most `limit` points (default 500). */
export const ScoreHistoryQuerySchema = z
  .object({
    project_id: text(128).min(1),
    granularity: z.enum(["raw", "hour", "day"]),
    from: AnalyticsTimestamp.optional(),
    to: AnalyticsTimestamp.optional(),
    limit: z.number().int().min(1).max(1000).default(500),
  })
  .strict();

/** Input of `scoreHistory`. */
export type ScoreHistoryQuery = z.input<typeof ScoreHistoryQuerySchema>;

/** Query of `teamScoreHistory`: `from` inclusive, `to` exclusive. */
export const TeamScoreHistoryQuerySchema = z
  .object({
    org_id: text(128).min(1),
    granularity: z.enum(["hour", "day"]),
    from: AnalyticsTimestamp.optional(),
    to: AnalyticsTimestamp.optional(),
  })
  .strict();

/** Input of `teamScoreHistory`. */
export type TeamScoreHistoryQuery = z.input<typeof TeamScoreHistoryQuerySchema>;

/** Most project ids one `latestScores`/`scoresAsOf` call takes (adapters chunk internally). */
export const MAX_SCORE_PROJECTS = 10_000;
const ProjectIdsSchema = z.array(text(128).min(1)).max(MAX_SCORE_PROJECTS);

/**
 * One point of a project's score history. `raw`: one row, so avg = min = max = score and
 * samples = 1. `hour`/`day`: `at` is the bucket start, `score` and `level` are the bucket's last
 * row's, and `previous_score` and `change_reason` are `null`.
 */
export interface ScorePoint {
  at: string;
  score: number;
  avg: number;
  min: number;
  max: number;
  samples: number;
  previous_score: number | null;
  change_reason: string | null;
  level: string;
}

/** A project's score at an instant, and when it was computed. */
export interface LatestScore {
  score: number;
  at: string;
}

/** One team's average score over its projects in one bucket. */
export interface TeamScorePoint {
  team: string;
  at: string;
  avg_score: number;
  projects: number;
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AnalyticsQueryError(z.prettifyError(parsed.error));
  return parsed.data;
}

const ms = (t: string | undefined) => (t === undefined ? undefined : Date.parse(t));

/**
 * Validates a `scoreHistory` query: `bucketMs` is `null` for raw points, the window is in epoch
 * ms. Throws {@link AnalyticsQueryError}.
 */
export function parseScoreHistoryQuery(q: ScoreHistoryQuery) {
  const { project_id, granularity, from, to, limit } = parse(ScoreHistoryQuerySchema, q);
  const bucketMs = granularity === "raw" ? null : BUCKET_MS[granularity];
  return { project_id, bucketMs, fromMs: ms(from), toMs: ms(to), limit };
}

/** Validates a `teamScoreHistory` query; throws {@link AnalyticsQueryError}. */
export function parseTeamScoreHistoryQuery(q: TeamScoreHistoryQuery) {
  const { org_id, granularity, from, to } = parse(TeamScoreHistoryQuerySchema, q);
  return { org_id, bucketMs: BUCKET_MS[granularity], fromMs: ms(from), toMs: ms(to) };
}

/** Validates project ids (≤ {@link MAX_SCORE_PROJECTS}) and splits the distinct ones into chunks. */
export function projectIdChunks(ids: string[], size: number): string[][] {
  const unique = [...new Set(parse(ProjectIdsSchema, ids))];
  const out: string[][] = [];
  for (let i = 0; i < unique.length; i += size) out.push(unique.slice(i, i + size));
  return out;
}

/** Validates the instant of `scoresAsOf` as epoch ms; throws {@link AnalyticsQueryError}. */
export function parseAsOf(at: string): number {
  return Date.parse(parse(AnalyticsTimestamp, at));
}

/** Flattens a validated row for storage: the instant as epoch ms, the breakdown as JSON text. */
export function toScoreRecord(row: ScoreHistoryRow) {
  const { occurred_at, breakdown, ...rest } = row;
  return { ...rest, ts_ms: Date.parse(occurred_at), breakdown: JSON.stringify(breakdown) };
}

/** A raw row as both adapters select it (numbers may arrive as strings from ClickHouse). */
export interface RawPointRecord {
  ts_ms: number | string;
  score: number;
  previous_score: number | null;
  change_reason: string;
  level: string;
}

/** A bucket as both adapters select it. */
export interface BucketRecord {
  ts_ms: number | string;
  last_score: number;
  avg_score: number;
  min_score: number;
  max_score: number;
  samples: number | string;
  last_level: string;
}

/** A per-project score as both lookups select it. */
export interface LatestRecord {
  project_id: string;
  last_score: number;
  last_ms: number | string;
}

/** A team bucket as both adapters select it, ordered by bucket, then team bytewise. */
export interface TeamRecord {
  ts_ms: number | string;
  team: string;
  avg_score: number;
  projects: number | string;
}

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

/** One raw row as a point. */
export function rawPoint(r: RawPointRecord): ScorePoint {
  const score = Number(r.score);
  return {
    at: iso(r.ts_ms),
    score,
    avg: score,
    min: score,
    max: score,
    samples: 1,
    previous_score: r.previous_score === null ? null : Number(r.previous_score),
    change_reason: r.change_reason,
    level: r.level,
  };
}

/** One aggregated bucket as a point. */
export function bucketPoint(r: BucketRecord): ScorePoint {
  return {
    at: iso(r.ts_ms),
    score: Number(r.last_score),
    avg: Number(r.avg_score),
    min: Number(r.min_score),
    max: Number(r.max_score),
    samples: Number(r.samples),
    previous_score: null,
    change_reason: null,
    level: r.last_level,
  };
}

/** Adds looked-up scores to `into`, keyed by project id. */
export function addLatest(into: Map<string, LatestScore>, rows: LatestRecord[]): Map<string, LatestScore> {
  for (const r of rows) into.set(r.project_id, { score: Number(r.last_score), at: iso(r.last_ms) });
  return into;
}

/** Converts team bucket records, keeping their order. */
export function toTeamPoints(rows: TeamRecord[]): TeamScorePoint[] {
  return rows.map((r) => ({
    team: r.team,
    at: iso(r.ts_ms),
    avg_score: Number(r.avg_score),
    projects: Number(r.projects),
  }));
}
