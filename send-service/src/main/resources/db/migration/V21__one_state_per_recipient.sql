-- Issue 20: a tracked email to several recipients goes out as one message per recipient (to, then cc, then bcc, by
-- index), each a send_request row of its own under its own Idempotency-Key. recipient_index is 0 for the only message
-- of every other email (and of every request accepted before); per_recipient says the activity's messages are one per
-- recipient (their facts, tags and keys name the index).
ALTER TABLE send_request ADD COLUMN recipient_index smallint NOT NULL DEFAULT 0;
ALTER TABLE send_request ADD COLUMN per_recipient boolean NOT NULL DEFAULT false;
ALTER TABLE send_request DROP CONSTRAINT send_request_pkey;
ALTER TABLE send_request ADD PRIMARY KEY (tenant_id, activity_id, recipient_index);
DROP INDEX send_request_undispatched_by_tenant;
CREATE INDEX send_request_undispatched_by_tenant ON send_request (tenant_id, accepted_at, activity_id, recipient_index)
    WHERE dispatch_key IS NULL;

-- One entry per recipient of such an email (ActivityState.recipients); empty for an email sent as one message.
ALTER TABLE activity_state ADD COLUMN recipients jsonb NOT NULL DEFAULT '[]';
