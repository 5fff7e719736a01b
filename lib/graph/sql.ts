// SQL over AGE's label tables for the hot project read paths (get, list, facets). Cypher's ORDER BY
// and per-row OPTIONAL MATCHes cannot use the property indexes (AGE sorts on a rebuilt vertex), so
// these statements filter and order on the very expression the graph indexes are built on
// (lib/migrate.ts), page first, and join team/types/environments for the page's rows only.

import type { EdgeType, VertexLabel } from "../../schema/graph/index.ts";
import { parseAgtype } from "./agtype.ts";
import type { Graph } from "./graph.ts";

const KEY = /^[a-z_][a-z0-9_]*$/;

/**
 * `alias.properties.key[.path…]` as agtype — exactly the expression of the graph indexes, so the
 * planner can use them. Keys are names from our code or validated attribute names; `path` items are
 * parameter placeholders from {@link SqlParams}.
 */
export function prop(alias: string, key: string, ...path: string[]): string {
  if (!KEY.test(alias) || !KEY.test(key)) throw new Error(`invalid property reference ${alias}.${key}`);
  const rest = path.map((p) => `, ${p}`).join("");
  return `ag_catalog.agtype_access_operator(VARIADIC ARRAY[${alias}.properties, '"${key}"'::ag_catalog.agtype${rest}])`;
}

/** Positional parameters of one statement; every value travels here, never in the text. */
export class SqlParams {
  readonly values: string[] = [];

  /** A placeholder for `v` as agtype (JSON text cast to agtype, as AGE parses a parameter map). */
  ag(v: unknown): string {
    this.values.push(JSON.stringify(v));
    return `$${this.values.length}::text::ag_catalog.agtype`;
  }

  /** An `agtype[]` of `values` (one JSON parameter), for `… = ANY(…)` against an agtype property. */
  agList(values: readonly unknown[]): string {
    return `ARRAY(SELECT x::text::ag_catalog.agtype FROM jsonb_array_elements(${this.raw(JSON.stringify(values))}::text::jsonb) x)`;
  }

  /** A placeholder for a plain SQL value (text or integer). */
  raw(v: string | number): string {
    this.values.push(String(v));
    return `$${this.values.length}`;
  }
}

/** The quoted label table of the graph (labels come from the schema allow-list, never from input). */
export const table = (graph: Graph, label: VertexLabel | EdgeType): string =>
  `"${graph.graphName}"."${label}"`;

/** Agtype literals used in filters. */
export const AG_TRUE = "'true'::ag_catalog.agtype";
export const AG_FALSE = "'false'::ag_catalog.agtype";

/** One project row of {@link projectRows}: vertex properties and its edges. */
export interface ProjectRow {
  props: Record<string, unknown>;
  team: string;
  types: string[];
  environments: Record<string, Record<string, unknown>>;
}

/**
 * Runs `pageSql` (selecting `id` and `properties` of Project rows, plus any columns `order` uses as
 * `s.<col>`) and adds each row's team, types and environments, in `order`. One statement; the
 * edges are correlated subqueries, so each is an index lookup on the edge's start_id for the
 * page's rows only (joins let the planner hash every edge of the graph instead).
 */
export async function projectRows(
  graph: Graph,
  pageSql: string,
  params: SqlParams,
  order = "",
): Promise<ProjectRow[]> {
  const t = (l: VertexLabel | EdgeType) => table(graph, l);
  const rows = (await graph.sql.unsafe(
    `SELECT s.properties AS p,
       (SELECT ${prop("t", "slug")} FROM ${t("OWNED_BY")} o JOIN ${t("Team")} t ON t.id = o.end_id
         WHERE o.start_id = s.id LIMIT 1) AS team,
       (SELECT ag_catalog.age_collect(${prop("pt", "slug")})
         FROM ${t("TYPE")} y JOIN ${t("ProjectType")} pt ON pt.id = y.end_id WHERE y.start_id = s.id) AS types,
       (SELECT ag_catalog.age_collect(ag_catalog.agtype_build_list(${prop("e", "slug")}, d.properties))
         FROM ${t("DEPLOYED_IN")} d JOIN ${t("Environment")} e ON e.id = d.end_id WHERE d.start_id = s.id) AS envs
     FROM (${pageSql}) s
     ${order ? `ORDER BY ${order}` : ""}`,
    params.values,
  )) as unknown as Record<string, string | null>[];
  return rows.map((r) => {
    const envs = (parseAgtype(r.envs ?? null) ?? []) as [string, Record<string, unknown> | null][];
    return {
      props: parseAgtype(r.p ?? null) as Record<string, unknown>,
      team: String(parseAgtype(r.team ?? null) ?? ""),
      types: ((parseAgtype(r.types ?? null) ?? []) as unknown[]).map(String),
      environments: Object.fromEntries(envs.map(([slug, props]) => [slug, props ?? {}])),
    };
  });
}
