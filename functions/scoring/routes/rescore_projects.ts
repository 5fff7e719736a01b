import { createRoute } from "@hono/zod-openapi";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { getProject } from "../../../lib/catalog/projects.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { ApiError, openApiErrorResponses } from "../../../lib/http/problem.ts";
import { getPolicy } from "../../../lib/scoring/policies.ts";
import { projectIdsFor } from "../../../lib/scoring/triggers.ts";
import { RescoreBodySchema, RescoreResultSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "rescoreProjects",
  method: "post",
  path: "/scoring/rescore",
  tags: ["scoring"],
  summary: "Queue projects for rescoring",
  description:
    "Queues one project (`project_id` with `organization`; needs `scoring_policy:rescore` there), or every " +
    "project a policy targets, every project of a type, or all projects (`scoring_policy:rescore_all` in " +
    "`organization`, or an administrator without it). Requests for projects already waiting are dropped " +
    "(debounce). Answers 202 with what was queued; scores appear once the consumer has run.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["scoring_policy:rescore", "scoring_policy:rescore_all"],
  request: {
    body: {
      description: "What to rescore",
      required: true,
      content: { "application/json": { schema: RescoreBodySchema } },
    },
  },
  responses: {
    202: { description: "Queued", content: { "application/json": { schema: RescoreResultSchema } } },
    ...openApiErrorResponses,
  },
});

const bad = (detail: string, location: string, message: string) =>
  new ApiError({ code: "VALIDATION_FAILED", detail, errors: [{ location, message }] });

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const body = c.req.valid("json");
  const chosen = (["project_id", "policy", "project_type", "all"] as const).filter(
    (k) => body[k] !== undefined && body[k] !== false,
  );
  if (chosen.length !== 1)
    throw bad(
      "Send exactly one of project_id, policy, project_type or all: true.",
      "json",
      `got ${chosen.join(", ") || "none"}`,
    );
  if (body.project_id !== undefined && body.organization === undefined)
    throw bad(
      "Rescoring one project needs its organization.",
      "json.organization",
      "is required with project_id",
    );
  const permission = body.project_id !== undefined ? "scoring_policy:rescore" : "scoring_policy:rescore_all";
  const actor = await requirePermission(c, permission, body.organization);
  const s = c.get("services");
  const org = body.organization === undefined ? null : await resolveOrg(s.graph, body.organization);
  let ids: string[];
  if (body.project_id !== undefined && org) ids = [(await getProject(s.graph, org, body.project_id)).id];
  else if (body.policy !== undefined) {
    const { targets } = await getPolicy(s.graph, body.policy);
    ids = await projectIdsFor(s.graph, { orgId: org?.id, types: targets.length ? targets : null });
  } else
    ids = await projectIdsFor(s.graph, {
      orgId: org?.id,
      types: body.project_type ? [body.project_type] : null,
    });
  const requests = ids.map((project_id) => ({
    project_id,
    reason: "bulk_rescore" as const,
    requested_by: actor.email,
  }));
  let result: Awaited<ReturnType<typeof s.scores.enqueue>>;
  try {
    result = await s.scores.enqueue(requests);
  } catch (e) {
    s.log.warn("rescore enqueue failed", { error: e instanceof Error ? e.message : String(e) });
    throw new ApiError({
      code: "SERVICE_UNAVAILABLE",
      detail: "The score queue is unreachable; nothing was queued. Retry shortly and check GET /api/status.",
      headers: { "Retry-After": "30" },
    });
  }
  s.audit({
    event: "rescore_requested",
    actor: actor.email,
    organization: body.organization ?? "",
    details: { ...body, requested: ids.length },
  });
  return c.json({ requested: ids.length, ...result, queue: s.scores.kind }, 202);
};
