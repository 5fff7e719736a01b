import { describe, expect, it } from "vitest";
import { versionProblem } from "./version.ts";

describe("versionProblem", () => {
  it("semver: accepts MAJOR.MINOR.PATCH with prerelease, build and a leading v", () => {
    for (const ok of ["0.0.1", "1.4.0", "v2.0.0-rc.1", "1.2.3-alpha.1+build.5", "10.20.30"])
      expect(versionProblem("semver", ok), ok).toBeNull();
    for (const bad of ["1.2", "1", "latest", "1.2.3.4", "01.2.3", "=1.2.3", " 1.2.3", "v 1.2.3", ""])
      expect(versionProblem("semver", bad), bad).toContain("semantic version");
  });

  it("calver: YYYY.MM[.DD][.MICRO][-modifier] (2024.05.32 is YYYY.MM.MICRO)", () => {
    expect(versionProblem("calver", "2024.05.32")).toBeNull();
    for (const ok of ["2024.05", "2024.5.1", "2024.12.31.3", "v2024.05.01-beta"])
      expect(versionProblem("calver", ok), ok).toBeNull();
    for (const bad of ["2024.13", "2024.00", "24.05", "1.2.3", "2024-05-01"])
      expect(versionProblem("calver", bad), bad).toContain("calendar version");
  });

  it("any: anything printable without spaces, up to 128 characters", () => {
    expect(versionProblem("any", "build-42/main")).toBeNull();
    expect(versionProblem("any", "has space")).toContain("without spaces");
    expect(versionProblem("any", "x".repeat(129))).toContain("1 to 128");
    expect(versionProblem("semver", "1.2")).toContain("IMBI_RELEASES_VERSION_FORMAT");
  });
});
