import type { ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { ENTRY_TYPES } from "../analytics/operations.ts";
import {
  createRelationship,
  deleteRelationship,
  getDependencies,
  getDependencyClosure,
  getPath,
  listCycles,
} from "../catalog/dependency_verbs.ts";
import { PROJECT_SORTS } from "../catalog/project_query.ts";
import {
  createProject,
  getProject,
  listProjects,
  searchOrganization,
  updateProject,
} from "../catalog/project_verbs.ts";
import { getTeam, listTeamProjects } from "../catalog/team_verbs.ts";
import type { Ctx } from "../core/ctx.ts";
import type { Grants } from "../core/grants.ts";
import type { Access, Verb } from "../core/verb.ts";
import { createOperationEntry, listOperationEntries } from "../oplog/entry_verbs.ts";
import { listProjectEvents } from "../oplog/event_verbs.ts";
import {
  getDeploymentMatrix,
  getReleaseDrift,
  listCurrentReleases,
  listDeployments,
  recordDeployment,
} from "../releases/deployment_verbs.ts";
import { DEPLOYMENT_STATUSES } from "../releases/releases.ts";
import { getScoreRollup } from "../scoring/score_verbs.ts";
import { unsafeTextReason } from "../text.ts";
import { RECEIPT_STATUSES } from "../webhooks/inbound.ts";
import { listWebhookDeliveries } from "../webhooks/webhook_verbs.ts";

// The one registry of MCP tools (issue 11): curated, named operations for a model, each calling
// verbs with the caller's context — never an HTTP loop-back, never one tool per route. The verbs
// authorize every call (ADR 0009); this file only says which tools a caller is shown (fail closed)
// and how a model should use them. docs/mcp.md lists them; mcp_docs.test.ts keeps the two equal.

/** A verb as the registry needs it: its name and its declared access. */
export type VerbRef = Pick<Verb<never, unknown>, "verbName" | "access">;

/** One tool: what the model sees (name, description, schemas, hints) and what it runs. */
export interface McpTool {
  name: string;
  title: string;
  /** Written for a model: when to use it, what it returns. */
  description: string;
  input: z.ZodRawShape;
  output: z.ZodRawShape;
  annotations: ToolAnnotations;
  /** The verbs it calls: shown only when the caller passes every one's access. */
  verbs: readonly VerbRef[];
  /** Whether the tool acts in the organization named by its `organization` argument. */
  orgScoped: boolean;
  run(ctx: Ctx, args: Record<string, unknown>): Promise<Record<string, unknown>>;
}

function tool<I extends z.ZodRawShape>(
  spec: Omit<McpTool, "input" | "run" | "orgScoped"> & {
    input: I;
    run(ctx: Ctx, args: z.infer<z.ZodObject<I>>): Promise<Record<string, unknown>>;
  },
): McpTool {
  return {
    ...spec,
    orgScoped: "organization" in spec.input,
    run: (ctx, args) => spec.run(ctx, args as z.infer<z.ZodObject<I>>),
  };
}

// Text the stores cannot keep (U+0000, lone surrogates) is refused by the schema, with a reason.
const text = (max: number) =>
  z
    .string()
    .max(max)
    .superRefine((s, c) => {
      const reason = unsafeTextReason(s);
      if (reason) c.addIssue({ code: "custom", message: reason });
    });
const slug = (what: string) =>
  text(63)
    .regex(/^[a-z][a-z0-9-]*$/, "a slug: lowercase letters, digits and hyphens, starting with a letter")
    .describe(what);

const organization = slug("The organization's slug (every catalog question is asked in one organization).");
const projectRef = (what = "The project's id or slug.") => text(128).min(1).describe(what);
const limit = (max: number, dflt: number) =>
  z.number().int().min(1).max(max).default(dflt).describe(`How many to return (1..${max}).`);
const cursor = text(512).optional().describe("next_cursor of a previous page, to continue it.");

const anyObject = z.looseObject({});
const page = { data: z.array(anyObject), next_cursor: z.string().nullable() };

const READ: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};
const write = (hints: { destructive: boolean; idempotent: boolean }): ToolAnnotations => ({
  readOnlyHint: false,
  destructiveHint: hints.destructive,
  idempotentHint: hints.idempotent,
  openWorldHint: false,
});

