// Bundles the Worker exactly as `wrangler deploy` would, without uploading: `npm run build:worker`
// writes dist/worker/index.js (+ source map). The workerd tests and bench/bundle_size.ts use the
// same function, so what they measure is what ships.
import { spawn } from "node:child_process";
import { readdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Repository root (the directory holding wrangler.toml). */
export const repoRoot: string = fileURLToPath(new URL("..", import.meta.url));

/** Options for {@link buildWorker}. */
export interface BuildWorkerOptions {
  /** Where the bundle goes; emptied first. Default `dist/worker` under the repo root. */
  outdir?: string;
  /** Directory holding wrangler.toml and node_modules. Default: the repo root. */
  cwd?: string;
  /** Echo wrangler's output (the CLI does; tests keep it for the error message only). */
  verbose?: boolean;
}

/** What {@link buildWorker} produced. */
export interface WorkerBundle {
  outdir: string;
  /** The entry module workerd loads (`index.js`). */
  main: string;
  /** Every emitted file except source maps and wrangler's README, relative to `outdir`. */
  modules: string[];
}

/**
 * Runs `wrangler deploy --dry-run --outdir <dir>` and rejects with wrangler's output when it
 * fails. Needs no network or Cloudflare account: `--dry-run` stops before any API call, and
 * metrics/prompts are switched off through the environment.
 */
export async function buildWorker(opts: BuildWorkerOptions = {}): Promise<WorkerBundle> {
  const cwd = opts.cwd ?? repoRoot;
  const outdir = resolve(cwd, opts.outdir ?? join("dist", "worker"));
  await rm(outdir, { recursive: true, force: true });
  const bin = join(cwd, "node_modules", ".bin", "wrangler");
  const output = await new Promise<string>((done, fail) => {
    const child = spawn(bin, ["deploy", "--dry-run", "--outdir", outdir], {
      cwd,
      env: {
        ...process.env,
        CI: "true",
        WRANGLER_SEND_METRICS: "false",
        WRANGLER_LOG: process.env.WRANGLER_LOG ?? (opts.verbose ? "log" : "warn"),
        NO_COLOR: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    const collect = (chunk: Buffer) => {
      text += chunk.toString();
      if (opts.verbose) process.stderr.write(chunk);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", fail);
    child.on("close", (code, signal) =>
      code === 0
        ? done(text)
        : fail(new Error(`wrangler deploy --dry-run failed (${code ?? signal}):\n${text}`)),
    );
  });
  const files = await readdir(outdir);
  if (!files.includes("index.js")) throw new Error(`wrangler wrote no index.js to ${outdir}:\n${output}`);
  return {
    outdir,
    main: join(outdir, "index.js"),
    modules: files.filter((f) => !f.endsWith(".map") && f !== "README.md"),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  buildWorker({ verbose: true }).then(
    (b) => console.log(`\nWorker bundle: ${b.modules.map((m) => join(b.outdir, m)).join(", ")}`),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    },
  );
}
