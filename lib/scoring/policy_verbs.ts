import { slugify } from "../blueprints/blueprints.ts";
import type { Ctx } from "../core/ctx.ts";
import { defineVerb } from "../core/verb.ts";
import { checkIfMatch, unchangedSince } from "../etag.ts";
import { applyJsonPatch, type JsonPatch } from "../json_patch.ts";
import { cursorKey, decodeCursor, type Page, pageFrom } from "../pagination.ts";
import * as store from "./policies.ts";
import type { PolicyInput, ScoringPolicy } from "./policy.ts";
import { onPolicyChange } from "./triggers.ts";

// The scoring-policy operations, whichever door calls them. Policies are global configuration
// (ADR 0009): every member reads them (scoring_policy:read held in any organization); writes need a
// global grant — the `is_admin` flag or a role in the system organization. A write queues every
// project the policy applied to before or applies to now for rescoring. Storage is ./policies.ts.

/** A list page request: the page size and the cursor of the previous page. */
export interface PageInput {
  limit: number;
  cursor?: string;
}

const audit = (ctx: Ctx, event: string, subject: string) => ctx.audit({ event, subject });

/** Every policy by slug, optionally by category, enabled flag and attribute name. */
export const listScoringPolicies = defineVerb({
  name: "listScoringPolicies",
  access: { scope: "anywhere", permission: "scoring_policy:read" },
  async run(
    ctx,
    input: PageInput & { category?: string; enabled?: boolean; attribute_name?: string },
  ): Promise<Page<ScoringPolicy>> {
    const after = cursorKey(decodeCursor(input.cursor), { s: "string" });
    const rows = await store.listPolicies(ctx.services.graph, {
      after: after ? String(after.s) : null,
      limit: input.limit,
      category: input.category,
      enabled: input.enabled,
      attribute_name: input.attribute_name,
    });
    return pageFrom(rows, input.limit, (p) => ({ s: p.slug }));
  },
});

/** One policy by slug. */
export const getScoringPolicy = defineVerb({
  name: "getScoringPolicy",
  access: { scope: "anywhere", permission: "scoring_policy:read" },
  run: (ctx, input: { slug: string }) => store.getPolicy(ctx.services.graph, input.slug),
});

/** Creates a policy (400 naming what is invalid, 409 for a taken slug; the slug defaults from the name). */
export const createScoringPolicy = defineVerb({
  name: "createScoringPolicy",
  access: { scope: "global", permission: "scoring_policy:write" },
  async run(ctx, input: PolicyInput) {
    const policy = await store.createPolicy(ctx.services.graph, {
      ...input,
      slug: input.slug ?? slugify(input.name),
    });
    audit(ctx, "scoring_policy_created", policy.slug);
    onPolicyChange(ctx, null, policy);
    return policy;
  },
});

/**
 * Applies a JSON Patch to a policy document (validated like a create); the timestamps are
 * read-only. With `ifMatch` the write applies only to that version (412 when it changed).
 */
export const updateScoringPolicy = defineVerb({
  name: "updateScoringPolicy",
  access: { scope: "global", permission: "scoring_policy:write" },
  async run(ctx, input: { slug: string; patch: JsonPatch; ifMatch?: string }) {
    const { graph } = ctx.services;
    const current = await store.getPolicy(graph, input.slug);
    await checkIfMatch(input.ifMatch, current);
    const { created_at: _c, updated_at: _u, ...doc } = current;
    const next = applyJsonPatch(doc, input.patch, ["/created_at", "/updated_at"]);
    const updated = await store.updatePolicy(
      graph,
      input.slug,
      next,
      unchangedSince(input.ifMatch, current.updated_at),
    );
    audit(ctx, "scoring_policy_updated", updated.slug);
    onPolicyChange(ctx, current, updated);
    return updated;
  },
});

/** Deletes a policy (with `ifMatch`, only that version: 412 when it changed). */
export const deleteScoringPolicy = defineVerb({
  name: "deleteScoringPolicy",
  access: { scope: "global", permission: "scoring_policy:delete" },
  async run(ctx, input: { slug: string; ifMatch?: string }) {
    const { graph } = ctx.services;
    const current = await store.getPolicy(graph, input.slug);
    await checkIfMatch(input.ifMatch, current);
    const deleted = await store.deletePolicy(
      graph,
      input.slug,
      unchangedSince(input.ifMatch, current.updated_at),
    );
    audit(ctx, "scoring_policy_deleted", input.slug);
    onPolicyChange(ctx, deleted, null);
  },
});
