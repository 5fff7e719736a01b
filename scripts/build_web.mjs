// Builds the web app (apps/web) into dist/web: `npm run build:web`; also run by `npm run build`
// (so by `npm start` and `npm ci`) and by the test suite's global setup. A build whose sources have
// not changed is kept (dist/web/imbi-web-build.json holds a hash of them), so running it again
// costs a few milliseconds. The new tree is built beside the old one and swapped in, so a running
// host never serves a half-written directory. Plain JavaScript, so it needs no loader to run.
import { createHash } from "node:crypto";
import { readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
export const webOut = join(root, "dist", "web");
const STAMP = "imbi-web-build.json";

/** Every file the build reads from the repository (the app's sources and the dependency lock). */
async function inputs() {
  const files = [];
  const walk = async (dir) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else files.push(p);
    }
  };
  await walk(join(root, "apps", "web"));
  files.push(join(root, "package-lock.json"));
  return files.filter((f) => !/\.test\.tsx?$/.test(f)).sort();
}

/** A hash of the sources' paths and contents. */
async function sourceHash() {
  const h = createHash("sha256");
  for (const f of await inputs()) {
    h.update(relative(root, f));
    h.update("\0");
    h.update(await readFile(f));
    h.update("\0");
  }
  return h.digest("hex");
}

/** The stamp of the current build, if any. */
async function currentStamp() {
  try {
    return JSON.parse(await readFile(join(webOut, STAMP), "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * Builds dist/web unless it is current (or `force`). Returns what happened and how long it took.
 * @param {{ force?: boolean, log?: (line: string) => void }} [opts]
 */
export async function buildWeb(opts = {}) {
  const log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
  const hash = await sourceHash();
  if (!opts.force && (await currentStamp())?.hash === hash) return { built: false, ms: 0 };
  const t0 = performance.now();
  // Always a production build: Vite (and React) take NODE_ENV from the environment when it is set,
  // and the test runner sets it to "test" — which would ship React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  const { build } = await import("vite");
  const stage = `${webOut}.${process.pid}.${Date.now()}`;
  try {
    await build({
      configFile: join(root, "apps", "web", "vite.config.ts"),
      mode: "production",
      build: { outDir: stage, emptyOutDir: true },
      logLevel: "warn",
    });
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    await writeFile(
      join(stage, STAMP),
      `${JSON.stringify({ hash, builtAt: new Date().toISOString() }, null, 2)}\n`,
    );
    const old = `${stage}.old`;
    await rename(webOut, old).catch((e) => {
      if (e.code !== "ENOENT") throw e;
    });
    await rename(stage, webOut);
    await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(stage, { recursive: true, force: true });
    throw e;
  }
  const ms = Math.round(performance.now() - t0);
  log(`built the web app into dist/web in ${ms} ms`);
  return { built: true, ms };
}

/** True when dist/web holds a build (whatever its age). */
export async function webBuilt() {
  return stat(join(webOut, "index.html")).then(
    () => true,
    () => false,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // vite is a devDependency: after `npm ci --omit=dev` the package's prebuilt dist/web is used.
  const hasVite = await import("vite").then(
    () => true,
    () => false,
  );
  const hasSources = await stat(join(root, "apps", "web", "index.html")).then(
    () => true,
    () => false,
  );
  // An installed package ships dist/web and not the app's sources.
  if (!hasSources) process.exit(0);
  if (!hasVite) {
    console.error(
      (await webBuilt())
        ? "vite is not installed: keeping the prebuilt web app in dist/web"
        : "vite is not installed and dist/web is missing: the web app will not be served",
    );
    process.exit(0);
  }
  await buildWeb({ force: process.argv.includes("--force") });
}
