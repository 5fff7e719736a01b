// The rules of an inbound webhook (issue 13): an ordered list, each a CEL filter and one built-in
// action with its configuration. Checked when saved — every expression parses and type-checks, and
// the configuration has the action's shape — so a delivery meets only rules that can run.
//
// Every value in a configuration is a CEL expression over the delivery (`event`, `headers`,
// `payload`, `integration`, `delivery`), like the filter: `payload.deployment.environment`,
// `"v" + payload.release.tag_name`, `"Deployment failed"`. The reference mixes CEL and JSON
// Pointers; one language is simpler to learn and to check.
import { z } from "zod";
import { ENTRY_TYPES } from "../analytics/operations.ts";
import { DomainError } from "../errors.ts";
import { checkExpression, checkFilter } from "./filters.ts";

/** The built-in actions. */
export const RULE_ACTIONS = [
  "update_project",
  "create_release",
  "record_deployment",
  "publish_release",
  "block_release",
  "log_operation",
] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

/** The most rules a webhook may have. */
export const MAX_RULES = 50;

const expr = (description: string, example: string) =>
  z
    .string()
    .min(1)
    .max(4096)
    .meta({ description: `CEL expression: ${description}`, example });

/** The default status expression: GitHub's `deployment_status` state. */
export const GITHUB_STATE = "payload.deployment_status.state";

const CONFIGS = {
  update_project: z
    .object({
      fields: z
        .array(
          z
            .object({
              path: z
                .string()
                .regex(/^\/[A-Za-z0-9_-]+(\/[A-Za-z0-9_~-]+)*$/, "must be a JSON Pointer such as /language")
                .max(256)
                .meta({
                  description: "Where in the project the value goes (JSON Pointer)",
                  example: "/language",
                }),
              value: expr("the value to write", "payload.repository.language"),
            })
            .strict(),
        )
        .min(1)
        .max(50),
    })
    .strict(),
  create_release: z
    .object({
      version: expr("the release's version (a tag)", "payload.release.tag_name"),
      committish: expr("the commit it was cut from", "payload.release.target_commitish").optional(),
      title: expr("its title", "payload.release.name").optional(),
      notes: expr("its notes", "payload.release.body").optional(),
    })
    .strict(),
  record_deployment: z
    .object({
      environment: expr("the environment's slug", "payload.deployment.environment"),
      status: expr(
        "the status: Imbi's (pending, in_progress, success, failed, rolled_back) or GitHub's states",
        GITHUB_STATE,
      ).optional(),
      version: expr("the deployed release's version", "payload.deployment.ref").optional(),
      ref: expr("the deployed tag or commit sha", "payload.deployment.sha").optional(),
      external_run_id: expr("the CI run's id", "string(payload.deployment.id)").optional(),
      external_run_url: expr("the CI run's URL", "payload.deployment_status.target_url").optional(),
      note: expr("a note", "payload.deployment_status.description").optional(),
    })
    .strict(),
  publish_release: z
    .object({
      version: expr("the release's version", "payload.deployment.ref"),
      status: expr("the deployment status; publishes only on success", GITHUB_STATE).optional(),
      prerelease: z.boolean().optional().meta({ description: "Publish as a pre-release", example: false }),
    })
    .strict(),
  block_release: z
    .object({
      version: expr("the release's version", "payload.deployment.ref"),
      status: expr("the deployment status; blocks only on failure", GITHUB_STATE).optional(),
      reason: expr(
        "why (at most 500 characters)",
        '"Deployment to " + payload.deployment.environment + " failed"',
      ),
    })
    .strict(),
  log_operation: z
    .object({
      environment: expr("the environment's slug", "payload.deployment.environment"),
      entry_type: z
        .enum(ENTRY_TYPES)
        .optional()
        .meta({ description: "The entry type (default `Deployed`)", example: "Deployed" }),
      description: expr("what happened", '"Deployed " + payload.deployment.ref'),
      version: expr("the version concerned", "payload.deployment.ref").optional(),
      link: expr("a link (http(s) URL)", "payload.deployment_status.target_url").optional(),
    })
    .strict(),
} as const;

/** One rule as stored and shown. */
export const RuleSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(100)
      .meta({ description: "A name for the delivery log", example: "Record deployments" }),
    filter: z.string().min(1).max(4096).default("true").meta({
      description: "CEL filter: the rule applies when it is true",
      example: 'event == "deployment_status"',
    }),
    action: z.enum(RULE_ACTIONS).meta({ description: "The built-in action", example: "record_deployment" }),
    config: z
      .record(z.string(), z.unknown())
      .default({})
      .meta({
        description:
          "The action's configuration (its values are CEL expressions); docs/automations.md lists each action's",
        example: { environment: "payload.deployment.environment" },
      }),
    enabled: z.boolean().default(true).meta({ description: "Disabled rules are skipped", example: true }),
  })
  .strict();
export type Rule = z.output<typeof RuleSchema>;
/** A rule as a caller writes it (filter, config and enabled may be left out). */
export type RuleInput = z.input<typeof RuleSchema>;

/** The configuration of each action, typed. */
export type RuleConfig<A extends RuleAction> = z.output<(typeof CONFIGS)[A]>;

/** A configuration's string leaves that are expressions, with their paths (for checking). */
function expressions(config: unknown, path: string): [string, string][] {
  if (typeof config === "string") return [[path, config]];
  if (Array.isArray(config)) return config.flatMap((v, i) => expressions(v, `${path}.${i}`));
  if (config && typeof config === "object")
    return Object.entries(config).flatMap(([k, v]) =>
      // `path` of update_project and `entry_type` are names, not expressions.
      k === "path" || k === "entry_type" ? [] : expressions(v, `${path}.${k}`),
    );
  return [];
}

/**
 * Checks a webhook's rules for saving: each has its action's configuration shape, and its filter and
 * every expression parse. 400 naming the rule (`rules.<i>.…`) otherwise. Returns them normalized.
 */
export function checkRules(input: unknown, field = "rules"): Rule[] {
  const parsed = z.array(RuleSchema).max(MAX_RULES).safeParse(input);
  if (!parsed.success)
    throw new DomainError(
      "VALIDATION_FAILED",
      `${field}: ${parsed.error.issues.map((i) => `${[field, ...i.path].join(".")}: ${i.message}`).join("; ")}`,
      parsed.error.issues.map((i) => ({
        location: `json.${[field, ...i.path].join(".")}`,
        message: i.message,
      })),
    );
  return parsed.data.map((rule, i) => {
    const at = `${field}.${i}`;
    checkFilter(rule.filter, `${at}.filter`);
    const config = CONFIGS[rule.action].safeParse(rule.config);
    if (!config.success)
      throw new DomainError(
        "VALIDATION_FAILED",
        `${at}.config: ${config.error.issues.map((x) => `${[...x.path].join(".") || "(config)"}: ${x.message}`).join("; ")}`,
        config.error.issues.map((x) => ({
          location: `json.${[at, "config", ...x.path].join(".")}`,
          message: x.message,
        })),
      );
    for (const [path, e] of expressions(config.data, `${at}.config`)) checkExpression(e, path);
    return { ...rule, config: config.data as Record<string, unknown> };
  });
}

/** The configuration of a (checked) rule, typed by its action. */
export function configOf<A extends RuleAction>(rule: Rule & { action: A }): RuleConfig<A> {
  return CONFIGS[rule.action].parse(rule.config) as RuleConfig<A>;
}
