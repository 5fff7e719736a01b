// Scoring policies: the API shape (flat fields discriminated by `category`), their defaults and
// validation. Zod checks the shape; check_policy.ts adds what zod cannot express and is wired in
// as a refinement, so parsing with these schemas rejects every invalid policy.
import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";

// These schemas document themselves for the OpenAPI document (descriptions, examples, component
// names, the recursive condition as one component). That is zod-to-openapi's extension of zod — a
// documentation library, not HTTP; idempotent, and @hono/zod-openapi applies the same one.
extendZodWithOpenApi(z);

import { policyIssues } from "./check_policy.ts";
import { AttributeName, ConditionSchema, hasRelationship } from "./condition.ts";

export { checkPolicy } from "./check_policy.ts";

/** The policy categories, in the order the API documents them. */
export const POLICY_CATEGORIES = [
  "attribute",
  "presence",
  "link_presence",
  "age",
  "deployment_status",
  "condition",
] as const;
export type PolicyCategory = (typeof POLICY_CATEGORIES)[number];

/** `deployment_status` scores for the statuses a policy's map leaves out. */
export const DEFAULT_STATUS_SCORES: Readonly<Record<string, number>> = {
  success: 100,
  in_progress: 100,
  pending: 100,
  missing: 100,
  failed: 0,
};

const SLUG = /^[a-z0-9][a-z0-9-]*$/;
const slug = (description: string, example: string) =>
  z.string().min(1).max(64).regex(SLUG, "must match ^[a-z0-9][a-z0-9-]*$").openapi({ description, example });
const score = (description: string, example: number) =>
  z.number().int().min(0).max(100).openapi({ description, example });
const scoreMap = (description: string, example: Record<string, number>, keyPattern?: string) =>
  z.record(z.string().min(1).max(128), z.number().int().min(0).max(100)).openapi({
    description,
    example,
    minProperties: 1,
    // The key syntax of lib/scoring/keys.ts, so the document rejects what the parser does.
    ...(keyPattern ? { propertyNames: { pattern: keyPattern } } : {}),
  });
// A range needs at least one bound; lo < hi and non-overlap are checked at run time only.
const RANGE_KEY = String.raw`^(?:-?\d+(?:\.\d+)?\.\.(?:-?\d+(?:\.\d+)?)?|\.\.-?\d+(?:\.\d+)?)$`;
const AGE_KEY = String.raw`^(?:<=|>=|==|<|>)\d+(?:\.\d+)?[smhdw]$`;
const attributeName = (what: string) =>
  AttributeName.openapi({
    description: `Attribute ${what} (a blueprint attribute or a core field)`,
    example: "tier",
  });
const timestamp = (what: string) =>
  z
    .string()
    .openapi({ description: `When the policy was ${what} (ISO 8601)`, example: "2024-05-01T12:00:00.000Z" });

const common = {
  name: z.string().min(1).max(128).openapi({ description: "Display name", example: "Has an owner" }),
  description: z
    .string()
    .max(4096)
    .default("")
    .openapi({ description: "What the policy rewards", example: "Projects should name an owner" }),
  weight: z.number().int().min(0).max(100).default(10).openapi({
    description: "Weight in the project's weighted average (0 keeps it in the breakdown without effect)",
    example: 10,
  }),
  enabled: z
    .boolean()
    .default(true)
    .openapi({ description: "Disabled policies are not scored", example: true }),
  priority: z
    .number()
    .int()
    .min(-1_000_000)
    .max(1_000_000)
    .default(0)
    .openapi({ description: "Display order only (ascending); it does not affect the score", example: 0 }),
  targets: z
    .array(slug("Project type slug", "http-api"))
    .max(100)
    .default([])
    .openapi({ description: "Project type slugs the policy applies to; empty = all", example: ["http-api"] }),
};

