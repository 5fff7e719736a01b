import type { Context } from "hono";
import type { Blueprint } from "../../lib/blueprints/blueprints.ts";
import type { JsonObjectSchema } from "../../lib/blueprints/effective.ts";
import { type ImpactReport, orgIdsOf, projectImpact } from "../../lib/blueprints/impact.ts";
import { DomainError } from "../../lib/errors.ts";
import type { AppEnv } from "../../lib/http/app.ts";
import { requireAuth } from "../../lib/http/auth.ts";
import { membershipsOf } from "../../lib/identity/permissions.ts";
import { cursorKey, decodeCursor, encodeCursor } from "../../lib/pagination.ts";

/**
 * Runs an impact scan of a Project blueprint's filter with `schema`, over the organizations the
 * caller may read projects in (every one for an administrator). Sets `Link: rel="next"`.
 */
export async function impactFor(
  c: Context<AppEnv>,
  bp: Blueprint,
  schema: JsonObjectSchema,
  q: { limit: number; cursor?: string },
): Promise<ImpactReport> {
  if (bp.kind !== "node" || bp.type !== "Project")
    throw new DomainError("BAD_REQUEST", "Impact reports are computed for Project node blueprints only.");
  const actor = await requireAuth(c);
  const { graph } = c.get("services");
  const after = cursorKey(decodeCursor(q.cursor), { i: "string" });
  const orgIds = actor.isAdmin
    ? null
    : await orgIdsOf(
        graph,
        (await membershipsOf(graph, actor.email))
          .filter((m) => m.permissions.includes("project:read"))
          .map((m) => m.slug),
      );
  const report = await projectImpact(graph, bp.filter, schema, {
    orgIds,
    after: after ? String(after.i) : null,
    limit: q.limit,
  });
  const next = report.next_cursor === null ? null : encodeCursor({ i: report.next_cursor });
  if (next) {
    const url = new URL(c.req.url);
    url.searchParams.set("cursor", next);
    url.searchParams.set("limit", String(q.limit));
    c.header("Link", `<${url.pathname}${url.search}>; rel="next"`);
  }
  return { ...report, next_cursor: next };
}
