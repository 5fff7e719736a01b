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
  const target = unixSocketTarget(url);
  return postgres(target.url, {
    ...(target.path ? { path: target.path } : {}),
    max: opts.max ?? 10,
    idle_timeout: opts.idleTimeout ?? 30,
    // Hyperdrive and PGlite-socket do not need the type-catalog round trip; agtype is parsed by us.
    fetch_types: false,
    onnotice: () => undefined,
    connection: { search_path: 'ag_catalog, "$user", public', application_name: "imbi" },
  });
}

/**
 * libpq puts a Unix socket in the URL's query (`?host=/run/dir`, optional `&port=`); postgres.js
 * takes it as the `path` option instead and would send `host` to the server as a startup
 * parameter. Translates the one into the other; any other URL is returned as it is.
 */
export function unixSocketTarget(url: string): { url: string; path?: string } {
  const q = url.indexOf("?");
  if (q < 0) return { url };
  const params = new URLSearchParams(url.slice(q + 1));
  const host = params.get("host");
  if (!host?.startsWith("/")) return { url };
  const port = params.get("port") || "5432";
  params.delete("host");
  params.delete("port");
  const rest = params.toString();
  return {
    url: url.slice(0, q) + (rest ? `?${rest}` : ""),
    path: `${host.replace(/\/$/, "")}/.s.PGSQL.${port}`,
  };
}
