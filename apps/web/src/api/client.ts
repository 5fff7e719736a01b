// The typed API client: openapi-fetch over the types openapi-typescript generates from the
// checked-in docs/openapi.json (`npm run web:types`), so a changed route breaks the build here.
// Every request carries the session cookies; a 401 triggers one refresh (the refresh cookie is
// single-use, so concurrent 401s share one refresh) and the request is retried once.
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema";

/** The API prefix (IMBI_API_URL's path); the hosts mount every route group under it. */
export const API_PREFIX = "/api";

/** A problem+json answer (RFC 9457) as the API sends it. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  /** Each failing field: `location` is `body.attributes.tier`, `query.limit`, … */
  errors?: { location: string; message: string }[];
  [key: string]: unknown;
}

/** A failed request: the problem's `detail` is the message people see. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `Request failed (${problem.status})`);
    this.name = "ApiError";
    this.status = problem.status;
    this.problem = problem;
  }
  /**
   * Field errors keyed by the field's path without the `body.`/`json.` prefix (`attributes.tier`),
   * for forms; the first message per field wins.
   */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) {
      const key = e.location.replace(/^(body|json)\.?/, "");
      if (!(key in out)) out[key] = e.message;
    }
    return out;
  }
}

/** Listeners told when the session is gone for good (refresh failed): the app shows the login page. */
const expiredListeners = new Set<() => void>();
export function onSessionExpired(fn: () => void): () => void {
  expiredListeners.add(fn);
  return () => expiredListeners.delete(fn);
}

/** localStorage key: when any tab last refreshed the session (ms since the epoch). */
const REFRESHED_AT = "imbi.session.refreshedAt";

const storage = (): Storage | undefined => (typeof localStorage === "undefined" ? undefined : localStorage);

/** A refresh's outcome: new cookies, refused (the session is over), or no answer (network). */
type Refreshed = boolean | "unreachable";

function postRefresh(base: string): Promise<Refreshed> {
  return (
    fetch(`${base}${API_PREFIX}/auth/token/refresh`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: "{}",
    })
      .then((r) => {
        if (r.ok) storage()?.setItem(REFRESHED_AT, String(Date.now()));
        return r.ok;
      })
      // No answer says nothing about the session (offline, a proxy hiccup, a navigation that
      // cancelled it): the request fails, the session is not declared over.
      .catch((): Refreshed => "unreachable")
  );
}

let refreshing: Promise<Refreshed> | undefined;
/**
 * Exchanges the refresh cookie for new cookies. The refresh token is single-use and presenting a
 * used one revokes the whole session, so only one refresh may ever be in flight: callers in this
 * tab share one attempt, and tabs take turns through a Web Lock — a tab that gets the lock after
 * another tab refreshed (since `sentAt`) just uses the cookies that tab set.
 */
export function refreshSession(sentAt: number = Date.now(), base = ""): Promise<Refreshed> {
  refreshing ??= (async () => {
    try {
      const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
      if (!locks) return await postRefresh(base);
      return await locks.request("imbi-session-refresh", async () => {
        if (Number(storage()?.getItem(REFRESHED_AT) ?? 0) >= sentAt) return true;
        return postRefresh(base);
      });
    } finally {
      // Let the next expiry start a new attempt.
      setTimeout(() => {
        refreshing = undefined;
      }, 0);
    }
  })();
  return refreshing;
}

const NO_REFRESH = [
  `${API_PREFIX}/auth/login`,
  `${API_PREFIX}/auth/token/refresh`,
  `${API_PREFIX}/auth/logout`,
];

/** Bodies are cloned before the request is sent, so a 401 can be retried after the refresh. */
const retryBodies = new WeakMap<Request, { body: ArrayBuffer | null; sentAt: number }>();

/** Retries a 401 once after refreshing the session (see {@link refreshSession}). */
const sessionMiddleware = (base: string): Middleware => ({
  async onRequest({ request }) {
    retryBodies.set(request, {
      body: request.body ? await request.clone().arrayBuffer() : null,
      sentAt: Date.now(),
    });
    return request;
  },
  async onResponse({ request, response }) {
    const path = new URL(request.url).pathname;
    if (response.status !== 401 || NO_REFRESH.includes(path)) return response;
    const saved = retryBodies.get(request);
    const refreshed = await refreshSession(saved?.sentAt, base);
    if (refreshed === "unreachable") return response;
    if (!refreshed) {
      for (const fn of expiredListeners) fn();
      return response;
    }
    return fetch(new Request(request, { body: saved?.body ?? null }));
  },
});

/** Turns a problem+json (or any non-2xx) answer into an {@link ApiError}. */
export async function toApiError(response: Response, error: unknown): Promise<ApiError> {
  if (error && typeof error === "object" && "status" in error) return new ApiError(error as Problem);
  return new ApiError({ status: response.status, title: response.statusText || "Request failed" });
}

/** A client of the API at `baseUrl` ("" in the app: the page's own origin). */
export function createApi(baseUrl = "") {
  const client = createClient<paths>({ baseUrl, credentials: "same-origin" });
  client.use(sessionMiddleware(baseUrl));
  return client;
}

/** The app's client. */
export const api = createApi();

/**
 * Unwraps an openapi-fetch result: the data, or a thrown {@link ApiError} carrying the server's
 * problem details (TanStack Query shows it as the query's error).
 */
export async function unwrap<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await p;
  if (!response.ok || error !== undefined) throw await toApiError(response, error);
  return data as T;
}

/** The ETag of a response, for `If-Match` on the next write. */
export function etagOf(response: Response): string | undefined {
  return response.headers.get("ETag") ?? undefined;
}

/**
 * The paging options of every keyset list for TanStack's `useInfiniteQuery`: the first page has
 * no cursor, each next page the previous answer's `next_cursor` (none: the last page).
 */
export const keysetPaging = {
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (last: { next_cursor?: string | null }): string | undefined =>
    last.next_cursor ?? undefined,
};
