// `/`, `/docs` and `/static/*` on Node: real HTTP to the real host (`serveStores`, what
// `imbi serve` runs, with its ASSETS binding over node_modules). The same pages in workerd are
// covered in apps/worker/worker.int.test.ts, and rendered in Chromium in site.browser.test.ts.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProblemSchema } from "../../lib/http/problem.ts";
import { SWAGGER_UI_VERSION, staticMounts } from "../../lib/static_assets.ts";
import { repoRoot } from "../../scripts/build_worker.ts";
import { isSameOrigin, pageRefs, parseCsp } from "../../test/harness/html.ts";
import { startNodeHost, type TestNodeHost } from "../../test/harness/node_host.ts";
import { RootSchema } from "./schemas.ts";

const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const ADMIN = { email: "admin@imbi.test", password: "Admin-Passw0rd!" };
const swaggerDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

let host: TestNodeHost;
let custom: TestNodeHost;
let web: TestNodeHost;
let origin: string;
beforeAll(async () => {
  // The API-only hosts show the landing page at `/`; `web` serves the web app (dist/web, built by
  // the suite's global setup).
  [host, custom, web] = await Promise.all([
    startNodeHost({ IMBI_WEB_APP: "false" }, ADMIN),
    startNodeHost({ IMBI_WEB_APP: "false", IMBI_API_URL: "https://imbi.example.org/v1" }),
    startNodeHost({}),
  ]);
  origin = host.url;
});
afterAll(async () => {
  await host?.stop();
  await custom?.stop();
  await web?.stop();
});

const app = { request: (path: string, init?: RequestInit) => fetch(`${host.url}${path}`, init) };
const customApp = { request: (path: string, init?: RequestInit) => fetch(`${custom.url}${path}`, init) };

/** Asserts the headers every HTML page must carry and returns the CSP's directives. */
function expectPageSecurity(res: Response): Record<string, string[]> {
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("cache-control")).toBe("no-store");
  const csp = parseCsp(res.headers.get("content-security-policy"));
  expect(csp["default-src"]).toEqual(["'none'"]);
  expect(csp["frame-ancestors"]).toEqual(["'none'"]);
  for (const d of ["script-src", "style-src", "img-src", "connect-src"]) {
    // Only this origin (and, for scripts/styles, the request's nonce; data: images) — no hosts.
    for (const source of csp[d] ?? [])
      expect(source, `${d} ${source}`).toMatch(/^('self'|'nonce-[A-Za-z0-9+/=]+'|data:)$/);
  }
  expect(csp["script-src"]).toContain("'self'");
  return csp;
}

/** Asserts every inline block carries the nonce the CSP allows. */
function expectNoncedInline(html: string, csp: Record<string, string[]>) {
  const nonce = csp["script-src"]?.find((s) => s.startsWith("'nonce-"))?.slice(7, -1);
  const refs = pageRefs(html);
  for (const block of refs.inline) expect(block.nonce, `${block.tag} block`).toBe(nonce);
  expect(refs.styleAttributes).toBe(0);
  return refs;
}

