import { nanoid } from "nanoid";
import type { EdgeType } from "../../schema/graph/index.ts";
import { DomainError } from "../errors.ts";
import type { AgValue, Vertex } from "../graph/agtype.ts";
import { changedMeanwhile, type Graph, nextUpdatedAt, propsMap, UniqueViolation } from "../graph/graph.ts";
import { checkBlueprintSchema } from "./check_schema.ts";
import type { BlueprintFilter, JsonObjectSchema, NodeType } from "./effective.ts";

/** A blueprint as the API shows it. `type` is null for relationship blueprints, the edge fields for node ones. */
export interface Blueprint {
  id: string;
  slug: string;
  name: string;
  description: string;
  kind: "node" | "relationship";
  type: NodeType | null;
  source: NodeType | null;
  edge: EdgeType | null;
  target: NodeType | null;
  filter: BlueprintFilter;
  priority: number;
  enabled: boolean;
  schema: JsonObjectSchema;
  created_at: string;
  updated_at: string;
}

/** The path key of a blueprint: its node label, or `relationship`. */
export type BlueprintTypeKey = NodeType | "relationship";

/** What a create supplies (the route has checked shapes; the schema is checked here). */
export type BlueprintInput = Omit<Blueprint, "id" | "created_at" | "updated_at">;

/** The fields a patch may change. */
export type BlueprintWritable = Pick<
  Blueprint,
  "name" | "description" | "filter" | "priority" | "enabled" | "schema"
>;

/** Maps a Blueprint vertex to the API shape. */
export function toBlueprint(v: AgValue | undefined): Blueprint {
  const p = (v as unknown as Vertex).properties as Record<string, unknown>;
  const f = (p.filter ?? {}) as Partial<BlueprintFilter>;
  return {
    id: String(p.id),
    slug: String(p.slug),
    name: String(p.name),
    description: String(p.description ?? ""),
    kind: p.kind === "relationship" ? "relationship" : "node",
    type: (p.type ?? null) as NodeType | null,
    source: (p.source ?? null) as NodeType | null,
    edge: (p.edge ?? null) as EdgeType | null,
    target: (p.target ?? null) as NodeType | null,
    filter: { project_types: f.project_types ?? [], environments: f.environments ?? [] },
    priority: Number(p.priority ?? 0),
    enabled: p.enabled !== false,
    schema: JSON.parse(String(p.schema_json)) as JsonObjectSchema,
    created_at: String(p.created_at),
    updated_at: String(p.updated_at),
  };
}

/** A slug from a display name (the reference's default when none is given); 400 when nothing usable is left. */
export function slugify(name: string): string {
  let s = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (s !== "" && !/^[a-z]/.test(s)) s = `b-${s}`;
  s = s.slice(0, 63).replace(/-+$/, "");
  if (s.length < 2)
    throw new DomainError("VALIDATION_FAILED", "Cannot derive a slug from the name; send `slug`.", [
      { location: "json.slug", message: "is required when the name has no letters or digits" },
    ]);
  return s;
}

const typeKeyOf = (b: Pick<Blueprint, "kind" | "type">): BlueprintTypeKey =>
  b.kind === "relationship" ? "relationship" : (b.type as NodeType);

function checkShape(b: Pick<Blueprint, "kind" | "type" | "source" | "edge" | "target">): void {
  const node = b.kind === "node";
  const edgeSet = [b.source, b.edge, b.target].filter((x) => x !== null).length;
  if (node && (b.type === null || edgeSet > 0))
    throw new DomainError("VALIDATION_FAILED", "A node blueprint needs `type` and no source/edge/target.", [
      { location: "json.type", message: "is required for kind node; source, edge and target must be absent" },
    ]);
  if (!node && (b.type !== null || edgeSet < 3))
    throw new DomainError(
      "VALIDATION_FAILED",
      "A relationship blueprint needs source, edge and target and no type.",
      [
        {
          location: "json.edge",
          message: "source, edge and target are required for kind relationship; type must be absent",
        },
      ],
    );
}

const conflict = (slug: string) =>
  new DomainError("CONFLICT", `A blueprint with slug '${slug}' already exists.`);

