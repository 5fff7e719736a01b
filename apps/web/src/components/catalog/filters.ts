// The catalog's view state lives in the URL (deep links, the back button): this module turns the
// query string into the list route's parameters and back, so the screen never keeps its own copy.
import type { paths } from "@/api/schema";

type ListQuery = NonNullable<paths["/api/organizations/{org}/projects"]["get"]["parameters"]["query"]>;
export type Sort = NonNullable<ListQuery["sort"]>;
export type Archived = NonNullable<ListQuery["archived"]>;

/** Single-valued filters, named as the list route names them. */
export const FILTER_KEYS = [
  "team",
  "project_type",
  "environment",
  "archived",
  "has_link",
  "has_identifier",
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

/** The fields the facets route counts that the catalog shows beside its filters. */
export const FACET_FIELDS = ["team", "project_type", "environment"] as const;
export type FacetField = (typeof FACET_FIELDS)[number];

export const SORTS: { value: Sort; label: string }[] = [
  { value: "name", label: "Name (A–Z)" },
  { value: "-name", label: "Name (Z–A)" },
  { value: "score", label: "Needs attention (lowest score)" },
  { value: "-score", label: "Healthiest (highest score)" },
  { value: "-updated_at", label: "Recently updated" },
  { value: "-created_at", label: "Newest" },
  { value: "slug", label: "Slug" },
];
export const DEFAULT_SORT: Sort = "name";

export const ATTRIBUTE_OPS = [
  "eq",
  "ne",
  "in",
  "not_in",
  "lt",
  "lte",
  "gt",
  "gte",
  "exists",
  "not_exists",
] as const;
export type AttributeOp = (typeof ATTRIBUTE_OPS)[number];

export interface CatalogQuery {
  team?: string;
  project_type?: string;
  environment?: string;
  archived?: Archived;
  has_link?: string;
  has_identifier?: string;
  /** Blueprint attribute filters, `field:op[:value]`. */
  filter: string[];
  sort: Sort;
}

const isSort = (s: string | null): s is Sort => SORTS.some((o) => o.value === s);
const isArchived = (s: string | null): s is Archived => s === "true" || s === "false" || s === "all";

/** Reads the catalog's state from the URL; unknown or empty values fall back to the defaults. */
export function readCatalogQuery(sp: URLSearchParams): CatalogQuery {
  const q: CatalogQuery = { filter: sp.getAll("filter").filter(Boolean), sort: DEFAULT_SORT };
  const sort = sp.get("sort");
  if (isSort(sort)) q.sort = sort;
  for (const key of ["team", "project_type", "environment", "has_link", "has_identifier"] as const) {
    const v = sp.get(key);
    if (v) q[key] = v;
  }
  const archived = sp.get("archived");
  if (isArchived(archived) && archived !== "false") q.archived = archived;
  return q;
}

/** The query string for a catalog state (defaults left out, so URLs stay short). */
export function writeCatalogQuery(q: CatalogQuery): URLSearchParams {
  const sp = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const v = q[key];
    if (v && !(key === "archived" && v === "false")) sp.set(key, v);
  }
  for (const f of q.filter) sp.append("filter", f);
  if (q.sort !== DEFAULT_SORT) sp.set("sort", q.sort);
  return sp;
}

/** The list route's parameters for a catalog state (without cursor and limit). */
export function listParams(q: CatalogQuery): ListQuery {
  const out: ListQuery = { sort: q.sort };
  for (const key of FILTER_KEYS) {
    const v = q[key];
    if (v) (out as Record<string, string>)[key] = v;
  }
  if (q.filter.length) out.filter = q.filter;
  return out;
}

/**
 * The facets route's parameters for one field: every filter except the field's own, so each value
 * shows how many projects choosing it would list (the usual faceted-search convention).
 */
export function facetParams(q: CatalogQuery, field: FacetField): ListQuery & { field: string } {
  const { sort: _sort, ...rest } = listParams({ ...q, [field]: undefined });
  return { ...rest, field };
}

export function hasFilters(q: CatalogQuery): boolean {
  return FILTER_KEYS.some((k) => q[k] !== undefined) || q.filter.length > 0;
}

export interface AttributeFilter {
  field: string;
  op: AttributeOp;
  value?: string;
}

/** `tier:lte:2` → its parts (the value may itself contain colons). */
export function parseAttributeFilter(s: string): AttributeFilter | undefined {
  const m = /^([a-z_][a-z0-9_]*):([a-z_]+)(?::(.*))?$/.exec(s);
  if (!m?.[1] || !m[2] || !(ATTRIBUTE_OPS as readonly string[]).includes(m[2])) return undefined;
  return { field: m[1], op: m[2] as AttributeOp, ...(m[3] !== undefined ? { value: m[3] } : {}) };
}

export function formatAttributeFilter(f: AttributeFilter): string {
  return f.op === "exists" || f.op === "not_exists"
    ? `${f.field}:${f.op}`
    : `${f.field}:${f.op}:${f.value ?? ""}`;
}

const OP_LABELS: Record<AttributeOp, string> = {
  eq: "=",
  ne: "≠",
  in: "in",
  not_in: "not in",
  lt: "<",
  lte: "≤",
  gt: ">",
  gte: "≥",
  exists: "is set",
  not_exists: "is not set",
};
/** A person's reading of a filter: `tier ≤ 2`. */
export function describeAttributeFilter(s: string): string {
  const f = parseAttributeFilter(s);
  if (!f) return s;
  return f.value === undefined ? `${f.field} ${OP_LABELS[f.op]}` : `${f.field} ${OP_LABELS[f.op]} ${f.value}`;
}
export const opLabel = (op: AttributeOp): string => OP_LABELS[op];
