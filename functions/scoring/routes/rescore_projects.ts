import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { rescoreProjects } from "../../../lib/scoring/score_verbs.ts";
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
    "`organization`, or globally without one: an administrator or a role in the system organization). " +
    "Requests for projects already waiting are dropped (debounce). Answers 202 with what was queued; scores " +
    "appear once the consumer has run.",
  ...verbAccess(rescoreProjects),
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

export const handler: AppRouteHandler<typeof route> = async (c) =>
  c.json(await rescoreProjects(ctxOf(c), c.req.valid("json")), 202);