const fields = {
  attribute: {
    category: z.literal("attribute").openapi({ description: "Maps an attribute's value to a score" }),
    attribute_name: attributeName("whose value is mapped"),
    value_score_map: scoreMap(
      'Exact value → score (0-100). Booleans are keyed "true"/"false", numbers by their plain form ("3", "2.5"). ' +
        "Give this or range_score_map, not both",
      { python: 100, perl: 20, true: 100 },
    ).optional(),
    range_score_map: scoreMap(
      'Numeric range "lo..hi" → score (0-100), both bounds inclusive; "..10" and "90.." are open-ended. ' +
        "Ranges must not overlap, and sharing an endpoint (0..10, 10..20) is an overlap",
      { "..49.99": 0, "50..89.99": 60, "90..": 100 },
      RANGE_KEY,
    ).optional(),
  },
  presence: {
    category: z.literal("presence").openapi({ description: "Scores whether an attribute is set" }),
    attribute_name: attributeName("that should be set"),
    present_score: score("Score when set", 100).default(100),
    missing_score: score("Score when unset, blank, or an empty list or object", 0).default(0),
  },
  link_presence: {
    category: z.literal("link_presence").openapi({ description: "Scores whether the project has a link" }),
    link_slug: slug("Link definition slug", "repository"),
    present_score: score("Score when the link is set", 100).default(100),
    missing_score: score("Score when it is not", 0).default(0),
  },
  age: {
    category: z.literal("age").openapi({ description: "Scores the time since a date attribute" }),
    attribute_name: attributeName("holding an ISO date or date-time"),
    age_score_map: scoreMap(
      'Rule "<op><number><unit>" → score; op is one of < <= == > >=, unit one of s m h d w (m = minutes). ' +
        "Rules are tried in the order given and the first match wins; == holds for the whole unit " +
        '("==0d": less than a day old)',
      { "<30d": 100, "<90d": 50, ">=90d": 0 },
      AGE_KEY,
    ),
  },
  deployment_status: {
    category: z
      .literal("deployment_status")
      .openapi({ description: "Scores the deployment in an environment" }),
    environment_slug: slug("Environment slug", "production"),
    status_score_map: scoreMap(
      "Deployment status → score. Defaults: success, in_progress, pending and missing 100, failed 0. " +
        "No deployment, or a status not in the map, scores as missing",
      { success: 100, failed: 0, missing: 50 },
    ).default(() => ({ ...DEFAULT_STATUS_SCORES })),
  },
  condition: {
    category: z.literal("condition").openapi({ description: "Scores whether a condition tree holds" }),
    condition: ConditionSchema,
    true_score: score("Score when the condition holds", 100).default(100),
    false_score: score("Score when it does not", 0).default(0),
  },
};

// What the refinement checks, said in the document too: an attribute policy has exactly one of
// the two maps (check_policy.ts gives the actionable message at run time).
const ONE_MAP = {
  oneOf: [
    { required: ["value_score_map"], not: { required: ["range_score_map"] } },
    { required: ["range_score_map"], not: { required: ["value_score_map"] } },
  ],
};

/** Builds the category union around `extra` (slug, timestamps); strict rejects unknown keys. */
function policyUnion<E extends z.ZodRawShape>(extra: E, strict: boolean) {
  const obj = <T extends z.ZodRawShape>(shape: T) =>
    (strict ? z.strictObject(shape) : z.object(shape)) as z.ZodObject<T>;
  return z.discriminatedUnion("category", [
    obj({ ...extra, ...common, ...fields.attribute }).openapi(ONE_MAP),
    obj({ ...extra, ...common, ...fields.presence }),
    obj({ ...extra, ...common, ...fields.link_presence }),
    obj({ ...extra, ...common, ...fields.age }),
    obj({ ...extra, ...common, ...fields.deployment_status }),
    obj({ ...extra, ...common, ...fields.condition }),
  ]);
}

const InputUnion = policyUnion(
  { slug: slug("Unique slug; derived from the name when omitted", "has-owner").optional() },
  true,
);
/** A policy as written (create body, or the document a patch produces); slug may be absent. */
export type PolicyInput = z.output<typeof InputUnion>;

const refine = (doc: PolicyInput, ctx: z.RefinementCtx) => {
  for (const { path, message } of policyIssues(doc)) ctx.addIssue({ code: "custom", path, message });
};

/** The create body: defaults applied, semantic checks included; `slug` is optional. */
export const PolicyInputSchema = InputUnion.superRefine(refine).openapi("ScoringPolicyInput");

/** The writable document a JSON-Patched policy is re-validated against (`slug` required). */
export const PolicyDocumentSchema = policyUnion({ slug: slug("Unique slug", "has-owner") }, true)
  .superRefine(refine)
  .openapi("ScoringPolicyDocument");

/** A stored policy as the API returns it; unknown keys are stripped, not rejected. */
export const ScoringPolicySchema = policyUnion(
  {
    slug: slug("Unique slug", "has-owner"),
    created_at: timestamp("created"),
    updated_at: timestamp("last updated"),
  },
  false,
).openapi("ScoringPolicy");

/** A stored policy. */
export type ScoringPolicy = z.output<typeof PolicyDocumentSchema> & {
  created_at: string;
  updated_at: string;
};

/** True for a condition policy with a relationship node: its score depends on its neighbours. */
export function usesRelationships(policy: PolicyInput): boolean {
  return policy.category === "condition" && hasRelationship(policy.condition);
}

/** True when the policy is enabled and targets all project types or one of `projectTypes`. */
export function policyAppliesTo(policy: PolicyInput, projectTypes: readonly string[]): boolean {
  return (
    policy.enabled && (policy.targets.length === 0 || policy.targets.some((t) => projectTypes.includes(t)))
  );
}
