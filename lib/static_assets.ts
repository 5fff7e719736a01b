// The static files Imbi serves (docs/adr/0008-static-assets.md): one list, used by the Node host
// (apps/node/assets.ts serves them straight from node_modules), by scripts/build_public.ts (which
// copies them into dist/public for Workers static assets) and by the pages that link to them.
// Runtime-neutral: no Node APIs, so the Worker bundle can import the URLs.
import swaggerUiPackage from "swagger-ui-dist/package.json" with { type: "json" };

/** The running binding that serves static files: Workers static assets, or the Node host's copy. */
export interface AssetsBinding {
  fetch(request: Request): Promise<Response>;
}

/** A set of files from one npm package, served under one URL prefix. */
export interface StaticMount {
  /** URL path prefix, starting and ending with `/`. */
  urlPrefix: string;
  /** The npm package the files are copied from (resolved from node_modules). */
  fromPackage: string;
  /** URL file name → path inside the package. Nothing outside this allow-list is served. */
  files: Readonly<Record<string, string>>;
  /**
   * True when `urlPrefix` carries the version of its contents, so a file under it never changes
   * and browsers may keep it for a year; an upgrade changes the URL instead.
   */
  immutable: boolean;
}

/** The pinned swagger-ui-dist version (package.json pins it exactly; the URL carries it). */
export const SWAGGER_UI_VERSION: string = swaggerUiPackage.version;

/** Swagger UI's browser bundle, stylesheet, icons and licence texts. */
export const swaggerUiAssets: StaticMount = {
  urlPrefix: `/static/swagger-ui/${SWAGGER_UI_VERSION}/`,
  fromPackage: "swagger-ui-dist",
  files: {
    // The standalone bundle includes React and every dependency; the standalone preset (top bar)
    // and the OAuth2 redirect page are left out: /docs uses the base layout and bearer tokens.
    "swagger-ui-bundle.js": "swagger-ui-bundle.js",
    "swagger-ui-bundle.js.LICENSE.txt": "swagger-ui-bundle.js.LICENSE.txt",
    "swagger-ui.css": "swagger-ui.css",
    "favicon-32x32.png": "favicon-32x32.png",
    "favicon-16x16.png": "favicon-16x16.png",
    // Apache-2.0 asks redistributors to pass on the licence and NOTICE; extensionless files would
    // get no content type on Workers, hence the .txt names.
    "LICENSE.txt": "LICENSE",
    "NOTICE.txt": "NOTICE",
  },
  immutable: true,
};

/** Every static mount from a package, in lookup order. */
export const staticMounts: readonly StaticMount[] = [swaggerUiAssets];

/**
 * The web app (apps/web, docs/web.md): Vite builds it into `dist/web` (`npm run build:web`), and
 * both hosts serve that directory under this prefix — the Node host from disk, Workers as static
 * assets (scripts/build_public.ts copies it). File names under `assets/` carry a content hash, so
 * they never change; `index.html` is never served as a file: the page routes (functions/site)
 * read it through the binding and answer it with a fresh CSP nonce.
 */
export const webApp = {
  urlPrefix: "/static/app/",
  /** Relative to the package root. */
  fromDirectory: "dist/web",
  /** Hashed, immutable files. */
  assetsPrefix: "/static/app/assets/",
  /** The app's HTML shell. */
  index: "/static/app/index.html",
} as const;

/** The headers of one file of the web app (the same on both hosts, like {@link staticHeaders}). */
export function webAppHeaders(urlPath: string): Record<string, string> {
  return {
    "Cache-Control": urlPath.startsWith(webApp.assetsPrefix)
      ? "public, max-age=31536000, immutable"
      : "no-cache",
    "X-Content-Type-Options": "nosniff",
  };
}

/** Whether a file of `dist/web` is served (the build's bookkeeping files are not). */
export function isWebAppFile(relativePath: string): boolean {
  return relativePath === "index.html" || relativePath.startsWith("assets/");
}

/** The URL of one file of a mount. */
export function assetUrl(mount: StaticMount, name: keyof StaticMount["files"] & string): string {
  if (!(name in mount.files)) throw new Error(`${name} is not a file of ${mount.urlPrefix}`);
  return `${mount.urlPrefix}${name}`;
}

/**
 * The response headers of every file of a mount, the same on both hosts: the Node host sets them
 * itself, and on Workers they are written to `_headers`, which static assets apply.
 */
export function staticHeaders(mount: StaticMount): Record<string, string> {
  return {
    // A versioned URL never changes; anything else is revalidated (cheap: ETag → 304).
    "Cache-Control": mount.immutable
      ? "public, max-age=31536000, immutable"
      : "public, max-age=0, must-revalidate",
    // Scripts and stylesheets only ever run with their declared type.
    "X-Content-Type-Options": "nosniff",
  };
}

/**
 * The `_headers` file for Workers static assets
 * (https://developers.cloudflare.com/workers/static-assets/headers/), generated from
 * {@link staticHeaders} so both hosts answer alike.
 */
export function headersFile(mounts: readonly StaticMount[] = staticMounts): string {
  const block = (pattern: string, headers: Record<string, string>) =>
    [pattern, ...Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`)].join("\n");
  // Rules must not overlap: Workers joins the values of a header set by two matching rules.
  const blocks = [
    ...mounts.map((m) => block(`${m.urlPrefix}*`, staticHeaders(m))),
    block(`${webApp.assetsPrefix}*`, webAppHeaders(webApp.assetsPrefix)),
    block(webApp.index, webAppHeaders(webApp.index)),
  ];
  return `# Generated by scripts/build_public.ts from lib/static_assets.ts; do not edit.\n${blocks.join("\n")}\n`;
}
