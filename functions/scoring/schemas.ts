import { z } from "@hono/zod-openapi";
import { instant, projectRef, slug } from "../../lib/http/fields.ts";
import { schemaKeywords } from "../../lib/http/openapi.ts";
import { PageQuerySchema, pageOf } from "../../lib/http/pagination.ts";
import { PolicyInputSchema, ScoringPolicySchema } from "../../lib/scoring/policy.ts";

const Ts = (description: string) =>
  z.string().openapi({ description: `${description} (ISO 8601, UTC)`, example: "2026-11-01T06:00:00.000Z" });
const Score = (description: string) => z.number().min(0).max(100).openapi({ description, example: 72.5 });

export const PolicySlugParamSchema = z.object({
  slug: slug("Scoring policy slug", "has-runbook").openapi({ param: { in: "path", name: "slug" } }),
});

export const OrgParamSchema = z.object({
  org: slug("Organization slug", "acme").openapi({ param: { in: "path", name: "org" } }),
});

export const ProjectScoreParamSchema = OrgParamSchema.extend({ id: projectRef("The project", "id") });

export const CreatePolicySchema = PolicyInputSchema.openapi("CreateScoringPolicy", {
  description: "A new scoring policy; the fields after `targets` depend on `category`",
  example: {
    slug: "supported-language",
    name: "Supported language",
    category: "attribute",
    attribute_name: "language",
    weight: 20,
    value_score_map: { typescript: 100, go: 100, python: 80, perl: 20 },
  },
});

/** A stored policy as the API returns it (the document plus its timestamps). */
export const PolicySchema = ScoringPolicySchema;

export const PolicyPageSchema = pageOf(PolicySchema, "ScoringPolicyPage");

export const ListPoliciesQuerySchema = PageQuerySchema.extend({
  category: z
    .enum(["attribute", "presence", "link_presence", "age", "deployment_status", "condition"])
    .optional()
    .openapi({ description: "Only policies of this category", example: "attribute" }),
  enabled: z
    .enum(["true", "false"])
    .optional()
    .openapi({ description: "Only enabled (or disabled) policies", example: "true" }),
  attribute_name: z
    .string()
    .max(128)
    .optional()
    .openapi({ description: "Only policies reading this attribute", example: "tier" }),
}).strict();

export const ContributionSchema = z
  .object({
    policy: z.string().openapi({ description: "Policy slug", example: "has-runbook" }),
    name: z.string().openapi({ description: "Policy name", example: "Has a runbook" }),
    category: z.string().openapi({ description: "Policy category", example: "link_presence" }),
    weight: z.number().openapi({ description: "The policy's weight (0..100)", example: 20 }),
    value: z.unknown().openapi({
      description: "The project value the policy looked at (null when missing)",
      example: "https://runbooks/x",
    }),
    mapped_score: z
      .number()
      .nullable()
      .openapi({ description: "The value mapped to 0..100; null when unmapped (counts as 0)", example: 100 }),
    contribution: z.number().openapi({ description: "mapped_score × weight / total weight", example: 25 }),
    condition_result: z
      .boolean()
      .optional()
      .openapi({ description: "Condition policies: whether it held", example: true }),
    matched_neighbours: z
      .array(z.string())
      .optional()
      .openapi({
        description: "Condition policies: ids of DEPENDS_ON neighbours that matched",
        example: ["k3Yz…"],
      }),
    note: z
      .string()
      .optional()
      .openapi({ description: "Why a value was unmapped", example: "value 'x' is not in value_score_map" }),
  })
  .openapi("ScoreContribution");

export const BreakdownSchema = z
  .object({
    policies: z
      .array(ContributionSchema)
      .openapi({ description: "One entry per applicable policy, by priority then slug" }),
    total_weight: z.number().openapi({ description: "Σ weight of the applicable policies", example: 80 }),
    skipped: z
      .array(
        z.object({
          policy: z.string().openapi({ description: "Policy slug", example: "runbook" }),
          reason: z.string().openapi({
            description: "Why it was not applied",
            example: "attribute 'runbook' is not defined for this project's types",
          }),
        }),
      )
      .openapi({
        description: "Policies that target the project but could not be applied, and why",
        example: [],
      }),
  })
  .openapi("ScoreBreakdown");

