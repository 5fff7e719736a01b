import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { type CallToolResult, ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { nanoid } from "nanoid";
import { z } from "zod";
import { getProject } from "../catalog/project_verbs.ts";
import { getTeam, listTeamProjects } from "../catalog/team_verbs.ts";
import type { Actor } from "../core/actor.ts";
import { auditActorColumns, type Ctx, createCtx, type OrgScope } from "../core/ctx.ts";
import type { Grants } from "../core/grants.ts";
import { DomainError } from "../errors.ts";
import { checkRateLimit, parseRateLimit } from "../kv/rate_limit.ts";
import type { Services } from "../services.ts";
import { findUnsafeText } from "../text.ts";
import { VERSION } from "../version.ts";
import { CATALOG_MODEL_DOC } from "./catalog_model_doc.ts";
import { type McpTool, TOOLS, visibleTools } from "./tools.ts";

// The MCP server of one request (stateless streamable HTTP: a server per request, nothing kept in
// the isolate). Tools come from ./tools.ts; this file adds what every call shares — the caller's
// context, the per-actor rate limit, the access-log row — and the resources and prompts.

/** Who is calling, as the door authenticated them. */
export interface McpCaller {
  services: Services;
  actor: Actor;
  grants: Grants;
  requestId: string;
}

/** The status an access-log row records. */
type CallStatus = "ok" | "error" | "denied";

const INSTRUCTIONS =
  "Imbi is a service catalog: projects (services) owned by teams, their dependencies, environments, " +
  "health scores and an operations log. Every catalog question is asked in one organization: pass its " +
  "slug as `organization`. Projects are named by id or slug; use search_catalog to find a slug. Read the " +
  "resource imbi://docs/catalog-model for the model.";

async function orgScope(s: Services, slug: unknown): Promise<OrgScope> {
  const name = String(slug);
  const row = await s.graph.one<{ id: string }>(
    "MATCH (o:Organization) WHERE o.slug = $slug RETURN o.id",
    { slug: name },
    ["id"],
  );
  // Unknown: the verb authorizes first, then answers 404 (no oracle for organization names).
  return { slug: name, id: row?.id ?? null };
}

function errorResult(text: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text }] };
}

function describeDomainError(e: DomainError): string {
  const fields = (e.errors ?? []).map((f) => `${f.location}: ${f.message}`);
  return fields.length > 0 ? `${e.message} (${fields.join("; ")})` : e.message;
}

function record(caller: McpCaller, tool: string, status: CallStatus, started: number): void {
  const { services: s, actor } = caller;
  const who = auditActorColumns(actor);
  const row = {
    id: `mcp_${nanoid()}`,
    occurred_at: new Date().toISOString(),
    actor: actor.id,
    actor_kind: actor.kind,
    credential: who.credential,
    tool: tool.slice(0, 128) || "?",
    status,
    duration_ms: Math.max(0, Math.round(performance.now() - started)),
    request_id: caller.requestId.slice(0, 128),
  };
  s.background(
    s.analytics.insert("mcp_access_log", [row]).then((r) => {
      if (r.err) s.log.warn("mcp access log write failed", { tool, error: r.err.message });
    }),
  );
}

/** Runs one tool call: rate limit, text checks, the verbs, and the access-log row whatever happens. */
async function call(
  caller: McpCaller,
  tool: McpTool,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  const started = performance.now();
  const s = caller.services;
  let status: CallStatus = "error";
  try {
    const spec = s.env.IMBI_MCP_RATE_LIMIT;
    const key = `mcp:${caller.actor.kind}:${caller.actor.id}`;
    const d = await checkRateLimit(s.kv, key, parseRateLimit(spec));
    if (d.degraded) s.log.warn("rate limiter degraded: kv unreachable, allowing", { key });
    if (!d.allowed) {
      status = "denied";
      return errorResult(
        `RATE_LIMITED: more than ${spec} tool calls by ${caller.actor.id}; retry in ${d.retryAfterSeconds} s.`,
      );
    }
    // Schemas refuse unsafe text in named fields; this covers free-form values (patch values).
    const unsafe = findUnsafeText(args, "arguments");
    if (unsafe) return errorResult(`VALIDATION_FAILED: ${unsafe.location}: ${unsafe.message}`);
    const org = tool.orgScoped ? await orgScope(s, args.organization) : null;
    const ctx: Ctx = createCtx({
      services: s,
      actor: caller.actor,
      grants: caller.grants,
      org,
      requestId: caller.requestId,
    });
    // Plain JSON (dates as text), so the structured content equals its text rendering.
    const out = JSON.parse(JSON.stringify(await tool.run(ctx, args))) as Record<string, unknown>;
    status = "ok";
    return { content: [{ type: "text", text: JSON.stringify(out) }], structuredContent: out };
  } catch (e) {
    if (e instanceof DomainError) {
      if (e.code === "FORBIDDEN" || e.code === "UNAUTHENTICATED") status = "denied";
      return errorResult(`${e.code}: ${describeDomainError(e)}`);
    }
    s.log.error("mcp tool failed", {
      tool: tool.name,
      error: e instanceof Error ? e.message : String(e),
      request_id: caller.requestId,
    });
    return errorResult(
      `INTERNAL: the tool failed unexpectedly (request ${caller.requestId}); retry or report it.`,
    );
  } finally {
    record(caller, tool.name, status, started);
  }
}