describe("GET /docs", () => {
  it("is Swagger UI loading only this origin's files, under a strict CSP", async () => {
    const res = await app.request("/docs", { headers: { Accept: BROWSER_ACCEPT } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = expectPageSecurity(res);
    const html = await res.text();
    const refs = expectNoncedInline(html, csp);
    expect(refs.resources.length).toBeGreaterThanOrEqual(3);
    for (const r of refs.resources)
      expect(isSameOrigin(r.url, `${origin}/docs`), `${r.tag} ${r.url}`).toBe(true);
    // No other host named anywhere in the page (a script could build a URL from one).
    expect(html).not.toMatch(/https?:\/\//);
    const scripts = refs.resources.filter((r) => r.tag === "script").map((r) => r.url);
    expect(scripts).toEqual([`/static/swagger-ui/${SWAGGER_UI_VERSION}/swagger-ui-bundle.js`]);
    const init = refs.inline.find((b) => b.tag === "script")?.text ?? "";
    expect(init).toContain('url: "/openapi.json"');
    // Swagger UI would otherwise post the document to validator.swagger.io.
    expect(init).toContain("validatorUrl: null");
  });

  it("serves every file the page references, with its type, cache and nosniff headers", async () => {
    const html = await (await app.request("/docs")).text();
    const types: Record<string, RegExp> = {
      js: /^(text|application)\/javascript/,
      css: /^text\/css/,
      png: /^image\/png$/,
    };
    for (const { url } of pageRefs(html).resources) {
      const res = await app.request(url);
      expect(res.status, url).toBe(200);
      const ext = url.split(".").pop() ?? "";
      expect(res.headers.get("content-type"), url).toMatch(types[ext] ?? /^$/);
      expect(res.headers.get("cache-control"), url).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("x-content-type-options"), url).toBe("nosniff");
      // The bytes of the installed, pinned package.
      const name = url.split("/").pop() ?? "";
      expect(Buffer.from(await res.arrayBuffer()).equals(await readFile(join(swaggerDir, name))), url).toBe(
        true,
      );
    }
  });

  it("answers If-None-Match with 304 and HEAD without a body", async () => {
    const url = `/static/swagger-ui/${SWAGGER_UI_VERSION}/swagger-ui.css`;
    const first = await app.request(url);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await app.request(url, { headers: { "If-None-Match": etag ?? "" } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const head = await app.request(url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String((await first.arrayBuffer()).byteLength));
  });

  it("serves only the listed files: the package's other files and unknown paths are 404 problems", async () => {
    for (const path of [
      `/static/swagger-ui/${SWAGGER_UI_VERSION}/index.html`,
      `/static/swagger-ui/${SWAGGER_UI_VERSION}/swagger-ui-bundle.js.map`,
      `/static/swagger-ui/${SWAGGER_UI_VERSION}/%2e%2e/%2e%2e/%2e%2e/package.json`,
      "/static/swagger-ui/0.0.0/swagger-ui.css",
    ]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toMatch(/^application\/problem\+json/);
      expect(ProblemSchema.parse(await res.json()).code).toBe("NOT_FOUND");
    }
  });

  it("pins swagger-ui-dist exactly, and the asset URLs carry the installed version", async () => {
    const pkg = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const installed = JSON.parse(await readFile(join(swaggerDir, "package.json"), "utf8")) as {
      version: string;
    };
    expect(pkg.dependencies["swagger-ui-dist"]).toBe(installed.version);
    expect(SWAGGER_UI_VERSION).toBe(installed.version);
    for (const m of staticMounts) expect(m.urlPrefix).toContain(`/${installed.version}/`);
  });
});

const onDiskText = (url: string) =>
  readFileSync(join(repoRoot, "dist", "web", ...url.replace("/static/app/", "").split("/")), "utf8");

describe("the web app's pages", () => {
  const webApp = (path: string, init?: RequestInit) => fetch(`${web.url}${path}`, init);

  it("/, /login and every /o/… screen answer the app's index.html, with a fresh nonce for its styles", async () => {
    const nonces = new Set<string>();
    for (const path of [
      "/",
      "/login",
      "/o/demo/projects",
      "/o/demo/projects/payments-api?tab=scores",
      "/o",
    ]) {
      const res = await webApp(path, { headers: { Accept: BROWSER_ACCEPT } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toMatch(/^text\/html/);
      expect(res.headers.get("cache-control"), path).toBe("no-store");
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      const csp = parseCsp(res.headers.get("content-security-policy"));
      expect(csp["default-src"]).toEqual(["'none'"]);
      // Scripts and styles only from this origin or with the answer's nonce: no hosts, no unsafe-*.
      for (const d of ["script-src", "style-src", "connect-src", "worker-src"])
        for (const v of csp[d] ?? []) expect(v, `${path} ${d}`).toMatch(/^('self'|'nonce-[A-Za-z0-9+/=]+')$/);
      expect(csp["script-src"]).toContain("'self'");
      const nonce = csp["style-src"]?.find((v) => v.startsWith("'nonce-"))?.slice(7, -1);
      expect(nonce, path).toBeTruthy();
      const html = await res.text();
      // The app reads the nonce from this meta tag and gives it to the component library.
      expect(html).toContain(`<meta name="csp-nonce" content="${nonce}" />`);
      nonces.add(nonce ?? "");
      const refs = pageRefs(html);
      expect(refs.inline.filter((b) => b.tag === "script")).toEqual([]);
      const scripts = refs.resources.filter((r) => r.tag === "script");
      expect(scripts.map((r) => r.url)).toEqual([
        expect.stringMatching(/^\/static\/app\/assets\/index-[\w-]+\.js$/),
      ]);
    }
    expect(nonces.size).toBe(5);
  });

  it("serves the files the page references as immutable, and 404s what is not a file of the build", async () => {
    const html = await (await webApp("/login", { headers: { Accept: BROWSER_ACCEPT } })).text();
    const refs = pageRefs(html).resources;
    // The script, the stylesheet and the icon.
    expect(refs.map((r) => r.url)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\.js$/),
        expect.stringMatching(/\.css$/),
        expect.stringMatching(/\.svg$/),
      ]),
    );
    for (const { url } of refs) expect(url).toMatch(/^\/static\/app\/assets\//);
    for (const { url } of refs) {
      const res = await webApp(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get("cache-control"), url).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("x-content-type-options"), url).toBe("nosniff");
      expect(res.headers.get("content-type"), url).toMatch(/^(text\/javascript|text\/css|image\/svg\+xml)/);
      // A production build, even though the test runner (NODE_ENV=test) built it: no React dev build.
      if (url.endsWith(".js")) expect(onDiskText(url), url).not.toMatch(/jsxDEV|react\.development/);
      const onDisk = await readFile(
        join(repoRoot, "dist", "web", ...url.replace("/static/app/", "").split("/")),
      );
      expect(Buffer.from(await res.arrayBuffer()).equals(onDisk), url).toBe(true);
    }
    // The build's bookkeeping and the HTML shell itself are not files of the site.
    for (const path of [
      "/static/app/imbi-web-build.json",
      "/static/app/.vite/manifest.json",
      "/static/app/../package.json",
    ]) {
      const res = await webApp(path);
      expect(res.status, path).toBe(404);
    }
  });

  it("API clients keep their answers: JSON at /, problem+json for unknown API paths", async () => {
    const root = await webApp("/", { headers: { Accept: "application/json" } });
    expect(root.headers.get("content-type")).toMatch(/^application\/json/);
    const missing = await webApp("/api/nope", { headers: { Accept: BROWSER_ACCEPT } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("IMBI_WEB_APP=false turns the app off: its screens are 404 problems, / is the landing page", async () => {
    const res = await app.request("/o/demo/projects", { headers: { Accept: BROWSER_ACCEPT } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { detail: string }).detail).toContain("IMBI_WEB_APP=false");
    const root = await (await app.request("/", { headers: { Accept: BROWSER_ACCEPT } })).text();
    expect(root).not.toContain("/static/app/");
  });
});

describe("GET / without the web app", () => {
  it("gives a browser a page saying what this is, with working links and how to log in", async () => {
    const res = await app.request("/", { headers: { Accept: BROWSER_ACCEPT } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("vary")).toContain("Accept");
    const csp = expectPageSecurity(res);
    const html = await res.text();
    const refs = expectNoncedInline(html, csp);
    for (const r of refs.resources) expect(isSameOrigin(r.url, `${origin}/`), `${r.tag} ${r.url}`).toBe(true);
    expect(refs.text).toContain("DevOps service-management platform");
    expect(refs.links).toEqual(expect.arrayContaining(["/docs", "/openapi.json", "/api/status", "/status"]));
    // Every link on the page leads somewhere.
    for (const link of refs.links) expect((await app.request(link)).status, link).toBe(200);
    // How to log in: the curl call against this host, and where the first admin's password comes from.
    expect(refs.text).toContain(`curl -s -X POST ${origin}/api/auth/login`);
    expect(refs.text).toMatch(/IMBI_ADMIN_PASSWORD/);
    expect(refs.text).toMatch(/printed once/);
    expect(refs.text).toContain("imbi create-admin");
  });

  it("the page's curl example logs in", async () => {
    const page = pageRefs(await (await app.request("/", { headers: { Accept: "text/html" } })).text());
    const url = page.text.match(/curl -s -X POST (\S+)/)?.[1] ?? "";
    const res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(ADMIN),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveProperty("access_token");
  });

  it("gives API clients JSON: name, version and the same links", async () => {
    for (const accept of ["application/json", undefined, "*/*"]) {
      const res = await app.request("/", accept ? { headers: { Accept: accept } } : {});
      expect(res.status, String(accept)).toBe(200);
      expect(res.headers.get("content-type"), String(accept)).toMatch(/^application\/json/);
      const body = RootSchema.parse(await res.json());
      expect(body.links).toEqual({
        docs: "/docs",
        openapi: "/openapi.json",
        liveness: "/status",
        readiness: "/api/status",
        login: "/api/auth/login",
      });
      expect(body.login_help).toContain("/api/auth/login");
    }
  });

  it("follows the configured API prefix and public origin", async () => {
    const json = RootSchema.parse(
      await (await customApp.request("/", { headers: { Accept: "application/json" } })).json(),
    );
    expect(json.links.readiness).toBe("/v1/status");
    expect(json.links.login).toBe("/v1/auth/login");
    expect((await customApp.request(json.links.readiness)).status).toBe(200);
    const page = pageRefs(
      await (await customApp.request("/", { headers: { Accept: BROWSER_ACCEPT } })).text(),
    );
    expect(page.links).toContain("/v1/status");
    expect(page.text).toContain("curl -s -X POST https://imbi.example.org/v1/auth/login");
  });

  it("is described in the OpenAPI document", async () => {
    const doc = (await (await app.request("/openapi.json")).json()) as {
      paths: Record<
        string,
        { get?: { operationId?: string; responses: Record<string, { content: object }> } }
      >;
    };
    expect(doc.paths["/"]?.get?.operationId).toBe("getRoot");
    expect(Object.keys(doc.paths["/"]?.get?.responses["200"]?.content ?? {}).sort()).toEqual([
      "application/json",
      "text/html",
    ]);
  });
});

describe("methods over real HTTP", () => {
  // fetch() refuses TRACE, so the request goes through node:http as any client's would.
  it("TRACE /status is a 405 with Allow, not a 404", async () => {
    const { request } = await import("node:http");
    const res = await new Promise<{ status: number; allow: string; type: string }>((resolve, reject) => {
      const req = request(`${host.url}/status`, { method: "TRACE" }, (r) => {
        r.resume();
        resolve({
          status: r.statusCode ?? 0,
          allow: String(r.headers.allow),
          type: String(r.headers["content-type"]),
        });
      });
      req.on("error", reject);
      req.end();
    });
    expect(res).toEqual({ status: 405, allow: "GET, HEAD", type: "application/problem+json" });
  });
});
