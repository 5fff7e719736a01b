// Whether dist/ (scripts/build.mjs) is current: shared by bin/imbi.mjs and the build itself.
import { readFileSync, statSync } from "node:fs";

/** The build's manifest, written last, so its mtime is the build's time. */
export const MANIFEST = "dist/imbi-build.json";

/**
 * Why the build under `root` (a file: URL ending in '/') cannot be used — "no build", or the
 * first source changed or removed since — or undefined when it is current. Costs one stat per
 * source file (a few milliseconds).
 */
export function staleBuild(root) {
  let manifest;
  let builtAt;
  try {
    const file = new URL(MANIFEST, root);
    manifest = JSON.parse(readFileSync(file, "utf8"));
    builtAt = statSync(file).mtimeMs;
  } catch {
    return "no build";
  }
  for (const input of manifest.inputs) {
    let mtime;
    try {
      mtime = statSync(new URL(input, root)).mtimeMs;
    } catch {
      return `${input} is gone`;
    }
    if (mtime > builtAt) return `${input} changed`;
  }
  return undefined;
}
