import { z } from "@hono/zod-openapi";
import { ENTRY_TYPES } from "../../lib/analytics/operations.ts";
import { instant, projectRef, slug } from "../../lib/http/fields.ts";
import { PageQuerySchema, pageOf } from "../../lib/http/pagination.ts";

const optText = (max: number, description: string, example: string) =>
  z.string().min(1).max(max).nullable().optional().openapi({ description, example });

const EntryType = z.enum(ENTRY_TYPES).openapi({ description: "Kind of change", example: "Deployed" });
const ProjectId = z
  .string()
  .min(1)
  .max(128)
  .openapi({ description: "Project id (Nano-ID)", example: "V1StGXR8_Z5jdHi6B-myT" });

/** Fields a client sets on create and may patch. */
const writableShape = {
  environment_slug: slug("Environment slug in the project's organization", "production"),
  entry_type: EntryType,
  description: z
    .string()
    .min(1)
    .max(4096)
    .openapi({ description: "What was done", example: "Deployed v1.2.3" }),
  occurred_at: instant("When it happened (default: now)").optional(),
  completed_at: instant("When it finished").nullable().optional(),
  performed_by: optText(320, "Who did it", "ada@example.com"),
  link: z
    .url()
    .max(2048)
    .nullable()
    .optional()
    .openapi({ description: "CI run, dashboard, …", example: "https://ci.example.com/runs/42" }),
  notes: optText(16384, "Free-form notes (Markdown)", "Rolled out in two waves"),
  ticket_slug: optText(128, "Change ticket", "OPS-123"),
  version: optText(256, "Version deployed (free-form)", "v1.2.3"),
};

export const CreateOperationEntrySchema = z
  .object({ project_id: ProjectId, ...writableShape })
  .strict()
  .openapi("CreateOperationEntry");

export const OperationEntrySchema = z
  .object({
    id: z.string().openapi({ description: "Entry id", example: "ops_V1StGXR8_Z5jdHi6B" }),
    organization: z.string().openapi({ description: "Organization slug of the project", example: "acme" }),
    project_id: ProjectId,
    environment_slug: z.string().openapi({ description: "Environment slug", example: "production" }),
    entry_type: EntryType,
    description: z.string().openapi({ description: "What was done", example: "Deployed v1.2.3" }),
    occurred_at: z.string().openapi({ description: "When it happened", example: "2024-05-01T12:00:00.000Z" }),
    completed_at: z.string().nullable().openapi({ description: "When it finished", example: null }),
    performed_by: z.string().nullable().openapi({ description: "Who did it", example: "ada@example.com" }),
    recorded_by: z
      .string()
      .openapi({ description: "Who recorded it (the principal)", example: "ada@example.com" }),
    recorded_at: z
      .string()
      .openapi({ description: "When it was recorded", example: "2024-05-01T12:00:01.000Z" }),
    link: z.string().nullable().openapi({ description: "CI run, dashboard, …", example: null }),
    notes: z.string().nullable().openapi({ description: "Free-form notes", example: null }),
    ticket_slug: z.string().nullable().openapi({ description: "Change ticket", example: "OPS-123" }),
    version: z.string().nullable().openapi({ description: "Version deployed", example: "v1.2.3" }),
    row_version: z
      .number()
      .int()
      .openapi({ description: "Row version; grows with every change", example: 1714564800000 }),
  })
  .openapi("OperationEntry");

export const OperationEntryPageSchema = pageOf(OperationEntrySchema, "OperationEntryPage");

/** Filters shared by the list and the metrics. */
const filterShape = {
  project_id: ProjectId.optional(),
  environment_slug: z
    .string()
    .max(128)
    .optional()
    .openapi({ description: "Environment slug", example: "production" }),
  entry_type: EntryType.optional(),
  performed_by: z
    .string()
    .max(320)
    .optional()
    .openapi({ description: "Who did it", example: "ada@example.com" }),
  ticket_slug: z.string().max(128).optional().openapi({ description: "Change ticket", example: "OPS-123" }),
  q: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .openapi({ description: "Text the description contains", example: "v1.2" }),
  since: instant("Entries that occurred at or after this instant").optional(),
  until: instant("Entries that occurred before this instant").optional(),
};
const OrgFilter = {
  organization: slug("Organization slug; required unless you are an administrator", "acme").optional(),
};