/** Creates a blueprint; 400 for a bad schema or shape, 409 when the slug is taken (slugs are global). */
export async function createBlueprint(graph: Graph, input: BlueprintInput): Promise<Blueprint> {
  checkShape(input);
  const schema = checkBlueprintSchema(input.schema);
  const now = new Date().toISOString();
  const props = {
    id: nanoid(),
    slug: input.slug,
    name: input.name,
    description: input.description,
    kind: input.kind,
    type: input.type,
    source: input.source,
    edge: input.edge,
    target: input.target,
    filter: input.filter,
    priority: input.priority,
    enabled: input.enabled,
    schema_json: JSON.stringify(schema),
    created_at: now,
    updated_at: now,
  };
  try {
    const row = await graph.one(`CREATE (b:Blueprint ${propsMap(Object.keys(props))}) RETURN b`, props);
    return toBlueprint(row?.v);
  } catch (e) {
    if (e instanceof UniqueViolation) throw conflict(input.slug);
    throw e;
  }
}

/** Loads a blueprint by its path key (label or `relationship`) and slug, or throws 404. */
export async function getBlueprint(
  graph: Graph,
  typeKey: BlueprintTypeKey,
  slug: string,
): Promise<Blueprint> {
  const row = await graph.one("MATCH (b:Blueprint) WHERE b.slug = $slug RETURN b", { slug });
  const b = row ? toBlueprint(row.v) : null;
  if (!b || typeKeyOf(b) !== typeKey)
    throw new DomainError("NOT_FOUND", `No ${typeKey} blueprint with slug '${slug}'.`);
  return b;
}

/** Lists blueprints by slug after the keyset position (limit + 1 rows), optionally filtered. */
export async function listBlueprints(
  graph: Graph,
  q: {
    after: string | null;
    limit: number;
    kind?: Blueprint["kind"];
    type?: BlueprintTypeKey;
    enabled?: boolean;
  },
): Promise<Blueprint[]> {
  const kind = q.type === "relationship" ? "relationship" : (q.kind ?? null);
  const type = q.type && q.type !== "relationship" ? q.type : null;
  const rows = await graph.query(
    `MATCH (b:Blueprint)
     WHERE ($after IS NULL OR b.slug > $after) AND ($kind IS NULL OR b.kind = $kind)
       AND ($type IS NULL OR b.type = $type) AND ($enabled IS NULL OR b.enabled = $enabled)
     RETURN b ORDER BY b.slug LIMIT $limit`,
    { after: q.after, kind, type, enabled: q.enabled ?? null, limit: q.limit + 1 },
  );
  return rows.map((r) => toBlueprint(r.v));
}

/**
 * Writes the mutable fields after re-checking the schema. With `ifUnchangedSince` (the
 * `updated_at` the caller's If-Match was checked against) a concurrent change makes it 412.
 */
export async function updateBlueprint(
  graph: Graph,
  current: Blueprint,
  fields: BlueprintWritable,
  ifUnchangedSince?: string,
): Promise<Blueprint> {
  const schema = checkBlueprintSchema(fields.schema);
  const row = await graph.one(
    `MATCH (b:Blueprint) WHERE b.slug = $slug AND ($guard IS NULL OR b.updated_at = $guard)
     SET b.name = $name, b.description = $description, b.filter = $filter, b.priority = $priority,
         b.enabled = $enabled, b.schema_json = $schema_json, b.updated_at = $now
     RETURN b`,
    {
      slug: current.slug,
      name: fields.name,
      description: fields.description,
      filter: fields.filter,
      priority: fields.priority,
      enabled: fields.enabled,
      schema_json: JSON.stringify(schema),
      guard: ifUnchangedSince ?? null,
      now: nextUpdatedAt(ifUnchangedSince),
    },
  );
  if (!row)
    throw ifUnchangedSince
      ? changedMeanwhile(`Blueprint '${current.slug}'`)
      : new DomainError("NOT_FOUND", `No blueprint with slug '${current.slug}'.`);
  return toBlueprint(row.v);
}

/** Deletes a blueprint (404 when it does not exist under that path key). */
export async function deleteBlueprint(graph: Graph, typeKey: BlueprintTypeKey, slug: string): Promise<void> {
  await getBlueprint(graph, typeKey, slug);
  await graph.query("MATCH (b:Blueprint) WHERE b.slug = $slug DELETE b RETURN 1", { slug });
}
