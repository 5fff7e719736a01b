import { analyticsRead } from "../analytics/read.ts";
import type { AuditRow } from "../analytics/types.ts";
import { defineVerb } from "../core/verb.ts";
import { DomainError } from "../errors.ts";
import type { Page } from "../pagination.ts";
import { type AuditFilter, bindCursor, memberOrganizations, unbindCursor } from "./audit_log.ts";

// Reading the audit log (the rows ctx.audit writes), whichever door asks. Who may read what:
// audit_log:read held globally (an administrator, or a role in the system organization) reads
// every row, global ones (logins, users, roles) included. Held only in some organizations, it
// reads the rows of those organizations: without `organization` the list is filtered to them,
// with `organization` that one must be among them (403 otherwise). Filtering rather than requiring
// `organization=` lets an auditor of three organizations read one merged, newest-first feed.

const READ = "audit_log:read";

/** The list's input: its filters and the page. */
export interface AuditLogInput extends AuditFilter {
  limit: number;
  cursor?: string;
}

/** Audit rows newest first, filtered, limited to the organizations the reader may audit. */
export const listAuditLog = defineVerb({
  name: "listAuditLog",
  access: {
    scope: "custom",
    permissions: [READ],
    rule:
      "audit_log:read globally reads every row; held only in some organizations, the rows of those " +
      "organizations (`organization` must be one of them; without it the list is filtered to them)",
  },
  async run(ctx, input: AuditLogInput, auth): Promise<Page<AuditRow>> {
    const { limit, cursor, ...filter } = input;
    let organizations: string[] | undefined;
    if (!(await auth.can(READ, null))) {
      if (filter.organization !== undefined) await auth.require(READ, filter.organization);
      else {
        organizations = [];
        for (const { org, role } of await memberOrganizations(ctx.services.graph, ctx.actor)) {
          // One query for every membership, instead of one role lookup per organization.
          ctx.grants.remember(org, role);
          if (await auth.can(READ, org)) organizations.push(org);
        }
        if (organizations.length === 0)
          throw new DomainError(
            "FORBIDDEN",
            `Permission denied: ${READ} is required globally or in at least one of your organizations.`,
          );
      }
    }
    const storeCursor = await unbindCursor(filter, cursor);
    const page = await analyticsRead(ctx.log, () =>
      ctx.services.analytics.listAudit({ ...filter, organizations, limit, cursor: storeCursor }),
    );
    return { data: page.data, next_cursor: await bindCursor(filter, page.nextCursor) };
  },
});