export const ProjectScoreSchema = z
  .object({
    project_id: z.string().openapi({ description: "Project id", example: "V1StGXR8_Z5jdHi6B-myT" }),
    score: Score("The score computed now from the live policies (null when no policy applies)").nullable(),
    level: z
      .string()
      .nullable()
      .openapi({ description: "The organization's level for that score", example: "Silver" }),
    stored_score: Score("The score last stored by the score consumer (null until scored)").nullable(),
    previous_score: Score("The stored score before the last change").nullable(),
    scored_at: Ts("When the consumer last stored a change").nullable(),
    breakdown: BreakdownSchema,
  })
  .openapi("ProjectScore");

export const HistoryQuerySchema = z
  .object({
    granularity: z.enum(["raw", "hour", "day"]).default("raw").openapi({
      description: "raw: every change; hour/day: UTC buckets (last, avg, min, max)",
      example: "day",
    }),
    from: instant("Start, inclusive").optional(),
    to: instant("End, exclusive").optional(),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(500)
      .openapi({ description: "At most this many points", example: 500 }),
  })
  .strict();

export const ScorePointSchema = z
  .object({
    at: Ts("The change's time, or the bucket's start"),
    score: Score("The score (the last one in a bucket)"),
    avg: Score("Average in the bucket (the score itself for raw points)"),
    min: Score("Lowest in the bucket"),
    max: Score("Highest in the bucket"),
    samples: z.number().int().openapi({ description: "Changes in the bucket", example: 3 }),
    previous_score: z
      .number()
      .nullable()
      .openapi({ description: "raw: the score before this change", example: 65 }),
    change_reason: z
      .string()
      .nullable()
      .openapi({ description: "raw: why it was recomputed", example: "project_change" }),
    level: z.string().nullable().openapi({ description: "The level at that time", example: "Silver" }),
  })
  .openapi("ScorePoint");

export const HistorySchema = z
  .object({
    project_id: z.string().openapi({ description: "Project id", example: "V1StGXR8_Z5jdHi6B-myT" }),
    granularity: z.enum(["raw", "hour", "day"]).openapi({ description: "As requested", example: "day" }),
    data: z.array(ScorePointSchema).openapi({ description: "Oldest first" }),
  })
  .openapi("ScoreHistory");

export const TrendQuerySchema = z
  .object({
    days: z.coerce
      .number()
      .int()
      .min(1)
      .max(365)
      .default(30)
      .openapi({ description: "Look-back window in days", example: 30 }),
  })
  .strict();

export const TrendSchema = z
  .object({
    project_id: z.string().openapi({ description: "Project id", example: "V1StGXR8_Z5jdHi6B-myT" }),
    days: z.number().int().openapi({ description: "The window", example: 30 }),
    current: Score("The stored score now").nullable(),
    previous: Score("The score as of the window's start (the last change before it)").nullable(),
    delta: z
      .number()
      .nullable()
      .openapi({ description: "current − previous; null when either is unknown", example: 7.5 }),
    direction: z
      .enum(["up", "down", "flat", "unknown"])
      .openapi({ description: "Sign of the delta", example: "up" }),
  })
  .openapi("ScoreTrend");

export const LevelSchema = z
  .object({
    name: z.string().min(1).max(32).openapi({ description: "Level name", example: "Gold" }),
    min_score: z
      .number()
      .min(0)
      .max(100)
      .openapi({ description: "Lowest score that reaches the level", example: 90 }),
  })
  .strict()
  .openapi("ScoreLevel");

export const LevelsSchema = z
  .object({
    levels: z
      .array(LevelSchema)
      .max(20)
      .openapi({
        description:
          "Ascending by min_score; a project gets the highest level its score reaches (none below the lowest). " +
          "Names and min_score values must each be unique (checked by the server; JSON Schema cannot state it)",
        example: [
          { name: "Bronze", min_score: 50 },
          { name: "Silver", min_score: 75 },
          { name: "Gold", min_score: 90 },
        ],
      }),
  })
  .strict()
  .openapi("ScoreLevels");

export const RollupQuerySchema = z
  .object({
    dimension: z
      .enum(["team", "project_type"])
      .default("team")
      .openapi({ description: "Group by", example: "team" }),
  })
  .strict();

