import semver from "semver";

// The release version rule of IMBI_RELEASES_VERSION_FORMAT. semver is checked by the `semver`
// package (npm's own parser, pure JS, runs on Workers); calver and any are small patterns.

/** The version formats a deployment may enforce. */
export type VersionFormat = "semver" | "calver" | "any";

// semver.org's pattern with an optional leading v, numbers bounded to 15 digits (the semver package
// refuses numbers above 2^53): the OpenAPI document states it (a client knows the rule before a 400),
// and the package is the authority on its meaning.
const SEMVER =
  /^v?(?:0|[1-9]\d{0,14})\.(?:0|[1-9]\d{0,14})\.(?:0|[1-9]\d{0,14})(?:-(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*)?(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?$/;
// YYYY.MM[.DD][.MICRO][-modifier]: the common calendar-versioning layouts (calver.org).
const CALVER = /^v?\d{4}\.(?:0?[1-9]|1[0-2])(?:\.(?:0?[1-9]|[12]\d|3[01]))?(?:\.\d+)?(?:-[0-9A-Za-z.-]+)?$/;
// No whitespace or control characters: a version is used as a tag and in URLs.
const ANY = /^[^\s\p{Cc}]{1,128}$/u;

const HOW: Record<VersionFormat, string> = {
  semver:
    "a semantic version MAJOR.MINOR.PATCH[-prerelease][+build], optionally prefixed with v (e.g. 1.4.0, v2.0.0-rc.1)",
  calver: "a calendar version YYYY.MM[.DD][.MICRO][-modifier], optionally prefixed with v (e.g. 2024.05.1)",
  any: "1 to 128 characters without spaces or control characters",
};

/**
 * Why `version` is not in `format`, as a sentence a person can act on; null when it is.
 * (semver's parser alone would also accept a leading `=` and surrounding spaces.)
 */
export function versionProblem(format: VersionFormat, version: string): string | null {
  const ok =
    format === "semver"
      ? version.length <= 128 && SEMVER.test(version) && semver.valid(version) !== null
      : format === "calver"
        ? version.length <= 128 && CALVER.test(version)
        : ANY.test(version);
  if (ok) return null;
  return `'${version}' is not ${HOW[format]}; this server requires ${format} versions (IMBI_RELEASES_VERSION_FORMAT).`;
}

/** Each format's rule as a JSON Schema pattern and words, for the OpenAPI document. */
export function versionRule(format: VersionFormat): { pattern: string; words: string } {
  const pattern = { semver: SEMVER, calver: CALVER, any: ANY }[format].source;
  return { pattern, words: HOW[format] };
}
