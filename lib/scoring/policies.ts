// Scoring policies in the graph: one global `ScoringPolicy` vertex per policy (like blueprints, the
// targets are project-type slugs, so a policy applies in every organization that has such a type).
// The validated document is stored whole as JSON text (`doc_json`); `slug`, `category`, `enabled`,
// `targets` and `attribute_name` are also plain properties for filtering.
import { DomainError, zodFieldErrors } from "../errors.ts";
import type { AgValue, Vertex } from "../graph/agtype.ts";
import { changedMeanwhile, type Graph, nextUpdatedAt, propsMap, UniqueViolation } from "../graph/graph.ts";
import { PolicyDocumentSchema, type ScoringPolicy } from "./policy.ts";

/** What a create or a patch writes: the document without the server-owned timestamps. */
export type PolicyDocument = Omit<ScoringPolicy, "created_at" | "updated_at">;

/** Filters of {@link listPolicies}. */
export interface PolicyFilter {
  category?: string;
  enabled?: boolean;
  attribute_name?: string;
  after: string | null;
  limit: number;
}

function toPolicy(v: AgValue | undefined): ScoringPolicy {
  const p = (v as unknown as Vertex).properties as Record<string, unknown>;
  const doc = JSON.parse(String(p.doc_json)) as PolicyDocument;
  return { ...doc, created_at: String(p.created_at), updated_at: String(p.updated_at) } as ScoringPolicy;
}

/**
 * Validates a document — its shape and, through the schema's refinement, the semantic checks
 * (`checkPolicy`) — and returns it with defaults applied; 400 naming every problem.
 */
export function validatePolicy(doc: unknown): PolicyDocument {
  const parsed = PolicyDocumentSchema.safeParse(doc);
  if (parsed.success) return parsed.data as PolicyDocument;
  const errors = zodFieldErrors(parsed.error, "json");
  throw new DomainError(
    "VALIDATION_FAILED",
    `The scoring policy is invalid: ${errors.map((e) => `${e.location}: ${e.message}`).join("; ")}`,
    errors,
  );
}

const indexed = (doc: PolicyDocument) => ({
  slug: doc.slug,
  category: doc.category,
  enabled: doc.enabled,
  targets: doc.targets,
  attribute_name: "attribute_name" in doc ? String(doc.attribute_name) : null,
  doc_json: JSON.stringify(doc),
});

const conflict = (slug: string) =>
  new DomainError("CONFLICT", `A scoring policy with slug '${slug}' already exists.`);

/** Creates a policy; 400 when invalid, 409 when the slug is taken (the unique index decides races). */
export async function createPolicy(graph: Graph, input: unknown): Promise<ScoringPolicy> {
  const doc = validatePolicy(input);
  const now = new Date().toISOString();
  const props = { ...indexed(doc), created_at: now, updated_at: now };
  try {
    const row = await graph.one(`CREATE (s:ScoringPolicy ${propsMap(Object.keys(props))}) RETURN s`, props);
    return toPolicy(row?.v);
  } catch (e) {
    if (e instanceof UniqueViolation) throw conflict(doc.slug);
    throw e;
  }
}

/** Loads a policy by slug, or throws 404. */
export async function getPolicy(graph: Graph, slug: string): Promise<ScoringPolicy> {
  const row = await graph.one("MATCH (s:ScoringPolicy) WHERE s.slug = $slug RETURN s", { slug });
  if (!row) throw new DomainError("NOT_FOUND", `No scoring policy with slug '${slug}'.`);
  return toPolicy(row.v);
}

/** Lists policies by slug after the keyset position (limit + 1 rows), optionally filtered. */
export async function listPolicies(graph: Graph, q: PolicyFilter): Promise<ScoringPolicy[]> {
  const rows = await graph.query(
    `MATCH (s:ScoringPolicy)
     WHERE ($after IS NULL OR s.slug > $after) AND ($category IS NULL OR s.category = $category)
       AND ($enabled IS NULL OR s.enabled = $enabled)
       AND ($attribute_name IS NULL OR s.attribute_name = $attribute_name)
     RETURN s ORDER BY s.slug LIMIT $limit`,
    {
      after: q.after,
      category: q.category ?? null,
      enabled: q.enabled ?? null,
      attribute_name: q.attribute_name ?? null,
      limit: q.limit + 1,
    },
  );
  return rows.map((r) => toPolicy(r.v));
}

/** Every enabled policy (what the engine scores with). */
export async function enabledPolicies(graph: Graph): Promise<ScoringPolicy[]> {
  const rows = await graph.query("MATCH (s:ScoringPolicy) WHERE s.enabled = true RETURN s");
  return rows.map((r) => toPolicy(r.v));
}

/**
 * Replaces a policy's document (a patched one, re-validated); the slug may change (409 if taken).
 * With `ifUnchangedSince` (the `updated_at` the caller's If-Match was checked against) a
 * concurrent change makes it 412.
 */
export async function updatePolicy(
  graph: Graph,
  slug: string,
  input: unknown,
  ifUnchangedSince?: string,
): Promise<ScoringPolicy> {
  const doc = validatePolicy(input);
  const params = {
    ...indexed(doc),
    current: slug,
    guard: ifUnchangedSince ?? null,
    now: nextUpdatedAt(ifUnchangedSince),
  };
  try {
    const row = await graph.one(
      `MATCH (s:ScoringPolicy) WHERE s.slug = $current AND ($guard IS NULL OR s.updated_at = $guard)
       SET s.slug = $slug, s.category = $category, s.enabled = $enabled, s.targets = $targets,
           s.attribute_name = $attribute_name, s.doc_json = $doc_json, s.updated_at = $now
       RETURN s`,
      params,
    );
    if (!row)
      throw ifUnchangedSince
        ? changedMeanwhile(`Scoring policy '${slug}'`)
        : new DomainError("NOT_FOUND", `No scoring policy with slug '${slug}'.`);
    return toPolicy(row.v);
  } catch (e) {
    if (e instanceof UniqueViolation) throw conflict(doc.slug);
    throw e;
  }
}

/**
 * Deletes a policy and returns what it was (404 when it does not exist); with `ifUnchangedSince`
 * only that version of it (else 412).
 */
export async function deletePolicy(
  graph: Graph,
  slug: string,
  ifUnchangedSince?: string,
): Promise<ScoringPolicy> {
  const policy = await getPolicy(graph, slug);
  const row = await graph.one(
    `MATCH (s:ScoringPolicy) WHERE s.slug = $slug AND ($guard IS NULL OR s.updated_at = $guard)
     DELETE s RETURN 1`,
    { slug, guard: ifUnchangedSince ?? null },
  );
  if (row) return policy;
  throw ifUnchangedSince
    ? changedMeanwhile(`Scoring policy '${slug}'`)
    : new DomainError("NOT_FOUND", `No scoring policy with slug '${slug}'.`);
}
