import type postgres from "postgres";
import type { Sql } from "../db.ts";
import { type AgValue, parseAgtype } from "./agtype.ts";

type Queryable = Sql | postgres.TransactionSql;

/** A unique index rejected a write (e.g. a duplicate slug in one organization). */
export class UniqueViolation extends Error {
  constructor(readonly constraint: string) {
    super(`unique constraint ${constraint} violated`);
    this.name = "UniqueViolation";
  }
}

const COLUMN = /^[a-z_][a-z0-9_]*$/;

/**
 * Parameterized Cypher over AGE. Query text is always a constant written in our code; values
 * travel only in the agtype parameter map (`cypher(graph, $$…$$, $1)` as a prepared statement).
 */
export class Graph {
  constructor(
    readonly sql: Queryable,
    readonly graphName: string,
  ) {
    if (!/^[a-z_][a-z0-9_]{2,62}$/.test(graphName)) throw new Error(`invalid graph name ${graphName}`);
  }

  /**
   * Runs one Cypher statement and returns its rows with every column parsed from agtype.
   * `columns` must list the RETURN items' aliases in order.
   */
  async query<R extends Record<string, AgValue> = Record<string, AgValue>>(
    cypher: string,
    params: Record<string, unknown> = {},
    columns: readonly string[] = ["v"],
  ): Promise<R[]> {
    if (cypher.includes("$$")) throw new Error("cypher text must not contain $$");
    for (const c of columns) if (!COLUMN.test(c)) throw new Error(`invalid column alias ${c}`);
    const cols = columns.map((c) => `"${c}" ag_catalog.agtype`).join(", ");
    const text = `SELECT * FROM ag_catalog.cypher('${this.graphName}', $$ ${cypher} $$, $1) AS (${cols})`;
    let rows: Record<string, string | null>[];
    try {
      rows = (await this.sql.unsafe(text, [JSON.stringify(params)])) as unknown as Record<
        string,
        string | null
      >[];
    } catch (e) {
      const err = e as { code?: string; constraint_name?: string; message?: string };
      if (err.code === "23505") throw new UniqueViolation(err.constraint_name ?? "unknown");
      throw e;
    }
    return rows.map((row) => {
      const out: Record<string, AgValue> = {};
      for (const c of columns) out[c] = parseAgtype(row[c] ?? null);
      return out as R;
    });
  }

  /** Runs a statement and returns the first row, or undefined. */
  async one<R extends Record<string, AgValue> = Record<string, AgValue>>(
    cypher: string,
    params: Record<string, unknown> = {},
    columns: readonly string[] = ["v"],
  ): Promise<R | undefined> {
    const rows = await this.query<R>(cypher, params, columns);
    return rows[0];
  }

  /** Runs `fn` in one transaction: every statement commits together or none does. */
  async tx<T>(fn: (g: Graph) => Promise<T>): Promise<T> {
    const sql = this.sql as Sql;
    if (typeof sql.begin !== "function") return fn(this); // already inside a transaction
    return (await sql.begin((t) => fn(new Graph(t, this.graphName)))) as T;
  }
}

const KEY = /^[a-z_][a-z0-9_]*$/;

/**
 * Cypher text for a property map whose values are parameters: `{a: $a, b: $b}`. AGE cannot take a
 * whole map as a parameter in CREATE/SET, so the keys — fixed names from our code, checked here —
 * go in the text and every value still travels as a parameter.
 */
export function propsMap(keys: readonly string[]): string {
  for (const k of keys) if (!KEY.test(k)) throw new Error(`invalid property key ${k}`);
  return `{${keys.map((k) => `${k}: $${k}`).join(", ")}}`;
}

/** Cypher text `v.a = $a, v.b = $b` for a SET clause; same rules as {@link propsMap}. */
export function setClause(variable: string, keys: readonly string[]): string {
  if (!KEY.test(variable)) throw new Error(`invalid variable ${variable}`);
  for (const k of keys) if (!KEY.test(k)) throw new Error(`invalid property key ${k}`);
  return keys.map((k) => `${variable}.${k} = $${k}`).join(", ");
}
