import { describe, expect, it } from "vitest";
import { driftSummary, type MatrixRow, matrixCells, type ReleaseDrift } from "./model";

const cell = (version: string | null, ref: string | null = null) => ({
  version,
  ref,
  status: "success" as const,
  deployment_id: `d-${version ?? ref}`,
  deployed_at: "2026-01-01T00:00:00.000Z",
});
const row = (environments: MatrixRow["environments"]): MatrixRow => ({
  project_id: "p",
  project_slug: "p",
  project_name: "P",
  environments,
});
const ENVS = ["development", "staging", "production"];

describe("matrixCells", () => {
  it("marks a version that has not reached the next environment, never the last one", () => {
    const cells = matrixCells(
      ENVS,
      row({ development: cell("1.5.0"), staging: cell("1.5.0"), production: cell("1.3.0") }),
    );
    expect(cells.map((c) => [c.label, c.aheadOf])).toEqual([
      ["1.5.0", null],
      ["1.5.0", "production"],
      ["1.3.0", null],
    ]);
  });

  it("counts a next environment never deployed to as drift, and leaves empty cells alone", () => {
    const cells = matrixCells(ENVS, row({ staging: cell("4.2.0") }));
    expect(cells.map((c) => [c.label, c.aheadOf])).toEqual([
      [null, null],
      ["4.2.0", "production"],
      [null, null],
    ]);
  });

  it("shows an unattached deployment's ref and compares it like a version", () => {
    const cells = matrixCells(
      ENVS,
      row({ development: cell(null, "7c1e9a4"), staging: cell("0.9.0"), production: cell("0.9.0") }),
    );
    expect(cells[0]).toMatchObject({ label: "7c1e9a4", unattached: true, aheadOf: "staging" });
    expect(cells[1]).toMatchObject({ label: "0.9.0", unattached: false, aheadOf: null });
  });
});

const release = (version: string) => ({
  id: version,
  project_id: "p",
  version,
  committish: null,
  title: "",
  notes: "",
  created_by: "a",
  created_at: "2026-01-01T00:00:00.000Z",
  open_blockers: 0,
  published_at: null,
  published_by: null,
  prerelease: false,
});
const drift = (d: Partial<ReleaseDrift>): ReleaseDrift => ({
  from: "staging",
  to: "production",
  from_current: null,
  to_current: null,
  in_sync: false,
  ahead: [],
  behind: [],
  ...d,
});

describe("driftSummary", () => {
  it("says how many releases one environment is ahead, with the plural right", () => {
    expect(
      driftSummary(
        drift({
          from_current: release("1.5.0"),
          to_current: release("1.3.0"),
          ahead: [release("1.5.0"), release("1.4.0")],
        }),
      ),
    ).toBe("Staging is 2 releases ahead of production.");
    expect(driftSummary(drift({ from_current: release("1.1.0"), ahead: [release("1.1.0")] }))).toBe(
      "Staging is 1 release ahead of production.",
    );
  });

  it("says when both run the same release, or nothing ran yet", () => {
    expect(
      driftSummary(drift({ from_current: release("3.2.0"), to_current: release("3.2.0"), in_sync: true })),
    ).toBe("staging and production run the same release (3.2.0).");
    expect(driftSummary(drift({}))).toMatch(/^Nothing has been deployed/);
  });

  it("names releases the target had that the source never did", () => {
    expect(
      driftSummary(
        drift({ from_current: release("2.0.0"), to_current: release("2.1.0"), behind: [release("2.1.0")] }),
      ),
    ).toBe("Production has 1 release staging never had.");
  });
});
