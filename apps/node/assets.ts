// The Node host's stand-in for the Workers static-assets binding: the files listed in
// lib/static_assets.ts, read from the installed packages (no build step before `npm start`), with
// the headers Workers would send. Lookup is by exact URL in an allow-list built at start, so no
// request path ever becomes a filesystem path.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { getMimeType } from "hono/utils/mime";
import {
  type AssetsBinding,
  type StaticMount,
  staticHeaders,
  staticMounts,
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

/** Resolves every file of `mounts` to its place under node_modules. */
export function staticFiles(mounts: readonly StaticMount[] = staticMounts): StaticFile[] {
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
export function createNodeAssets(mounts: readonly StaticMount[] = staticMounts): AssetsBinding {
  const files = new Map(staticFiles(mounts).map((f) => [f.urlPath, f]));
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
