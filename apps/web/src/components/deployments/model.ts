// What the deployment screens compute from the API's answers: status labels and tones, the
// what's-deployed-where cells with drift (a cell whose version has not reached the next
// environment yet), and the sentence that sums up the drift between two environments.
import type { components } from "@/api/schema";

export type DeploymentStatus = components["schemas"]["Deployment"]["status"];
export type MatrixRow = components["schemas"]["DeploymentMatrixRow"];
export type ReleaseDrift = components["schemas"]["ReleaseDrift"];

export const STATUSES: readonly DeploymentStatus[] = [
  "pending",
  "in_progress",
  "success",
  "failed",
  "rolled_back",
];

export const STATUS_LABEL: Record<DeploymentStatus, string> = {
  pending: "Pending",
  in_progress: "In progress",
  success: "Succeeded",
  failed: "Failed",
  rolled_back: "Rolled back",
};

export const STATUS_TONE: Record<DeploymentStatus, "muted" | "default" | "good" | "bad" | "warn"> = {
  pending: "muted",
  in_progress: "default",
  success: "good",
  failed: "bad",
  rolled_back: "warn",
};

/** What a deployment shipped, as a person reads it: the release's version, else the reported ref. */
export const shipped = (d: { version: string | null; ref: string | null }): string =>
  d.version ?? d.ref ?? "—";

export interface MatrixCell {
  environment: string;
  /** The version (or ref when unattached); null when never deployed there. */
  label: string | null;
  unattached: boolean;
  status: DeploymentStatus | null;
  deploymentId: string | null;
  deployedAt: string | null;
  /** The next environment (in display order) whose version differs from this one's; null when none. */
  aheadOf: string | null;
}

/**
 * One matrix row as cells in the environments' display order. A deployed cell drifts when the next
 * environment runs something else (or nothing yet): that version has not been promoted. The last
 * environment never drifts; an empty cell has nothing to promote.
 */
export function matrixCells(environments: readonly string[], row: MatrixRow): MatrixCell[] {
  return environments.map((env, i) => {
    const cell = row.environments[env];
    const label = cell ? shipped(cell) : null;
    const next = environments[i + 1];
    const nextCell = next === undefined ? undefined : row.environments[next];
    const nextLabel = nextCell ? shipped(nextCell) : null;
    return {
      environment: env,
      label,
      unattached: cell ? cell.version === null : false,
      status: cell?.status ?? null,
      deploymentId: cell?.deployment_id ?? null,
      deployedAt: cell?.deployed_at ?? null,
      aheadOf: label !== null && next !== undefined && nextLabel !== label ? next : null,
    };
  });
}

const releases = (n: number) => `${n} release${n === 1 ? "" : "s"}`;

/** "staging is 2 releases ahead of production", or that they are in sync, in one sentence. */
export function driftSummary(d: ReleaseDrift): string {
  if (!d.from_current && !d.to_current)
    return `Nothing has been deployed successfully to ${d.from} or ${d.to} yet.`;
  if (d.in_sync) return `${d.from} and ${d.to} run the same release (${d.from_current?.version ?? "—"}).`;
  const parts: string[] = [];
  if (d.ahead.length > 0) parts.push(`${d.from} is ${releases(d.ahead.length)} ahead of ${d.to}`);
  if (d.behind.length > 0) parts.push(`${d.to} has ${releases(d.behind.length)} ${d.from} never had`);
  if (parts.length === 0)
    return `${d.from} runs ${d.from_current?.version ?? "nothing"} and ${d.to} runs ${d.to_current?.version ?? "nothing"}.`;
  const s = parts.join("; ");
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
}
