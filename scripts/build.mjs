// Compiles the Node host and the `imbi` CLI to JavaScript: `npm run build` (also run by `npm ci` /
// `npm install` through "prepare", and by `npm start`). Running the TypeScript sources through tsx
// costs seconds of compilation on every command; the build starts in a fraction of that.
//
// Our own code is bundled (ESM, Node 20) into dist/ — cli.js, the PGlite worker thread's entry
// pglite_thread.js and shared chunks, all in dist/ itself: threaded.ts finds the thread entry
// beside its chunk, and lib/migrate.ts finds ../schema/sql from there. Packages stay external and
// load from node_modules. dist/imbi-build.json lists the sources that went in, so bin/imbi.mjs can
// tell a current build from a stale one. Plain JavaScript, so it needs no loader to run.
import { readdir, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MANIFEST, staleBuild } from "../bin/build_state.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = join(root, "dist");

/** Builds dist/ and returns the manifest written. */
export async function buildNode() {
  const { build } = await import("esbuild");
  const pkg = (await import(join(root, "package.json"), { with: { type: "json" } })).default;
  // Only this build's files: dist/worker (scripts/build_worker.ts) lives beside them.
  for (const f of await readdir(outdir).catch(() => [])) {
    if (f === "imbi-build.json" || /^(cli|pglite_thread|chunk-[A-Z0-9]+)\.js(\.map)?$/.test(f))
      await rm(join(outdir, f), { force: true });
  }
  const builtAt = new Date().toISOString();
  const result = await build({
    absWorkingDir: root,
    entryPoints: { cli: "apps/node/cli.ts", pglite_thread: "apps/node/embedded/pglite_thread.ts" },
    outdir,
    bundle: true,
    splitting: true,
    chunkNames: "chunk-[hash]",
    format: "esm",
    platform: "node",
    // 20.10: the first Node 20 with import attributes; for an older target esbuild drops the
    // `with { type: "json" }` of external JSON imports, and Node then refuses to load them.
    target: "node20.10",
    packages: "external",
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
    define: { IMBI_BUILD_INFO: JSON.stringify({ version: pkg.version, builtAt }) },
  });
  const manifest = {
    builtAt,
    // Relative to the repository root; bin/imbi.mjs compares their mtimes with the manifest's.
    inputs: Object.keys(result.metafile.inputs)
      .filter((f) => !f.startsWith("<"))
      .map((f) => relative(root, join(root, f)))
      .sort(),
  };
  await writeFile(join(root, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // esbuild is a devDependency: after `npm ci --omit=dev` there is nothing to build with, and
  // "prepare" must not fail the install for it — imbi then runs from the sources through tsx.
  if (
    !(await import("esbuild").then(
      () => true,
      () => false,
    ))
  ) {
    console.error(
      "esbuild is not installed (npm ci --omit=dev?): skipping the build; imbi runs from the sources",
    );
    process.exit(0);
  }
  // --if-stale (the test suite's global setup): leave a current build alone.
  const stale = staleBuild(pathToFileURL(`${root}/`));
  if (process.argv.includes("--if-stale") && stale === undefined) process.exit(0);
  const t0 = performance.now();
  const manifest = await buildNode();
  // stderr: under `npm start` stdout is the server's JSON log.
  console.error(
    `built dist/cli.js and dist/pglite_thread.js from ${manifest.inputs.length} sources in ${Math.round(performance.now() - t0)} ms`,
  );
}
