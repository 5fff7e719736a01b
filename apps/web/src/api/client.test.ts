// The client's session handling against a loopback server that plays the API's part: access
// refused until the session is refreshed, refreshes counted. (The real API and browser do the same
// end to end in apps/web/e2e/session.browser.test.ts.)
import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiError, createApi, onSessionExpired, unwrap } from "./client";

let server: Server;
let base = "";
const state = {
  refreshed: false,
  refreshes: 0,
  refreshWorks: true,
  dropRefresh: false,
  bodies: [] as string[],
};

const read = (req: IncomingMessage) =>
  new Promise<string>((res) => {
    let b = "";
    req.on("data", (d) => (b += d));
    req.on("end", () => res(b));
  });

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await read(req);
    const json = (status: number, value: unknown, type = "application/json") => {
      res.writeHead(status, { "Content-Type": type });
      res.end(JSON.stringify(value));
    };
    if (req.url === "/api/auth/token/refresh") {
      state.refreshes++;
      // No answer at all (a network failure): the connection is cut.
      if (state.dropRefresh) return req.socket.destroy();
      // Slow enough that concurrent 401s arrive while it is in flight.
      await new Promise((r) => setTimeout(r, 50));
      state.refreshed = state.refreshWorks;
      return state.refreshWorks
        ? json(200, { access_token: "x" })
        : json(
            401,
            { status: 401, title: "Unauthorized", detail: "Refresh token reused" },
            "application/problem+json",
          );
    }
    if (!state.refreshed)
      return json(
        401,
        { status: 401, title: "Unauthorized", detail: "Token expired" },
        "application/problem+json",
      );
    if (req.method === "POST") state.bodies.push(body);
    if (req.url?.startsWith("/api/organizations/demo/teams") && req.method === "POST")
      return json(
        400,
        {
          status: 400,
          title: "Bad Request",
          detail: "slug: must match ^[a-z]",
          errors: [
            { location: "body.slug", message: "must match ^[a-z]" },
            { location: "json.name", message: "too long" },
          ],
        },
        "application/problem+json",
      );
    return json(200, { email: "a@example.com", organizations: [] });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  Object.assign(state, {
    refreshed: false,
    refreshes: 0,
    refreshWorks: true,
    dropRefresh: false,
    bodies: [],
  });
});

describe("the API client's session handling", () => {
  it("refreshes once for many concurrent 401s and retries each request", async () => {
    const api = createApi(base);
    const results = await Promise.all(Array.from({ length: 5 }, () => unwrap(api.GET("/api/users/me"))));
    expect(results.map((r) => r.email)).toEqual(Array(5).fill("a@example.com"));
    expect(state.refreshes).toBe(1);
  });

  it("retries a write with its body intact", async () => {
    const api = createApi(base);
    await unwrap(
      api.POST("/api/operations-log", {
        body: { entry_type: "deployed", description: "retried body" } as never,
      }),
    ).catch(() => undefined);
    expect(state.refreshes).toBe(1);
    expect(state.bodies.map((b) => JSON.parse(b).description)).toEqual(["retried body"]);
  });

  it("when the refresh fails, tells the listeners and surfaces the 401 with its detail", async () => {
    state.refreshWorks = false;
    const api = createApi(base);
    let told = 0;
    const off = onSessionExpired(() => told++);
    try {
      const error = await unwrap(api.GET("/api/users/me")).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(401);
      expect((error as ApiError).message).toBe("Token expired");
      expect(told).toBe(1);
    } finally {
      off();
    }
  });

  it("a refresh without an answer (network) fails the request but does not end the session", async () => {
    state.dropRefresh = true;
    const api = createApi(base);
    let told = 0;
    const off = onSessionExpired(() => told++);
    try {
      const error = await unwrap(api.GET("/api/users/me")).catch((e: unknown) => e);
      expect((error as ApiError).status).toBe(401);
      expect(told).toBe(0);
      // Back online: the next 401 refreshes again and the request goes through.
      state.dropRefresh = false;
      await new Promise((r) => setTimeout(r, 5));
      expect((await unwrap(api.GET("/api/users/me"))).email).toBe("a@example.com");
    } finally {
      off();
    }
  });

  it("maps field errors to their field paths for forms", async () => {
    state.refreshed = true;
    const api = createApi(base);
    const error = await unwrap(
      api.POST("/api/organizations/{org}/teams", {
        params: { path: { org: "demo" } },
        body: { slug: "Bad", name: "x" } as never,
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).fieldErrors()).toEqual({ slug: "must match ^[a-z]", name: "too long" });
    expect((error as ApiError).message).toBe("slug: must match ^[a-z]");
  });
});