/** Every tool the MCP server offers, in the order tools/list shows them. */
export const TOOLS: readonly McpTool[] = [
  tool({
    name: "search_catalog",
    title: "Search the catalog",
    description:
      "Full-text search across an organization's projects, teams and project types. Use it first when the " +
      "user names something loosely ('the billing thing'), to find the slug other tools need. Returns ranked " +
      "hits with their kind, slug, name and score.",
    input: {
      organization,
      query: text(256).min(1).describe("What to look for: words of a name, slug or description."),
      limit: limit(50, 10),
      include_archived: z.boolean().default(false).describe("Also match archived projects."),
    },
    output: { data: z.array(anyObject) },
    annotations: READ,
    verbs: [searchOrganization],
    run: (ctx, a) =>
      searchOrganization(ctx, { q: a.query, limit: a.limit, includeArchived: a.include_archived }),
  }),
  tool({
    name: "get_project",
    title: "Get a project",
    description:
      "One project by id or slug: its owning team, project types, environments, links, identifiers, " +
      "blueprint attributes and its health score with the breakdown (which policies passed or failed, and " +
      "why). Use it to answer 'who owns X', 'where is X deployed', 'why is X's score low'.",
    input: { organization, project: projectRef() },
    output: { project: anyObject, score_breakdown: anyObject.optional() },
    annotations: READ,
    verbs: [getProject],
    run: async (ctx, a) => ({ ...(await getProject(ctx, { id: a.project, breakdown: true })) }),
  }),
  tool({
    name: "list_projects",
    title: "List projects",
    description:
      "A page of an organization's projects, filtered by owning team, project type, environment, external " +
      "identifier (`github:123456`: which project is this repository?) or blueprint attribute expressions (`field:op[:value]`, e.g. `tier:eq:1`), sorted. Sort by `score` to " +
      "see the least healthy first. Returns projects and next_cursor for the following page.",
    input: {
      organization,
      team: slug("Only projects owned by this team (slug).").optional(),
      project_type: slug("Only projects of this type (slug).").optional(),
      environment: slug("Only projects deployed in this environment (slug).").optional(),
      archived: z
        .enum(["false", "true", "all"])
        .default("false")
        .describe("Archived projects: hide, only, or both."),
      identifier: text(1088)
        .optional()
        .describe(
          "Only projects with this external identifier, `source:id` (e.g. `github:123456`; split at the first colon).",
        ),
      filter: z.array(text(512)).max(20).optional().describe("Attribute filters `field:op[:value]`, ANDed."),
      sort: z
        .enum(PROJECT_SORTS)
        .default("slug")
        .describe("Order; a leading '-' is descending. `score` lists the lowest scores first."),
      limit: limit(100, 25),
      cursor,
    },
    output: page,
    annotations: READ,
    verbs: [listProjects],
    run: async (ctx, { organization: _o, ...a }) => ({ ...(await listProjects(ctx, a)) }),
  }),
  tool({
    name: "get_dependencies",
    title: "Dependencies or dependents",
    description:
      "A project's dependency neighbourhood to a depth: `downstream` is what it depends on, `upstream` what " +
      "depends on it. Returns the projects with their hop distance and the DEPENDS_ON edges among them.",
    input: {
      organization,
      project: projectRef(),
      direction: z
        .enum(["downstream", "upstream"])
        .describe("downstream: its dependencies; upstream: its dependents."),
      depth: z.number().int().min(1).max(10).default(1).describe("Hops to follow (1..10)."),
    },
    output: { nodes: z.array(anyObject), edges: z.array(anyObject) },
    annotations: READ,
    verbs: [getDependencies],
    run: async (ctx, a) => ({
      ...(await getDependencies(ctx, { id: a.project, direction: a.direction, depth: a.depth })),
    }),
  }),
  tool({
    name: "get_blast_radius",
    title: "Blast radius",
    description:
      "Everything that would be affected if a project went down: every project that depends on it, " +
      "directly or transitively (the upstream closure), nearest first, each with its hop distance. Use it for " +
      "'what breaks if X goes down'. `truncated` is true when the answer was capped.",
    input: { organization, project: projectRef() },
    output: { nodes: z.array(anyObject), truncated: z.boolean() },
    annotations: READ,
    verbs: [getDependencyClosure],
    run: async (ctx, a) => ({
      ...(await getDependencyClosure(ctx, { id: a.project, direction: "upstream" })),
    }),
  }),
  tool({
    name: "find_dependency_path",
    title: "Path between two services",
    description:
      "The shortest chain of DEPENDS_ON edges from one project to another ('how does checkout end up " +
      "depending on ledger'). Returns the projects along the path and its edges; an error when there is none.",
    input: {
      organization,
      from: projectRef("The depending project's id or slug."),
      to: projectRef("The depended-on project's id or slug."),
    },
    output: { nodes: z.array(anyObject), edges: z.array(anyObject) },
    annotations: READ,
    verbs: [getPath],
    run: async (ctx, a) => ({ ...(await getPath(ctx, { from: a.from, to: a.to })) }),
  }),
  tool({
    name: "list_dependency_cycles",
    title: "Dependency cycles",
    description:
      "Circular dependencies in an organization (each cycle once), which make deploy order and outage " +
      "analysis ambiguous. Returns each cycle as its projects in order.",
    input: { organization, limit: limit(100, 20) },
    output: { cycles: z.array(z.unknown()) },
    annotations: READ,
    verbs: [listCycles],
    run: async (ctx, a) => {
      const found: unknown = await listCycles(ctx, { limit: a.limit });
      return Array.isArray(found) ? { cycles: found } : { cycles: [], ...(found as Record<string, unknown>) };
    },
  }),
  tool({
    name: "get_team",
    title: "Get a team and what it owns",
    description:
      "A team by slug and the projects it owns (first page). Use it for 'what does team X own'; for 'who owns " +
      "project Y' use get_project (its team).",
    input: { organization, team: slug("The team's slug."), limit: limit(100, 50), cursor },
    output: { team: anyObject, projects: z.array(anyObject), next_cursor: z.string().nullable() },
    annotations: READ,
    verbs: [getTeam, listTeamProjects],
    run: async (ctx, a) => {
      const team = await getTeam(ctx, { team: a.team });
      const owned = await listTeamProjects(ctx, { team: a.team, limit: a.limit, cursor: a.cursor });
      return {
        team: { ...team },
        projects: owned.data.map((p) => ({ ...p })),
        next_cursor: owned.next_cursor,
      };
    },
  }),
  tool({
    name: "what_needs_attention",
    title: "What needs attention",
    description:
      "The least healthy parts of an organization: the lowest-scoring projects (optionally one team's) and " +
      "the average score per team or project type, worst first. Use it for 'what needs attention in payments'.",
    input: {
      organization,
      team: slug("Only this team's projects (slug).").optional(),
      dimension: z.enum(["team", "project_type"]).default("team").describe("How to group the rollup."),
      limit: limit(50, 10),
    },
    output: { lowest_scoring: z.array(anyObject), rollup: anyObject },
    annotations: READ,
    verbs: [listProjects, getScoreRollup],
    run: async (ctx, a) => {
      const lowest = await listProjects(ctx, { team: a.team, sort: "score", limit: a.limit });
      const rollup = await getScoreRollup(ctx, { dimension: a.dimension });
      return { lowest_scoring: lowest.data.map((p) => ({ ...p })), rollup: { ...rollup } };
    },
  }),
  tool({
    name: "list_operations_log",
    title: "Recent operations-log entries",
    description:
      "The organization's operations log, newest first: deployments, restarts, configuration changes, " +
      "incidents, with who performed them. Filter by project, environment or entry type. Use it for 'what " +
      "changed recently' during an incident.",
    input: {
      organization,
      project: projectRef("Only this project's entries (id or slug).").optional(),
      environment: slug("Only this environment (slug).").optional(),
      entry_type: z.enum(ENTRY_TYPES).optional().describe("Only this kind of entry."),
      limit: limit(100, 25),
      cursor,
    },
    output: page,
    annotations: READ,
    verbs: [listOperationEntries, getProject],
    run: async (ctx, a) => {
      const project_id = a.project ? (await getProject(ctx, { id: a.project })).project.id : undefined;
      return {
        ...(await listOperationEntries(ctx, {
          organization: a.organization,
          project_id,
          environment_slug: a.environment,
          entry_type: a.entry_type,
          limit: a.limit,
          cursor: a.cursor,
        })),
      };
    },
  }),
  tool({
    name: "list_project_events",
    title: "A project's change history",
    description:
      "A project's change events, newest first: one row per changed field with the old and new value, who " +
      "changed it and when. Use it for 'who changed X and what'.",
    input: { organization, project: projectRef(), limit: limit(100, 25), cursor },
    output: page,
    annotations: READ,
    verbs: [listProjectEvents],
    run: async (ctx, a) => ({
      ...(await listProjectEvents(ctx, { project: a.project, limit: a.limit, cursor: a.cursor })),
    }),
  }),
  tool({
    name: "create_project",
    title: "Create a project",
    description:
      "Registers a new service in the catalog, owned by a team, with its project types and optionally a " +
      "description, links (name → URL) and environments. Fails when the slug is taken. Returns the project.",
    input: {
      organization,
      name: text(256).min(1).describe("Display name."),
      slug: slug("URL-safe identifier, unique in the organization."),
      team: slug("The owning team's slug."),
      project_types: z
        .array(slug("A project type's slug."))
        .min(1)
        .max(20)
        .describe("Its project types' slugs."),
      description: text(4096).optional().describe("What the service does."),
      links: z
        .record(text(64), z.url().max(2048))
        .optional()
        .describe("Named URLs (repository, dashboard, …)."),
    },
    output: { project: anyObject },
    annotations: write({ destructive: false, idempotent: false }),
    verbs: [createProject],
    run: async (ctx, { organization: _o, ...a }) => ({ project: { ...(await createProject(ctx, a)) } }),
  }),
  tool({
    name: "update_project",
    title: "Update a project",
    description:
      "Changes a project's fields with a JSON Patch (RFC 6902), e.g. " +
      '[{"op":"replace","path":"/description","value":"…"}] or a blueprint attribute. Returns the project.',
    input: {
      organization,
      project: projectRef(),
      patch: z
        .array(
          z.object({
            op: z.enum(["add", "remove", "replace", "move", "copy", "test"]),
            path: text(512),
            from: text(512).optional(),
            value: z.unknown().optional(),
          }),
        )
        .min(1)
        .max(100)
        .describe("JSON Patch operations, applied in order."),
    },
    output: { project: anyObject },
    annotations: write({ destructive: false, idempotent: false }),
    verbs: [updateProject],
    run: async (ctx, a) => ({
      project: { ...(await updateProject(ctx, { id: a.project, patch: a.patch as never })) },
    }),
  }),
  tool({
    name: "add_dependency",
    title: "Add a dependency",
    description:
      "Records that one project depends on another (idempotent: `created` is false when it already did). " +
      "Both must be in the organization.",
    input: {
      organization,
      project: projectRef("The depending project's id or slug."),
      depends_on: projectRef("The project it depends on (id or slug)."),
    },
    output: { created: z.boolean(), source: anyObject, target: anyObject },
    annotations: write({ destructive: false, idempotent: true }),
    verbs: [createRelationship],
    run: async (ctx, a) => ({
      ...(await createRelationship(ctx, { id: a.project, targetId: a.depends_on })),
    }),
  }),
  tool({
    name: "remove_dependency",
    title: "Remove a dependency",
    description: "Removes the record that one project depends on another; an error when there was none.",
    input: {
      organization,
      project: projectRef("The depending project's id or slug."),
      depends_on: projectRef("The project it no longer depends on (id or slug)."),
    },
    output: { removed: z.boolean() },
    annotations: write({ destructive: true, idempotent: true }),
    verbs: [deleteRelationship],
    run: async (ctx, a) => {
      await deleteRelationship(ctx, { id: a.project, targetId: a.depends_on });
      return { removed: true };
    },
  }),
  tool({
    name: "record_operation",
    title: "Write an operations-log entry",
    description:
      "Records a change in the operations log: a deployment, restart, configuration change, rollback… of a " +
      "project in an environment (e.g. 'billing 2.4.1 went to production'). Returns the entry.",
    input: {
      organization,
      project: projectRef(),
      environment: slug("The environment's slug (e.g. production)."),
      entry_type: z.enum(ENTRY_TYPES).describe("What kind of change it was."),
      description: text(4096).min(1).describe("What happened, in a sentence."),
      version: text(256).optional().describe("The version deployed, if any."),
      link: z.url().max(2048).optional().describe("A link to the change (pipeline run, PR)."),
      ticket_slug: text(128).optional().describe("The ticket it belongs to."),
      notes: text(16384).optional().describe("Longer notes."),
    },
    output: { entry: anyObject },
    annotations: write({ destructive: false, idempotent: false }),
    verbs: [getProject, createOperationEntry],
    run: async (ctx, a) => {
      const { project } = await getProject(ctx, { id: a.project });
      const entry = await createOperationEntry(ctx, {
        project_id: project.id,
        environment_slug: a.environment,
        entry_type: a.entry_type,
        description: a.description,
        version: a.version,
        link: a.link,
        ticket_slug: a.ticket_slug,
        notes: a.notes,
      });
      return { entry: { ...entry } };
    },
  }),
  tool({
    name: "whats_deployed",
    title: "What's deployed where",
    description:
      "The organization's deployment matrix: for each project, the release (version) currently deployed in " +
      "each environment, with its status and when. Use it for 'what's in production', 'is staging ahead of " +
      "production', 'which services still run the old version'. Pages by project.",
    input: { organization, limit: limit(200, 50), cursor },
    output: page,
    annotations: READ,
    verbs: [getDeploymentMatrix],
    run: async (ctx, a) => ({ ...(await getDeploymentMatrix(ctx, { limit: a.limit, cursor: a.cursor })) }),
  }),
  tool({
    name: "get_project_deployments",
    title: "A project's deployments",
    description:
      "One project's current release per environment and its most recent deployments (newest first: " +
      "version or ref, environment, status, who, the CI run's URL). Optionally the release drift between two " +
      "environments (which releases `from` has that `to` has not). Use it for 'what version of X runs in " +
      "production', 'when was X last deployed and did it fail'.",
    input: {
      organization,
      project: projectRef(),
      limit: limit(50, 10),
      drift_from: slug("Compare this environment (e.g. staging)…").optional(),
      drift_to: slug("…with this one (e.g. production).").optional(),
    },
    output: { current: z.array(anyObject), recent: z.array(anyObject), drift: anyObject.optional() },
    annotations: READ,
    verbs: [getProject, listCurrentReleases, listDeployments, getReleaseDrift],
    run: async (ctx, a) => {
      const { project } = await getProject(ctx, { id: a.project });
      const current = await listCurrentReleases(ctx, { project: project.id });
      const recent = await listDeployments(ctx, { project: project.id, limit: a.limit });
      const drift =
        a.drift_from && a.drift_to
          ? await getReleaseDrift(ctx, { project: project.id, from: a.drift_from, to: a.drift_to })
          : undefined;
      return {
        current: current.data.map((c) => ({ ...c })),
        recent: recent.data.map((d) => ({ ...d })),
        ...(drift ? { drift: { ...drift } } : {}),
      };
    },
  }),
  tool({
    name: "record_deployment",
    title: "Record a deployment",
    description:
      "Records that a project's release (by version) or a tag/commit (ref) was deployed to an environment, " +
      "or a status change of a run already recorded (same external_run_id). A new deployment of a release " +
      "with open blockers is refused, listing them. A terminal status writes the operations-log entry.",
    input: {
      organization,
      project: projectRef(),
      environment: slug("The environment's slug (e.g. production)."),
      status: z.enum(DEPLOYMENT_STATUSES).describe("pending, in_progress, success, failed or rolled_back."),
      version: text(256).optional().describe("The release's version."),
      ref: text(256).optional().describe("A tag or commit sha, when there is no release."),
      external_run_id: text(256)
        .optional()
        .describe("The CI run's id: later reports of it update this deployment."),
      external_run_url: z.url().max(2048).optional().describe("A link to the CI run."),
      note: text(4096).optional().describe("A note."),
    },
    output: { deployment: anyObject, created: z.boolean() },
    annotations: write({ destructive: false, idempotent: true }),
    verbs: [getProject, recordDeployment],
    run: async (ctx, a) => {
      const { project } = await getProject(ctx, { id: a.project });
      const r = await recordDeployment(ctx, {
        project: project.id,
        environment: a.environment,
        status: a.status,
        version: a.version,
        ref: a.ref,
        external_run_id: a.external_run_id,
        external_run_url: a.external_run_url,
        note: a.note,
      });
      return { deployment: { ...r.deployment }, created: r.created };
    },
  }),
  tool({
    name: "list_webhook_deliveries",
    title: "What an inbound webhook received",
    description:
      "An inbound webhook's delivery log, newest first: event type, status (pending, processed, dead), the " +
      "projects the delivery matched and what each rule did (succeeded, skipped with why, failed with the " +
      "error). Use it for 'why did my GitHub deployment not show up in Imbi'.",
    input: {
      organization,
      webhook: text(64).min(1).describe("The webhook's slug or id."),
      status: z.enum(RECEIPT_STATUSES).optional().describe("Only deliveries in this state."),
      limit: limit(50, 10),
      cursor,
    },
    output: page,
    annotations: READ,
    verbs: [listWebhookDeliveries],
    run: async (ctx, a) => ({
      ...(await listWebhookDeliveries(ctx, {
        webhook: a.webhook,
        status: a.status,
        limit: a.limit,
        cursor: a.cursor,
      })),
    }),
  }),
];

