import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf, withEtag } from "../../../lib/http/routes.ts";
import { addServiceAccountMembership } from "../../../lib/identity/service_account_verbs.ts";
import {
  AccountParamSchema,
  AddServiceAccountMembershipSchema,
  ServiceAccountMembershipSchema,
} from "../schemas.ts";

export const route = createRoute({
  operationId: "addServiceAccountMembership",
  method: "post",
  path: "/service-accounts/{slug}/organizations",
  tags: ["service-accounts"],
  summary: "Add a service account to an organization",
  description:
    "Makes the account a member with a role. Needs service_account:update globally, and the role may grant " +
    "only permissions you hold in that organization.",
  ...verbAccess(addServiceAccountMembership),
  request: {
    params: AccountParamSchema,
    body: {
      description: "Organization and role",
      required: true,
      content: { "application/json": { schema: AddServiceAccountMembershipSchema } },
    },
  },
  responses: {
    201: {
      description: "Added",
      content: { "application/json": { schema: ServiceAccountMembershipSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const m = await addServiceAccountMembership(ctxOf(c), {
    ...c.req.valid("json"),
    slug: c.req.valid("param").slug,
  });
  c.header("Location", locationOf(c, "service-accounts", m.service_account, "organizations", m.organization));
  return c.json(await withEtag(c, m), 201);
};
