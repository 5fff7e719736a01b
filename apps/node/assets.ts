// The Node host's stand-in for the Workers static-assets binding: the files listed in
// lib/static_assets.ts, read from the installed packages (no build step before `npm start`), with
// the headers Workers would send. Lookup is by exact URL in an allow-list built at start, so no
// request path ever becomes a filesystem path.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { getMimeType } from "hono/utils/mime";
import {
  type AssetsBinding,
  isWebAppFile,
  type StaticMount,
  staticHeaders,
  staticMounts,
  webApp,
  webAppHeaders,
} from "../../lib/static_assets.ts";

/** One servable file. */
export interface StaticFile {
  /** URL path, e.g. `/static/swagger-ui/5.35.0/swagger-ui.css`. */
  urlPath: string;
  /** Absolute path of the source file. */
  file: string;
  headers: Record<string, string>;
}

const require = createRequire(import.meta.url);

/**
 * The package's root directory: the nearest parent with Imbi's package.json (this file runs from
 * apps/node in the sources and from dist/ when bundled).
 */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "imbi")
      return dir;
    if (dirname(dir) === dir) throw new Error(`no Imbi package.json above ${from}`);
  }
}

/**
 * The web app's built files (dist/web), or none when it was not built. Listed when the host
 * starts: a rebuild while it runs needs a restart (the old hashed names would be gone anyway).
 */
export function webAppFiles(dir: string = join(packageRoot(), webApp.fromDirectory)): StaticFile[] {
  if (!existsSync(join(dir, "index.html"))) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
    .filter((e) => e.isFile())
    .map((e) =>
      join(e.parentPath, e.name)
        .slice(dir.length + 1)
        .split(sep)
        .join("/"),
    )
    .filter(isWebAppFile)
    .map((rel) => {
      const urlPath = `${webApp.urlPrefix}${rel}`;
      return { urlPath, file: join(dir, ...rel.split("/")), headers: webAppHeaders(urlPath) };
    });
}

/** Resolves every file of `mounts` to its place under node_modules, and the web app's files. */
export function staticFiles(
  mounts: readonly StaticMount[] = staticMounts,
  web: StaticFile[] = webAppFiles(),
): StaticFile[] {
  return [...packageFiles(mounts), ...web];
}

function packageFiles(mounts: readonly StaticMount[]): StaticFile[] {
  return mounts.flatMap((m) => {
    // Packages without an `exports` map (swagger-ui-dist) always resolve their package.json.
    const root = dirname(require.resolve(`${m.fromPackage}/package.json`));
    const headers = staticHeaders(m);
    return Object.entries(m.files).map(([name, inPackage]) => ({
      urlPath: `${m.urlPrefix}${name}`,
      file: join(root, inPackage),
      headers,
    }));
  });
}

/**
 * An {@link AssetsBinding} over {@link staticFiles}: GET/HEAD with the file's content type,
 * cache headers and a strong ETag (a matching `If-None-Match` answers 304); 404 for anything else.
 * Contents are read once and kept (a few MiB at most, unchanged while the process runs).
 */
export function createNodeAssets(
  mounts: readonly StaticMount[] = staticMounts,
  web: StaticFile[] = webAppFiles(),
): AssetsBinding {
  const files = new Map(staticFiles(mounts, web).map((f) => [f.urlPath, f]));
  const loaded = new Map<string, Promise<{ body: Uint8Array<ArrayBuffer>; etag: string }>>();
  const load = (f: StaticFile) => {
    let entry = loaded.get(f.urlPath);
    if (!entry) {
      entry = readFile(f.file).then((body) => ({
        body: new Uint8Array(body),
        etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
      }));
      // A failed read (package removed under a running server) is retried next time.
      entry.catch(() => loaded.delete(f.urlPath));
      loaded.set(f.urlPath, entry);
    }
    return entry;
  };
  return {
    async fetch(request) {
      const f = files.get(new URL(request.url).pathname);
      if (!f || (request.method !== "GET" && request.method !== "HEAD"))
        return new Response(null, { status: 404 });
      const { body, etag } = await load(f);
      const headers = new Headers(f.headers);
      headers.set("ETag", etag);
      const type = getMimeType(f.urlPath);
      if (type) headers.set("Content-Type", type);
      const match = request.headers.get("If-None-Match");
      if (match?.split(/\s*,\s*/).some((t) => t === etag || t === `W/${etag}` || t === "*"))
        return new Response(null, { status: 304, headers });
      headers.set("Content-Length", String(body.byteLength));
      return new Response(request.method === "HEAD" ? null : body, { status: 200, headers });
    },
  };
}
