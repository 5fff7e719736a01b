// Project writes: create, patch, archive, delete, per-environment edges (reads are in projects.ts).
import { nanoid } from "nanoid";
import {
  applyDefaults,
  effectiveRelationshipSchema,
  effectiveSchema,
  validateAttributes,
} from "../blueprints/effective.ts";
import { DomainError } from "../errors.ts";
import { changedMeanwhile, type Graph, nextUpdatedAt, UniqueViolation } from "../graph/graph.ts";
import type { OrgRef } from "./org.ts";
import { attributesOf, getProject, NAME, notFound, type Project, type ProjectInput } from "./projects.ts";

/**
 * Checks that every referenced team, project type, environment and link definition exists in the
 * organization (one statement); 400 naming each missing slug.
 */
async function checkRefs(graph: Graph, org: OrgRef, input: ProjectInput): Promise<void> {
  const want = {
    team: [input.team],
    project_types: input.project_types,
    environments: Object.keys(input.environments),
    links: Object.keys(input.links),
  };
  const row = await graph.one(
    `OPTIONAL MATCH (t:Team) WHERE t.org_id = $org_id AND t.slug IN $team
     WITH collect(t.slug) AS teams
     OPTIONAL MATCH (pt:ProjectType) WHERE pt.org_id = $org_id AND pt.slug IN $project_types
     WITH teams, collect(pt.slug) AS types
     OPTIONAL MATCH (e:Environment) WHERE e.org_id = $org_id AND e.slug IN $environments
     WITH teams, types, collect(e.slug) AS envs
     OPTIONAL MATCH (l:LinkDefinition) WHERE l.org_id = $org_id AND l.slug IN $links
     RETURN teams, types, envs, collect(l.slug)`,
    { org_id: org.id, ...want },
    ["team", "project_types", "environments", "links"],
  );
  const noun = {
    team: ["team", "Team"],
    project_types: ["project type", "ProjectType"],
    environments: ["environment", "Environment"],
    links: ["link definition", "LinkDefinition"],
  } as const;
  const missing = (Object.entries(want) as [keyof typeof want, string[]][])
    .map(([k, slugs]) => {
      const have = new Set((row?.[k] ?? []) as string[]);
      return [k, slugs.filter((s) => !have.has(s))] as const;
    })
    .filter(([, slugs]) => slugs.length > 0);
  if (missing.length === 0) return;
  // Only on the error path: what the organization does have, so the message says what to use.
  const errors = [];
  for (const [k, slugs] of missing) {
    const [what, label] = noun[k];
    const valid = await graph.query(
      `MATCH (x:${label}) WHERE x.org_id = $org_id RETURN x.slug ORDER BY x.slug LIMIT 26`,
      { org_id: org.id },
      ["slug"],
    );
    const names = valid.map((r) => String(r.slug));
    const hint =
      names.length === 0
        ? `the organization has no ${what}s yet`
        : `valid: ${names.slice(0, 25).join(", ")}${names.length > 25 ? ", …" : ""}`;
    for (const s of slugs)
      errors.push({
        location: `json.${k}`,
        message: `unknown ${what} '${s}' in organization '${org.slug}' (${hint})`,
      });
  }
  throw new DomainError("VALIDATION_FAILED", errors.map((e) => e.message).join("; "), errors);
}

/** Validates blueprint attributes against the effective schema of the project's types; applies defaults. */
async function checkAttributes(graph: Graph, input: ProjectInput): Promise<Record<string, unknown>> {
  const attrs = attributesOf(input);
  const bad = Object.keys(attrs).filter((k) => !NAME.test(k));
  if (bad.length > 0)
    throw new DomainError(
      "VALIDATION_FAILED",
      `Invalid attribute names: ${bad.join(", ")}`,
      bad.map((k) => ({ location: `json.${k}`, message: "attribute names must match ^[a-z_][a-z0-9_]*$" })),
    );
  const schema = await effectiveSchema(graph, {
    type: "Project",
    projectTypes: input.project_types,
    environments: Object.keys(input.environments),
  });
  const errors = validateAttributes(schema, attrs);
  if (errors.length > 0)
    throw new DomainError(
      "VALIDATION_FAILED",
      `Blueprint validation failed: ${errors.map((e) => `${e.location}: ${e.message}`).join("; ")}`,
      errors,
    );
  return Object.fromEntries(Object.entries(applyDefaults(schema, attrs)).filter(([, v]) => v !== null));
}