/** Whether the caller may be shown one access rule: held in some organization, or globally. */
async function passes(access: Access, grants: Grants): Promise<boolean> {
  switch (access.scope) {
    case "authenticated":
      return true;
    case "organization":
    case "anywhere":
      return (await grants.anywhere()).has(access.permission);
    case "global":
      return (await grants.global()).has(access.permission);
    case "custom": {
      // The verb decides from the data; show it only when every permission it may need is held
      // somewhere. An empty list cannot be evaluated, so it hides the tool.
      if (access.permissions.length === 0) return false;
      const held = await grants.anywhere();
      return access.permissions.every((p) => held.has(p));
    }
    default:
      return false;
  }
}

/**
 * The tools the caller is shown: those whose every verb's access they pass in at least one
 * organization. Fails closed: a rule that cannot be evaluated (unknown scope, a lookup that throws)
 * hides its tool. Calls are authorized again by the verbs, whatever this shows.
 */
export async function visibleTools(grants: Grants, tools: readonly McpTool[] = TOOLS): Promise<Set<string>> {
  const shown = new Set<string>();
  for (const t of tools) {
    try {
      let ok = t.verbs.length > 0;
      for (const v of t.verbs) if (ok) ok = await passes(v.access, grants);
      if (ok) shown.add(t.name);
    } catch {
      // Hidden: fail closed.
    }
  }
  return shown;
}
