-- Outbound webhooks (issue 13): an organization's subscriptions and the deliveries of its change
-- events to them. Both live in SQL, not in the analytics store: a delivery is a queue entry whose
-- state (attempts, next attempt, lease, dead-lettered) changes transactionally, the per-project
-- order needs "is an earlier one still pending?" answered under a row lock, and the circuit
-- breaker is a counter on the subscription. The same table is the delivery log the API reads.

CREATE TABLE IF NOT EXISTS webhook_subscriptions (
  id text PRIMARY KEY,
  org_id text NOT NULL,
  url text NOT NULL,
  description text NOT NULL DEFAULT '',
  -- Empty filter arrays match everything.
  entity_types text[] NOT NULL DEFAULT '{}',
  actions text[] NOT NULL DEFAULT '{}',
  projects text[] NOT NULL DEFAULT '{}',
  teams text[] NOT NULL DEFAULT '{}',
  -- `whsec_…` encrypted with AES-256-GCM under IMBI_AUTH_ENCRYPTION_KEY (lib/auth/secret_box.ts).
  secret_enc text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Circuit breaker: consecutive failed attempts; while circuit_open_until is in the future nothing
  -- is sent to the subscription (its deliveries wait, they are not spent).
  consecutive_failures integer NOT NULL DEFAULT 0,
  circuit_open_until timestamptz
);
CREATE INDEX IF NOT EXISTS webhook_subscriptions_org_idx ON webhook_subscriptions (org_id, id);

CREATE TABLE IF NOT EXISTS webhook_deliveries (
  -- The Standard Webhooks `webhook-id`: the same on every attempt, so receivers deduplicate.
  id text PRIMARY KEY,
  subscription_id text NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
  -- Enqueue order; deliveries sharing an ordering key (the project) go out one at a time in it.
  seq bigserial NOT NULL,
  ordering_key text NOT NULL,
  event_type text NOT NULL,
  -- The exact body signed and sent (text, so every attempt sends the same bytes).
  payload text NOT NULL,
  -- pending → delivered, or → dead after the last attempt (a manual redelivery makes it pending).
  status text NOT NULL DEFAULT 'pending',
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- A dispatcher's claim; an expired lease (a crashed process) makes the row claimable again.
  locked_until timestamptz,
  last_attempt_at timestamptz,
  last_status integer,
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_due_idx ON webhook_deliveries (status, next_attempt_at)
  WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS webhook_deliveries_order_idx ON webhook_deliveries (subscription_id, ordering_key, seq)
  WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS webhook_deliveries_log_idx ON webhook_deliveries (subscription_id, seq);
