import postgres from "postgres";

/** The postgres.js client type used across the app. */
export type Sql = postgres.Sql;

/** Options for {@link createSql}. */
export interface SqlOptions {
  /** Pool size: 1 for the embedded PGlite (one backend), a few per request on Workers, a pool on Node. */
  max?: number;
  /** Seconds an idle connection is kept. */
  idleTimeout?: number;
}

/**
 * Creates a postgres.js client with the AGE search_path set at connection start-up, so every
 * connection (pooled, Hyperdrive, PGlite socket) sees identical session state.
 */
export function createSql(url: string, opts: SqlOptions = {}): Sql {
  return postgres(url, {
    max: opts.max ?? 10,
    idle_timeout: opts.idleTimeout ?? 30,
    // Hyperdrive and PGlite-socket do not need the type-catalog round trip; agtype is parsed by us.
    fetch_types: false,
    onnotice: () => undefined,
    connection: { search_path: 'ag_catalog, "$user", public', application_name: "imbi" },
  });
}