/** A resource read's failure as a protocol error with the problem's detail. */
function resourceError(e: unknown): never {
  if (e instanceof DomainError)
    throw new McpError(ErrorCode.InvalidParams, `${e.code}: ${describeDomainError(e)}`);
  throw e;
}

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));

function registerResources(server: McpServer, caller: McpCaller): void {
  const ctxIn = async (org: string): Promise<Ctx> =>
    createCtx({
      services: caller.services,
      actor: caller.actor,
      grants: caller.grants,
      org: await orgScope(caller.services, org),
      requestId: caller.requestId,
    });
  const json = (uri: URL, value: unknown) => ({
    contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(value) }],
  });

  server.registerResource(
    "project",
    new ResourceTemplate("imbi://organizations/{organization}/projects/{project}", { list: undefined }),
    {
      title: "A project",
      description: "A project (by id or slug) of an organization, with its score breakdown, as JSON.",
      mimeType: "application/json",
    },
    async (uri, v) => {
      try {
        const ctx = await ctxIn(one(v.organization));
        return json(uri, await getProject(ctx, { id: one(v.project), breakdown: true }));
      } catch (e) {
        return resourceError(e);
      }
    },
  );
  server.registerResource(
    "team",
    new ResourceTemplate("imbi://teams/{organization}/{team}", { list: undefined }),
    {
      title: "A team",
      description: "A team of an organization and the projects it owns (first 100), as JSON.",
      mimeType: "application/json",
    },
    async (uri, v) => {
      try {
        const ctx = await ctxIn(one(v.organization));
        const team = await getTeam(ctx, { team: one(v.team) });
        const projects = await listTeamProjects(ctx, { team: one(v.team), limit: 100 });
        return json(uri, { team, projects: projects.data });
      } catch (e) {
        return resourceError(e);
      }
    },
  );
  server.registerResource(
    "catalog-model",
    "imbi://docs/catalog-model",
    {
      title: "Imbi's catalog model",
      description: "How Imbi models organizations, teams, projects, dependencies, environments and scores.",
      mimeType: "text/markdown",
    },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: "text/markdown", text: CATALOG_MODEL_DOC }] }),
  );
}

function registerPrompts(server: McpServer): void {
  const slugArg = (what: string) => z.string().max(128).describe(what);
  server.registerPrompt(
    "incident_triage",
    {
      title: "Incident triage for a project",
      description: "Walks through triaging an incident on one project: owners, blast radius, recent changes.",
      argsSchema: {
        organization: slugArg("The organization's slug."),
        project: slugArg("The affected project's id or slug."),
      },
    },
    ({ organization, project }) => ({
      messages: [
        {
          role: "user",
          content: {
            type: "text",
            text:
              `We have an incident on project "${project}" in organization "${organization}". Triage it with ` +
              "the Imbi tools: (1) get_project for its owners, environments and links; (2) get_blast_radius " +
              "for what depends on it; (3) list_operations_log and list_project_events for what changed " +
              "recently; (4) get_dependencies downstream (depth 2) for what it relies on. Summarize who to " +
              "page, what is likely affected, and the most suspicious recent change.",
          },
        },
      ],
    }),
  );
  server.registerPrompt(
    "onboard_service",
    {
      title: "Onboard a new service",
      description: "Registers a new service in the catalog with its owner, types and dependencies.",
      argsSchema: {
        organization: slugArg("The organization's slug."),
        name: z.string().max(256).describe("The new service's name."),
      },
    },
    ({ organization, name }) => ({
      messages: [
        {
          role: "user",
          content: {
            type: "text",
            text:
              `Onboard a new service named "${name}" in organization "${organization}". Ask me for what you ` +
              "do not know: the owning team (check it with get_team), its project types, a description and " +
              "links. Check with search_catalog that it is not registered already, then create_project, then " +
              "add_dependency for each service it calls, and finally show the result with get_project.",
          },
        },
      ],
    }),
  );
}

/**
 * The server for one request. `listing`: the request lists tools, so the tools the caller may not
 * use are disabled (hidden from tools/list). Otherwise every tool stays callable, so a call the
 * caller may not make reaches the verb, which refuses it with its problem's detail.
 */
export async function buildMcpServer(caller: McpCaller, opts: { listing: boolean }): Promise<McpServer> {
  const server = new McpServer({ name: "imbi", version: VERSION }, { instructions: INSTRUCTIONS });
  const shown = opts.listing ? await visibleTools(caller.grants) : null;
  for (const t of TOOLS) {
    const registered = server.registerTool(
      t.name,
      {
        title: t.title,
        description: t.description,
        inputSchema: t.input,
        outputSchema: t.output,
        annotations: { title: t.title, ...t.annotations },
      },
      (args: Record<string, unknown>) => call(caller, t, args),
    );
    // Before connect(), so no list-changed notification is sent.
    if (shown && !shown.has(t.name)) registered.disable();
  }
  registerResources(server, caller);
  registerPrompts(server);
  return server;
}