export const RollupSchema = z
  .object({
    dimension: z.enum(["team", "project_type"]).openapi({ description: "As requested", example: "team" }),
    data: z
      .array(
        z.object({
          key: z.string().openapi({ description: "Team or project-type slug", example: "payments" }),
          projects: z
            .number()
            .int()
            .openapi({ description: "Projects in the group (archived ones excluded)", example: 12 }),
          scored: z.number().int().openapi({ description: "Of which have a score", example: 11 }),
          avg_score: z
            .number()
            .nullable()
            .openapi({ description: "Average stored score of the scored ones", example: 78.4 }),
          min_score: z.number().nullable().openapi({ description: "Lowest score in the group", example: 40 }),
          max_score: z
            .number()
            .nullable()
            .openapi({ description: "Highest score in the group", example: 100 }),
          levels: z.record(z.string(), z.number().int()).openapi({
            description: "Projects per level (`none` below the lowest level)",
            example: { Gold: 3, Silver: 6, none: 2 },
          }),
        }),
      )
      .openapi({ description: "One row per group, worst average first" }),
  })
  .openapi("ScoreRollup");

export const TeamHistoryQuerySchema = z
  .object({
    granularity: z
      .enum(["hour", "day"])
      .default("day")
      .openapi({ description: "UTC buckets", example: "day" }),
    from: instant("Start, inclusive").optional(),
    to: instant("End, exclusive").optional(),
  })
  .strict();

export const TeamHistorySchema = z
  .object({
    granularity: z.enum(["hour", "day"]).openapi({ description: "As requested", example: "day" }),
    data: z
      .array(
        z.object({
          team: z
            .string()
            .openapi({ description: "Team slug (as recorded with the score)", example: "payments" }),
          at: Ts("Bucket start"),
          avg_score: z.number().openapi({
            description: "Average over the team's projects of each one's last score in the bucket",
            example: 81.2,
          }),
          projects: z
            .number()
            .int()
            .openapi({ description: "Projects with a score change in the bucket", example: 4 }),
        }),
      )
      .openapi({ description: "By bucket, then team" }),
  })
  .openapi("TeamScoreHistory");

// What "a target is given" means for each of the four (the handler's rule; `all: false` is none).
const RESCORE_TARGETS: { present: { required: string[]; properties?: object } }[] = [
  { present: { required: ["project_id"] } },
  { present: { required: ["policy"] } },
  { present: { required: ["project_type"] } },
  { present: { required: ["all"], properties: { all: { const: true } } } },
];

export const RescoreBodySchema = z
  .object({
    organization: z.string().max(64).optional().openapi({
      description: "Limit to this organization (the permission is checked there)",
      example: "acme",
    }),
    project_id: z
      .string()
      .max(64)
      .optional()
      .openapi({ description: "One project, by id or slug (needs `organization`)", example: "payments-api" }),
    policy: z
      .string()
      .max(64)
      .optional()
      .openapi({ description: "Every project this policy targets", example: "has-runbook" }),
    project_type: z
      .string()
      .max(64)
      .optional()
      .openapi({ description: "Every project of this type", example: "api" }),
    all: z
      .boolean()
      .optional()
      .openapi({ description: "Every project (in `organization`, or everywhere)", example: false }),
  })
  .strict()
  .openapi("RescoreRequest", {
    description: "Exactly one of project_id (with organization), policy, project_type or all: true",
    example: { organization: "acme", project_type: "http-api" },
    // The handler's rule, stated for clients: one target; `all: false` counts as absent.
    ...schemaKeywords({
      oneOf: RESCORE_TARGETS.map((target) => ({
        allOf: [
          target.present,
          ...(target.present.required.includes("project_id") ? [{ required: ["organization"] }] : []),
        ],
        not: { anyOf: RESCORE_TARGETS.filter((t) => t !== target).map((t) => t.present) },
      })),
    }),
  });

export const RescoreResultSchema = z
  .object({
    requested: z.number().int().openapi({ description: "Projects asked for", example: 120 }),
    enqueued: z.number().int().openapi({ description: "Messages added to the queue", example: 118 }),
    debounced: z
      .number()
      .int()
      .openapi({ description: "Already waiting in the queue (dropped)", example: 2 }),
    queue: z
      .enum(["cloudflare", "redis", "memory"])
      .openapi({ description: "The queue adapter", example: "redis" }),
  })
  .openapi("RescoreResult");
