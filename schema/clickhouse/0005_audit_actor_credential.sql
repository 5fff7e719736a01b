-- Every audit row names what kind of actor acted and the credential it used (issue 10):
-- actor_kind is user | service_account | system | anonymous, credential is credentialLabel() of
-- lib/core/actor.ts (`api_key:ik_…`, `password:<session>`, `internal`), '' when none. Rows
-- written before this migration read '' for both.
-- 18.16 has no ADD COLUMN IF NOT EXISTS (19.x added it): the ledger runs this file once, and
-- the adapter treats "column already exists" from a concurrent migrator as done. Both columns
-- are one statement, so they are added together or not at all.
ALTER TABLE audit_log
    ADD COLUMN actor_kind String DEFAULT '' AFTER actor,
    ADD COLUMN credential String DEFAULT '' AFTER actor_kind;
