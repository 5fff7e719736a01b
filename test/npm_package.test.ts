// What `npm pack` would ship: the compiled host and the built web app (users never build either),
// the sources bin/imbi.mjs falls back to, and no tests, data directories or test artifacts.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);

it("the npm package ships dist/ (with the web app) and the runtime sources, and no tests", async () => {
  const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: new URL("..", import.meta.url),
    maxBuffer: 16 * 1024 * 1024,
  });
  const files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [];
  expect(files).toEqual(
    expect.arrayContaining([
      "bin/imbi.mjs",
      "dist/cli.js",
      "dist/pglite_thread.js",
      "dist/web/index.html",
      "apps/node/cli.ts",
      "lib/env.ts",
      "schema/sql/0001_sessions.sql",
    ]),
  );
  // The web app's hashed entry script is in, as the page names it.
  expect(files.some((f) => /^dist\/web\/assets\/index-[\w-]+\.js$/.test(f))).toBe(true);
  const unwanted = files.filter((f) =>
    /(\.test\.tsx?$)|(^test\/)|(^test-results\/)|(^\.imbi\/)|(^node_modules\/)|(^apps\/web\/)|(^bench\/)/.test(
      f,
    ),
  );
  expect(unwanted).toEqual([]);
});
