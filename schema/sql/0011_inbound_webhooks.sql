-- The inbound webhook gateway (issue 13; ADR 0014): an organization's webhooks (where senders such
-- as GitHub POST, with the secret their signature is checked against, the selectors and the ordered
-- rules) and the deliveries received on them. A received delivery is stored before it is answered
-- (202), and its row is the work item the processor claims: status, attempts, lease and the outcome
-- of every rule live here, so a retry re-runs only what failed and a replay re-runs the stored body.
CREATE TABLE IF NOT EXISTS webhooks (
  -- `whk_` + 21 characters: the unguessable public path POST /webhooks/{id}.
  id text PRIMARY KEY,
  org_id text NOT NULL,
  slug text NOT NULL,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  -- github | pagerduty | generic: which signature scheme the receiver verifies.
  provider text NOT NULL,
  -- Encrypted with AES-256-GCM under IMBI_AUTH_ENCRYPTION_KEY (lib/auth/secret_box.ts).
  secret_enc text NOT NULL,
  -- The key of the projects' `identifiers` map this sender's ids live under (e.g. `github`), and
  -- the JSON Pointer into the body that gives the id (e.g. `/repository/id`).
  identifier_source text NOT NULL,
  identifier_selector text NOT NULL,
  -- A header name, or a JSON Pointer into the body (leading `/`), giving the event type.
  event_type_selector text NOT NULL,
  -- A JSON Pointer to the sender's name, recorded as who performed a deployment (may be empty).
  sender_selector text NOT NULL DEFAULT '',
  -- The service account the rules' actions run as (least privilege: its role in the organization).
  service_account text NOT NULL,
  -- The ordered rules, as JSON text: [{name, filter, action, config, enabled}].
  rules text NOT NULL DEFAULT '[]',
  active boolean NOT NULL DEFAULT true,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT webhooks_org_slug_key UNIQUE (org_id, slug)
);

CREATE TABLE IF NOT EXISTS webhook_receipts (
  -- `whd_` + 21 characters.
  id text PRIMARY KEY,
  webhook_id text NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  seq bigserial NOT NULL,
  -- The sender's delivery id (X-GitHub-Delivery, X-Webhook-Id, X-Imbi-Delivery): a redelivery of
  -- the same id is acknowledged without being stored or processed again.
  external_id text,
  event_type text NOT NULL DEFAULT '',
  -- Lower-cased, secrets redacted (lib/webhooks/delivery.ts), as JSON text.
  headers text NOT NULL,
  -- The body exactly as received (a replay runs the same bytes).
  body text NOT NULL,
  -- pending → processed, or → dead after the last attempt; a replay makes it pending again.
  status text NOT NULL DEFAULT 'pending',
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  -- JSON text: the project ids matched, and one outcome per (project, rule).
  matched_projects text NOT NULL DEFAULT '[]',
  outcomes text NOT NULL DEFAULT '[]',
  last_error text,
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS webhook_receipts_external_idx ON webhook_receipts (webhook_id, external_id)
  WHERE external_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS webhook_receipts_due_idx ON webhook_receipts (next_attempt_at)
  WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS webhook_receipts_log_idx ON webhook_receipts (webhook_id, seq);