export const OperationListQuerySchema = PageQuerySchema.extend({ ...OrgFilter, ...filterShape }).strict();
export const OperationMetricsQuerySchema = z.object({ ...OrgFilter, ...filterShape }).strict();
export const ProjectOperationListQuerySchema = PageQuerySchema.extend(
  z.object(filterShape).omit({ project_id: true }).shape,
).strict();

export const OperationMetricsSchema = z
  .object({
    total: z.number().int().openapi({ description: "Entries matching the filter", example: 42 }),
    projects: z.number().int().openapi({ description: "Distinct projects", example: 7 }),
    by_entry_type: z
      .record(z.string(), z.number().int())
      .openapi({ description: "Counts per entry type", example: { Deployed: 40, Restarted: 2 } }),
    by_environment: z
      .record(z.string(), z.number().int())
      .openapi({ description: "Counts per environment", example: { production: 30, staging: 12 } }),
  })
  .openapi("OperationMetrics");

export const EntryParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .openapi({
      param: { in: "path", name: "id" },
      description: "Entry id",
      example: "ops_V1StGXR8_Z5jdHi6B",
    }),
});

export const ProjectParamSchema = z.object({
  org: slug("Organization slug", "acme").openapi({ param: { in: "path", name: "org" } }),
  project_id: projectRef("The project", "project_id"),
});

export const EventSchema = z
  .object({
    id: z.string().openapi({ description: "Event id", example: "evt_V1StGXR8_Z5jdHi6B" }),
    occurred_at: z
      .string()
      .openapi({ description: "When the change happened", example: "2024-05-01T12:00:00.000Z" }),
    organization: z.string().openapi({ description: "Organization slug", example: "acme" }),
    entity_type: z.string().openapi({ description: "What changed", example: "project" }),
    entity_id: z.string().openapi({ description: "Id of what changed", example: "V1StGXR8_Z5jdHi6B-myT" }),
    action: z
      .enum(["created", "updated", "deleted"])
      .openapi({ description: "Kind of change", example: "updated" }),
    field: z.string().openapi({ description: "Top-level field, or * for the whole entity", example: "name" }),
    // Any JSON value. z.json() is recursive, which the OpenAPI generator cannot walk.
    old_value: z.unknown().openapi({
      description: "Value before (JSON); {__raw__, __error__} if unreadable",
      example: "Old name",
    }),
    new_value: z.unknown().openapi({ description: "Value after (JSON)", example: "New name" }),
    principal: z.string().openapi({ description: "Who made the change", example: "ada@example.com" }),
    request_id: z
      .string()
      .openapi({ description: "Request that made the change", example: "req_V1StGXR8Z5jdHi6B" }),
  })
  .openapi("Event");

export const EventPageSchema = pageOf(EventSchema, "EventPage");

const eventFilterShape = {
  field: z.string().max(256).optional().openapi({ description: "Changed field", example: "name" }),
  principal: z
    .string()
    .max(320)
    .optional()
    .openapi({ description: "Who made the change", example: "ada@example.com" }),
  action: z
    .enum(["created", "updated", "deleted"])
    .optional()
    .openapi({ description: "Kind of change", example: "updated" }),
  since: instant("Events at or after this instant").optional(),
  until: instant("Events before this instant").optional(),
};

export const EventListQuerySchema = PageQuerySchema.extend({
  organization: slug("Organization slug", "acme").optional(),
  entity_type: z.string().max(64).optional().openapi({ description: "Entity type", example: "project" }),
  entity_id: z
    .string()
    .max(128)
    .optional()
    .openapi({ description: "Entity id", example: "V1StGXR8_Z5jdHi6B-myT" }),
  ...eventFilterShape,
}).strict();

export const ProjectEventListQuerySchema = PageQuerySchema.extend(eventFilterShape).strict();
