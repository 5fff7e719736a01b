// Assembles dist/public, the directory wrangler.toml's [assets] uploads with the Worker: every file
// of lib/static_assets.ts at its URL path, plus the `_headers` file that gives them the same
// headers the Node host sends. wrangler runs this before every deploy and dry run (`[build]`), so
// the uploaded files always match the installed, pinned packages. Run: `npx tsx scripts/build_public.ts`.
import { copyFile, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { staticFiles } from "../apps/node/assets.ts";
import { headersFile } from "../lib/static_assets.ts";

/** Where wrangler.toml's `[assets] directory` points. */
export const publicDir: string = fileURLToPath(new URL("../dist/public", import.meta.url));

/**
 * Writes the directory afresh and returns the URL paths it holds. The new tree is staged next to
 * the old one and swapped in, so a concurrent reader (a test's Miniflare) never sees it half-written.
 */
export async function buildPublic(outdir: string = publicDir): Promise<string[]> {
  const stage = `${outdir}.${process.pid}.${Date.now()}`;
  const files = staticFiles();
  try {
    for (const f of files) {
      const target = join(stage, ...f.urlPath.split("/"));
      await mkdir(dirname(target), { recursive: true });
      await copyFile(f.file, target);
    }
    await writeFile(join(stage, "_headers"), headersFile());
    const old = `${stage}.old`;
    // Another build may swap its tree in between our two renames (ENOTEMPTY): set it aside too.
    for (let attempt = 0; ; attempt++) {
      await rename(outdir, `${old}${attempt}`).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== "ENOENT") throw e;
      });
      try {
        await rename(stage, outdir);
        break;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (attempt >= 3 || (code !== "ENOTEMPTY" && code !== "EEXIST")) throw e;
      }
    }
    for (let attempt = 0; attempt <= 3; attempt++)
      await rm(`${old}${attempt}`, { recursive: true, force: true });
  } catch (e) {
    await rm(stage, { recursive: true, force: true });
    throw e;
  }
  return files.map((f) => f.urlPath);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  buildPublic().then(
    (paths) => console.log(`${publicDir}: ${paths.length} files and _headers`),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    },
  );
}
