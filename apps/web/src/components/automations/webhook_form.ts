// The webhook forms' logic, kept apart from the screens so it can be tested alone: the selectors
// each provider defaults to (the same as the API's, lib/webhooks/webhook_verbs.ts), the create
// body (only what differs from those defaults, so an empty field lets the API default), the
// settings' JSON Patch, and the server's rule errors.
import { ApiError } from "@/api/client";
import type { components } from "@/api/schema";

export type Webhook = components["schemas"]["InboundWebhook"];
export type Provider = Webhook["provider"];
export type CreateWebhook = components["schemas"]["CreateInboundWebhook"];

export const SELECTORS = [
  "identifier_source",
  "identifier_selector",
  "event_type_selector",
  "sender_selector",
] as const;
export type Selector = (typeof SELECTORS)[number];
export type Selectors = Record<Selector, string>;

export const PROVIDERS: { value: Provider; label: string }[] = [
  { value: "github", label: "GitHub (X-Hub-Signature-256)" },
  { value: "pagerduty", label: "PagerDuty (X-PagerDuty-Signature)" },
  { value: "generic", label: "Generic (X-Imbi-Signature)" },
];

export const PROVIDER_DEFAULTS: Record<Provider, Selectors> = {
  github: {
    identifier_source: "github",
    identifier_selector: "/repository/id",
    event_type_selector: "X-GitHub-Event",
    sender_selector: "/sender/login",
  },
  pagerduty: {
    identifier_source: "pagerduty",
    identifier_selector: "/event/data/service/id",
    event_type_selector: "/event/event_type",
    sender_selector: "",
  },
  generic: {
    identifier_source: "",
    identifier_selector: "/project/id",
    event_type_selector: "X-Imbi-Event",
    sender_selector: "",
  },
};

export const SELECTOR_LABELS: Record<Selector, { label: string; hint: string }> = {
  identifier_source: {
    label: "Identifier source",
    hint: "The key of the projects' identifiers the sender's ids are under (e.g. github).",
  },
  identifier_selector: {
    label: "Identifier selector",
    hint: "JSON Pointer into the body to the project's external id.",
  },
  event_type_selector: {
    label: "Event type selector",
    hint: "A header name, or a JSON Pointer into the body (leading /).",
  },
  sender_selector: {
    label: "Sender selector",
    hint: "JSON Pointer to who caused the delivery (recorded as performed by); empty for none.",
  },
};

export interface CreateForm extends Selectors {
  provider: Provider;
  slug: string;
  name: string;
  description: string;
  service_account: string;
}

/**
 * The create body: selectors only where they are set and differ from the provider's defaults (an
 * emptied one is left to the API, which applies the provider's default).
 */
export function createBody(f: CreateForm): CreateWebhook {
  const body: CreateWebhook = {
    slug: f.slug.trim(),
    name: f.name.trim(),
    service_account: f.service_account.trim(),
    provider: f.provider,
  };
  if (f.description.trim()) body.description = f.description.trim();
  const defaults = PROVIDER_DEFAULTS[f.provider];
  for (const k of SELECTORS) {
    const v = f[k].trim();
    if (v !== "" && v !== defaults[k]) body[k] = v;
  }
  return body;
}

export type JsonPatch = components["schemas"]["JsonPatch"];

/** `replace` operations for each field that changed. */
export function settingsPatch<T extends Record<string, unknown>>(before: T, after: T): JsonPatch {
  const ops: JsonPatch = [];
  for (const k of Object.keys(after)) {
    if (after[k] !== before[k]) ops.push({ op: "replace", path: `/${k}`, value: after[k] });
  }
  return ops;
}

/**
 * Parses the rules editor's text: the rules array, or why it is not one (shown before anything is
 * sent; the server checks the rules themselves).
 */
export function parseRules(text: string): { rules?: unknown[]; problem?: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { problem: `Not valid JSON: ${(e as Error).message}` };
  }
  if (!Array.isArray(value)) return { problem: "The rules must be a JSON array of rule objects." };
  return { rules: value };
}

/** Every error the server gave about the rules, as `rules.0.filter: message` lines, in order. */
export function ruleErrors(error: unknown): string[] {
  if (!(error instanceof ApiError)) return [];
  return (error.problem.errors ?? [])
    .map((e) => ({ field: e.location.replace(/^(body|json)\.?/, ""), message: e.message }))
    .filter((e) => e.field === "rules" || e.field.startsWith("rules.") || /^\d+\.value/.test(e.field))
    .map((e) => `${e.field}: ${e.message}`);
}
