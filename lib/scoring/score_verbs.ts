import type { ScoreHistoryQuery, TeamScoreHistoryQuery } from "../analytics/index.ts";
import { analyticsRead } from "../analytics/read.ts";
import { resolveOrg } from "../catalog/org.ts";
import { getProject, projectIdOf } from "../catalog/projects.ts";
import { orgOf } from "../core/ctx.ts";
import { defineVerb } from "../core/verb.ts";
import { DomainError } from "../errors.ts";
import { getLevels } from "./levels.ts";
import { getPolicy } from "./policies.ts";
import * as store from "./reads.ts";
import { scoreRollup } from "./rollup.ts";
import { projectIdsFor } from "./triggers.ts";

// The score operations: a project's live score, history and trend, an organization's rollups and
// team series (all need project:read in the organization), and rescore requests. Read models are
// ./reads.ts and ./rollup.ts; the history lives in the analytics store.

/** A project of the call's organization, by id or slug. */
export interface ProjectInput {
  project: string;
}

/** A project's score computed now (live policies, blueprints, neighbours) beside the stored one. */
export const getProjectScore = defineVerb({
  name: "getProjectScore",
  access: { scope: "organization", permission: "project:read" },
  async run(ctx, input: ProjectInput) {
    const org = orgOf(ctx);
    const { graph } = ctx.services;
    // projectScore loads the project itself (and 404s outside the organization): no separate read.
    return store.projectScore(graph, org, await projectIdOf(graph, org, input.project));
  },
});

/** A project's stored score changes (raw, or hourly/daily buckets), oldest first. */
export const getProjectScoreHistory = defineVerb({
  name: "getProjectScoreHistory",
  access: { scope: "organization", permission: "project:read" },
  async run(ctx, input: ProjectInput & Omit<ScoreHistoryQuery, "project_id">) {
    const { project: ref, ...q } = input;
    const { graph, analytics } = ctx.services;
    const project = await getProject(graph, orgOf(ctx), ref);
    const data = await analyticsRead(ctx.log, () => analytics.scoreHistory({ project_id: project.id, ...q }));
    return { project_id: project.id, granularity: q.granularity, data };
  },
});

/** The stored score now against the score as of `days` ago. */
export const getProjectScoreTrend = defineVerb({
  name: "getProjectScoreTrend",
  access: { scope: "organization", permission: "project:read" },
  async run(ctx, input: ProjectInput & { days: number }) {
    const { graph, analytics } = ctx.services;
    const project = await getProject(graph, orgOf(ctx), input.project);
    return analyticsRead(ctx.log, () => store.scoreTrend(analytics, project.id, project.score, input.days));
  },
});

/** Current scores per team or project type of the organization, worst average first. */
export const getScoreRollup = defineVerb({
  name: "getScoreRollup",
  access: { scope: "organization", permission: "project:read" },
  async run(ctx, input: { dimension: "team" | "project_type" }) {
    const org = orgOf(ctx);
    const { graph } = ctx.services;
    const data = await scoreRollup(graph, org.id, input.dimension, await getLevels(graph, org.slug));
    return { dimension: input.dimension, data };
  },
});

/**
 * The organization's average score per team and bucket. Unbounded series get large: without
 * `from`, hourly looks back 7 days and daily 90.
 */
export const getTeamScoreHistory = defineVerb({
  name: "getTeamScoreHistory",
  access: { scope: "organization", permission: "project:read" },
  async run(ctx, input: Omit<TeamScoreHistoryQuery, "org_id">) {
    const org = orgOf(ctx);
    const from =
      input.from ??
      new Date(ctx.now().getTime() - (input.granularity === "hour" ? 7 : 90) * 86_400_000).toISOString();
    const data = await analyticsRead(ctx.log, () =>
      ctx.services.analytics.teamScoreHistory({ org_id: org.id, ...input, from }),
    );
    return { granularity: input.granularity, data };
  },
});

/** What to rescore: exactly one of a project (with its organization), a policy, a type, or all. */
export interface RescoreInput {
  organization?: string;
  project_id?: string;
  policy?: string;
  project_type?: string;
  all?: boolean;
}

const invalid = (detail: string, location: string, message: string) =>
  new DomainError("VALIDATION_FAILED", detail, [{ location, message }]);

/**
 * Queues projects for rescoring: one project needs scoring_policy:rescore in its organization;
 * a policy's, a type's or all projects need scoring_policy:rescore_all in `organization`, or
 * globally without one. Projects already waiting are dropped (debounce).
 */
export const rescoreProjects = defineVerb({
  name: "rescoreProjects",
  access: {
    scope: "custom",
    permissions: ["scoring_policy:rescore", "scoring_policy:rescore_all"],
    rule:
      "scoring_policy:rescore in `organization` for one project; scoring_policy:rescore_all in " +
      "`organization` (or globally without one) for a policy's, a type's or all projects",
  },
  async run(ctx, input: RescoreInput, auth) {
    const chosen = (["project_id", "policy", "project_type", "all"] as const).filter(
      (k) => input[k] !== undefined && input[k] !== false,
    );
    if (chosen.length !== 1)
      throw invalid(
        "Send exactly one of project_id, policy, project_type or all: true.",
        "json",
        `got ${chosen.join(", ") || "none"}`,
      );
    if (input.project_id !== undefined && input.organization === undefined)
      throw invalid(
        "Rescoring one project needs its organization.",
        "json.organization",
        "is required with project_id",
      );
    const permission =
      input.project_id !== undefined ? "scoring_policy:rescore" : "scoring_policy:rescore_all";
    await auth.require(permission, input.organization ?? null);
    const { graph, scores } = ctx.services;
    const org = input.organization === undefined ? null : await resolveOrg(graph, input.organization);
    let ids: string[];
    if (input.project_id !== undefined && org) ids = [(await getProject(graph, org, input.project_id)).id];
    else if (input.policy !== undefined) {
      const { targets } = await getPolicy(graph, input.policy);
      ids = await projectIdsFor(graph, { orgId: org?.id, types: targets.length ? targets : null });
    } else
      ids = await projectIdsFor(graph, {
        orgId: org?.id,
        types: input.project_type ? [input.project_type] : null,
      });
    const requests = ids.map((project_id) => ({
      project_id,
      reason: "bulk_rescore" as const,
      requested_by: ctx.actor.id,
    }));
    let result: Awaited<ReturnType<typeof scores.enqueue>>;
    try {
      result = await scores.enqueue(requests);
    } catch (e) {
      ctx.log.warn("rescore enqueue failed", { error: e instanceof Error ? e.message : String(e) });
      throw new DomainError(
        "SERVICE_UNAVAILABLE",
        "The score queue is unreachable; nothing was queued. Retry shortly and check GET /api/status.",
        undefined,
        { "Retry-After": "30" },
      );
    }
    ctx.audit({
      event: "rescore_requested",
      organization: input.organization ?? "",
      details: { ...input, requested: ids.length },
    });
    return { requested: ids.length, ...result, queue: scores.kind };
  },
});
