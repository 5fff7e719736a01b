-- Embedded twin of ../0005_audit_actor_credential.sql: the kind of actor that acted and the credential
-- label it used; '' on rows written before it. The index serves the exact credential filter
-- ("everything API key ik_… did"), newest first like the other audit indexes.
ALTER TABLE analytics.audit_log
    ADD COLUMN IF NOT EXISTS actor_kind text NOT NULL DEFAULT '',
    ADD COLUMN IF NOT EXISTS credential text NOT NULL DEFAULT '';

CREATE INDEX IF NOT EXISTS audit_log_credential_time_idx
    ON analytics.audit_log (credential, occurred_at DESC, id DESC);
