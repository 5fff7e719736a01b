import type postgres from "postgres";
import type { Sql } from "../db.ts";
import { DomainError } from "../errors.ts";
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
 * Whether `e` says the statement lost a race with a concurrent transaction, so running the whole
 * transaction again (on a fresh snapshot) can succeed. AGE does not re-check a row that another
 * transaction updated while we waited for its lock, as PostgreSQL's own UPDATE does: its SET raises
 * `Entity failed to be updated` and its DELETE `Entity could not be locked for updating` (both
 * SQLSTATE XX000) or a serialization failure. Deadlocks between two writers are retried too.
 */
export function isConcurrentUpdate(e: unknown): boolean {
  const err = e as { code?: string; message?: string } | null;
  if (err?.code === "40001" || err?.code === "40P01") return true;
  return (
    err?.code === "XX000" &&
    /^Entity (failed to be updated|could not be locked for updating)/.test(err.message ?? "")
  );
}

/** Attempts of one write (statement or transaction) before a lost race becomes a 409. */
export const WRITE_ATTEMPTS = 10;

/**
 * Runs `attempt` again while it loses races ({@link isConcurrentUpdate}), after a random pause
 * growing to 200 ms (so racing writers spread out instead of colliding again); the last loss is a
 * 409 telling the caller to retry. Every attempt re-reads: a conditional write then sees the
 * winner's change and fails its own condition (404/409/412) instead of overwriting it.
 */
async function withRetry<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (!isConcurrentUpdate(e)) throw e;
      if (n >= WRITE_ATTEMPTS)
        throw new DomainError(
          "CONFLICT",
          `The resource was changed by ${WRITE_ATTEMPTS} concurrent requests in a row while this one tried to write it; retry the request.`,
        );
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** n)));
    }
  }
}

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
    const run = async () => {
      try {
        return (await this.sql.unsafe(text, [JSON.stringify(params)])) as unknown as Record<
          string,
          string | null
        >[];
      } catch (e) {
        const err = e as { code?: string; constraint_name?: string; message?: string };
        if (err.code === "23505") throw new UniqueViolation(err.constraint_name ?? "unknown");
        throw e;
      }
    };
    // A statement on its own is its own transaction and is retried here; inside tx() the whole
    // transaction is (a failed statement has aborted it).
    const rows = this.inTransaction ? await run() : await withRetry(run);
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

  /** Whether this graph runs inside a transaction (tx()'s callback). */
  get inTransaction(): boolean {
    return typeof (this.sql as Sql).begin !== "function";
  }

  /**
   * Runs `fn` in one transaction: every statement commits together or none does. A transaction
   * that loses a race with a concurrent writer is run again from the start (see
   * {@link isConcurrentUpdate}), so `fn` must be safe to repeat: it may only read and write the
   * database, and must put its conditions (If-Match, existence) in its statements.
   */
  async tx<T>(fn: (g: Graph) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this); // nested: the outermost tx() retries
    const sql = this.sql as Sql;
    return withRetry(async () => (await sql.begin((t) => fn(new Graph(t, this.graphName)))) as T);
  }
}

/**
 * The `updated_at` for a write over a version read at `previous`: now, but always later than
 * `previous`, so a conditional write guarded by `updated_at = previous` can never pass against a
 * version written in the same millisecond as the one the caller saw.
 */
export function nextUpdatedAt(previous?: string): string {
  const now = Date.now();
  const before = previous ? Date.parse(previous) : Number.NaN;
  return new Date(Number.isNaN(before) || now > before ? now : before + 1).toISOString();
}

/**
 * What a conditional write answers when its `updated_at` condition matched nothing: `what` (e.g.
 * "Role 'sre'") changed — or went — after the caller's If-Match was checked.
 */
export function changedMeanwhile(what: string): DomainError {
  return new DomainError(
    "PRECONDITION_FAILED",
    `${what} was changed by another request after If-Match was checked; fetch it again and reapply your change.`,
  );
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