function checkEdgeKeys(envs: Project["environments"]): void {
  const errors = Object.entries(envs).flatMap(([env, props]) =>
    Object.keys(props)
      .filter((k) => !NAME.test(k))
      .map((k) => ({ location: `json.environments.${env}.${k}`, message: "must match ^[a-z_][a-z0-9_]*$" })),
  );
  if (errors.length > 0)
    throw new DomainError("VALIDATION_FAILED", "Invalid environment property names", errors);
}

/**
 * Validates each deployment edge's properties against the relationship blueprints for
 * Project–DEPLOYED_IN–Environment that apply to this project's types and that environment, and
 * fills their defaults. `url` is a core edge field; without any relationship blueprint the edge
 * properties are free-form (names checked by checkEdgeKeys), as before.
 */
async function checkEdgeProperties(g: Graph, input: ProjectInput): Promise<ProjectInput["environments"]> {
  const out: ProjectInput["environments"] = {};
  const errors: { location: string; message: string }[] = [];
  for (const [env, props] of Object.entries(input.environments)) {
    const schema = await effectiveRelationshipSchema(g, {
      source: "Project",
      edge: "DEPLOYED_IN",
      target: "Environment",
      projectTypes: input.project_types,
      environments: [env],
    });
    if (Object.keys(schema.properties ?? {}).length === 0) {
      out[env] = props;
      continue;
    }
    const { url, ...rest } = props as Record<string, unknown>;
    for (const e of validateAttributes(schema, rest))
      errors.push({
        location: e.location.replace(/^json\./, `json.environments.${env}.`),
        message: e.message,
      });
    out[env] = {
      ...(url === undefined ? {} : { url }),
      ...applyDefaults(schema, rest),
    } as ProjectInput["environments"][string];
  }
  if (errors.length > 0)
    throw new DomainError(
      "VALIDATION_FAILED",
      `Deployment properties fail their blueprint: ${errors.map((e) => `${e.location}: ${e.message}`).join("; ")}`,
      errors,
    );
  return out;
}

/** Cypher `{k: $prefix_k, …}` over checked keys; values stay parameters. */
function mapText(prefix: string, obj: Record<string, unknown>, params: Record<string, unknown>): string {
  const parts = Object.entries(obj).map(([k, v]) => {
    if (!NAME.test(k)) throw new Error(`invalid property key ${k}`);
    params[`${prefix}${k}`] = v;
    return `${k}: $${prefix}${k}`;
  });
  return `{${parts.join(", ")}}`;
}

/** MATCH + CREATE text for the OWNED_BY, TYPE and DEPLOYED_IN edges of `p`. */
function edgesText(input: ProjectInput, params: Record<string, unknown>): { match: string; create: string } {
  const match = ["MATCH (t:Team) WHERE t.org_id = $org_id AND t.slug = $team"];
  const create = ["CREATE (p)-[:OWNED_BY]->(t)"];
  params.team = input.team;
  input.project_types.forEach((slug, i) => {
    params[`pt${i}`] = slug;
    match.push(`MATCH (pt${i}:ProjectType) WHERE pt${i}.org_id = $org_id AND pt${i}.slug = $pt${i}`);
    create.push(`CREATE (p)-[:TYPE]->(pt${i})`);
  });
  Object.entries(input.environments).forEach(([slug, props], i) => {
    params[`env${i}`] = slug;
    match.push(`MATCH (e${i}:Environment) WHERE e${i}.org_id = $org_id AND e${i}.slug = $env${i}`);
    create.push(`CREATE (p)-[:DEPLOYED_IN ${mapText(`e${i}_`, props, params)}]->(e${i})`);
  });
  return { match: match.join("\n"), create: create.join("\n") };
}

const conflict = (slug: string, org: OrgRef) =>
  new DomainError("CONFLICT", `A project with slug '${slug}' already exists in organization '${org.slug}'.`);

