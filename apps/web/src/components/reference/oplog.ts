// The operations log's entry types, URL filters and date conversions (shared by the feed and tests).
import type { components } from "@/api/schema";

export type EntryType = components["schemas"]["OperationEntry"]["entry_type"];

export const ENTRY_TYPES: EntryType[] = [
  "Configured",
  "Decommissioned",
  "Deployed",
  "Migrated",
  "Provisioned",
  "Restarted",
  "Rolled Back",
  "Scaled",
  "Upgraded",
];

/** The filters the URL holds, by query parameter. */
export const FILTERS = [
  "project_id",
  "environment_slug",
  "entry_type",
  "performed_by",
  "ticket_slug",
  "q",
  "since",
  "until",
] as const;

/** A `YYYY-MM-DD` date input as the API's instant: the start of that day (UTC) for since, its end for until. */
export function dayToInstant(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  return end ? `${day}T23:59:59.999Z` : `${day}T00:00:00Z`;
}

/** A `datetime-local` value as an ISO instant with seconds (the API wants Z or an offset). */
export function localToInstant(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
