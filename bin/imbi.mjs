#!/usr/bin/env node
// The `imbi` command. Runs the compiled build (dist/, from `npm run build`) when it is current;
// otherwise — a source checkout without a build, or sources edited since — the TypeScript sources
// through tsx, which compiles them on the fly (seconds instead of a fraction of one).
import { staleBuild } from "./build_state.mjs";

const stale =
  process.env.IMBI_FROM_SOURCE === "1" ? "IMBI_FROM_SOURCE=1" : staleBuild(new URL("../", import.meta.url));
if (stale === undefined) {
  await import("../dist/cli.js");
} else {
  if (stale !== "no build" && stale !== "IMBI_FROM_SOURCE=1")
    process.stderr.write(
      `imbi: the build is out of date (${stale}); running the sources — \`npm run build\` starts faster\n`,
    );
  const { register } = await import("tsx/esm/api");
  register();
  await import("../apps/node/cli.ts");
}