/** Creates a project, its attributes and edges in one transaction; 409 on a duplicate slug. */
export async function createProject(graph: Graph, org: OrgRef, input: ProjectInput): Promise<Project> {
  checkEdgeKeys(input.environments);
  const id = nanoid();
  try {
    await graph.tx(async (g) => {
      await checkRefs(g, org, input);
      const doc = { ...input, environments: await checkEdgeProperties(g, input) };
      const attrs = await checkAttributes(g, doc);
      const now = new Date().toISOString();
      const props = {
        ...attrs,
        id,
        org_id: org.id,
        slug: doc.slug,
        name: doc.name,
        description: doc.description,
        links: doc.links,
        identifiers: doc.identifiers,
        archived: false,
        created_at: now,
        updated_at: now,
      };
      const params: Record<string, unknown> = { org_id: org.id };
      const edges = edgesText(doc, params);
      const row = await g.one(
        `MATCH (o:Organization) WHERE o.id = $org_id
         ${edges.match}
         CREATE (p:Project ${mapText("v_", props, params)})
         CREATE (p)-[:BELONGS_TO]->(o)
         ${edges.create}
         RETURN p.id`,
        params,
      );
      if (!row)
        throw new DomainError("CONFLICT", "A referenced team, type or environment was deleted meanwhile.");
    });
  } catch (e) {
    if (e instanceof UniqueViolation) throw conflict(input.slug, org);
    throw e;
  }
  return getProject(graph, org, id);
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Writes a patched document — properties (attributes re-validated; removed ones unset) and the
 * team/type/environment edges — in one transaction. With `ifUnchangedSince` (the `updated_at` the
 * caller's If-Match was checked against) it applies only to that version, else 412: the condition
 * is part of the write statement, so two requests holding the same ETag cannot both succeed.
 * Without it the whole patched document wins over concurrent writes (last writer wins).
 */
export async function updateProject(
  graph: Graph,
  org: OrgRef,
  current: Project,
  next: ProjectInput,
  ifUnchangedSince?: string,
): Promise<Project> {
  checkEdgeKeys(next.environments);
  try {
    await graph.tx(async (g) => {
      await checkRefs(g, org, next);
      const doc = { ...next, environments: await checkEdgeProperties(g, next) };
      const attrs = await checkAttributes(g, doc);
      const removed = Object.keys(attributesOf(current)).filter((k) => !(k in attrs));
      const props: Record<string, unknown> = {
        ...attrs,
        slug: doc.slug,
        name: doc.name,
        description: doc.description,
        links: doc.links,
        identifiers: doc.identifiers,
        updated_at: nextUpdatedAt(current.updated_at),
      };
      const params: Record<string, unknown> = {
        id: current.id,
        org_id: org.id,
        guard: ifUnchangedSince ?? current.updated_at,
      };
      const sets = Object.entries(props).map(([k, v]) => {
        params[`v_${k}`] = v;
        return `p.${k} = $v_${k}`;
      });
      for (const k of removed) if (NAME.test(k)) sets.push(`p.${k} = null`);
      const write = (guard: string | null) =>
        g.one(
          `MATCH (p:Project) WHERE p.id = $id AND p.org_id = $org_id
             AND ($guard IS NULL OR p.updated_at = $guard)
           SET ${sets.join(", ")} RETURN p.id`,
          { ...params, guard },
        );
      // Guarded by the version the patch was computed from even without If-Match: when that is
      // still the stored version, only edges that differ from it need rewriting.
      let unchanged = (await write(params.guard as string)) !== undefined;
      if (!unchanged) {
        if (ifUnchangedSince) throw await changedOrGone(g, org, current.id);
        if ((await write(null)) === undefined) throw notFound(org, current.id);
      }
      unchanged &&=
        doc.team === current.team &&
        sameJson([...doc.project_types].sort(), current.project_types) &&
        sameJson(doc.environments, current.environments);
      if (!unchanged) await rewriteEdges(g, org, current.id, doc);
    });
  } catch (e) {
    if (e instanceof UniqueViolation) throw conflict(next.slug, org);
    throw e;
  }
  return getProject(graph, org, current.id);
}

/** Why a write guarded by `updated_at` matched nothing: 412 when the project changed, 404 when it went. */
async function changedOrGone(g: Graph, org: OrgRef, id: string): Promise<DomainError> {
  const row = await g.one("MATCH (p:Project) WHERE p.id = $id AND p.org_id = $org_id RETURN p.slug", {
    id,
    org_id: org.id,
  });
  return row ? changedMeanwhile(`Project '${String(row.v)}'`) : notFound(org, id);
}

/** Replaces a project's OWNED_BY, TYPE and DEPLOYED_IN edges (inside the caller's transaction). */
export async function rewriteEdges(g: Graph, org: OrgRef, id: string, next: ProjectInput): Promise<void> {
  for (const edge of ["OWNED_BY", "TYPE", "DEPLOYED_IN"] as const)
    await g.query(`MATCH (p:Project)-[r:${edge}]->() WHERE p.id = $id DELETE r RETURN 1`, { id });
  const params: Record<string, unknown> = { id, org_id: org.id };
  const edges = edgesText(next, params);
  await g.query(
    `MATCH (p:Project) WHERE p.id = $id AND p.org_id = $org_id ${edges.match} ${edges.create} RETURN p.id`,
    params,
  );
}

/** Sets or clears the archived flag; returns the updated project. */
export async function setArchived(
  graph: Graph,
  org: OrgRef,
  id: string,
  archived: boolean,
): Promise<Project> {
  const row = await graph.one(
    `MATCH (p:Project) WHERE p.id = $id AND p.org_id = $org_id
     SET p.archived = $archived, p.updated_at = $now RETURN p.id`,
    { id, org_id: org.id, archived, now: new Date().toISOString() },
  );
  if (!row) throw notFound(org, id);
  return getProject(graph, org, id);
}

/**
 * Deletes a project and every edge touching it (DEPENDS_ON included); with `ifUnchangedSince`
 * only that version of it (else 412).
 */
export async function deleteProject(
  graph: Graph,
  org: OrgRef,
  id: string,
  ifUnchangedSince?: string,
): Promise<void> {
  const row = await graph.one(
    `MATCH (p:Project) WHERE p.id = $id AND p.org_id = $org_id AND ($guard IS NULL OR p.updated_at = $guard)
     DETACH DELETE p RETURN 1`,
    { id, org_id: org.id, guard: ifUnchangedSince ?? null },
  );
  if (row) return;
  throw ifUnchangedSince ? await changedOrGone(graph, org, id) : notFound(org, id);
}

/**
 * Replaces one DEPLOYED_IN edge's properties (creating the edge when absent); with
 * `ifUnchangedSince` only on that version of the project (else 412).
 */
export async function setEnvironment(
  graph: Graph,
  org: OrgRef,
  current: Project,
  env: string,
  props: Record<string, unknown>,
  ifUnchangedSince?: string,
): Promise<Project> {
  const next = { ...current, environments: { ...current.environments, [env]: props } };
  checkEdgeKeys(next.environments);
  await graph.tx(async (g) => {
    await checkRefs(g, org, next);
    const checked = (await checkEdgeProperties(g, next))[env] ?? props;
    const params: Record<string, unknown> = {
      id: current.id,
      org_id: org.id,
      env,
      guard: ifUnchangedSince ?? null,
      now: nextUpdatedAt(current.updated_at),
    };
    // The project first: this SET holds its row until commit, so a concurrent write of the same
    // project waits (and then retries) instead of interleaving with the edge replacement below.
    const claimed = await g.one(
      `MATCH (p:Project) WHERE p.id = $id AND p.org_id = $org_id
         AND ($guard IS NULL OR p.updated_at = $guard)
       SET p.updated_at = $now RETURN p.id`,
      params,
    );
    if (!claimed)
      throw ifUnchangedSince ? await changedOrGone(g, org, current.id) : notFound(org, current.id);
    await g.query(
      `MATCH (p:Project)-[r:DEPLOYED_IN]->(e:Environment) WHERE p.id = $id AND e.slug = $env DELETE r RETURN 1`,
      { id: current.id, env },
    );
    await g.query(
      `MATCH (p:Project) WHERE p.id = $id AND p.org_id = $org_id
       MATCH (e:Environment) WHERE e.org_id = $org_id AND e.slug = $env
       CREATE (p)-[:DEPLOYED_IN ${mapText("e_", checked, params)}]->(e) RETURN p.id`,
      params,
    );
  });
  return getProject(graph, org, current.id);
}
