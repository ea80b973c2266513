-- One row per accepted send request (= CRM activity). The email is computed once at acceptance (our tracking
-- included) and every attempt sends exactly these bytes.
CREATE TABLE send_request (
    activity_id          text        PRIMARY KEY,
    tenant_id            text        NOT NULL,
    fingerprint          text        NOT NULL, -- SHA-256 of the request: same again = duplicate, other = conflict
    email                json        NOT NULL, -- Resend's POST /emails body; json, not jsonb: kept byte for byte
    open_tracking        text        NOT NULL,
    status               text        NOT NULL, -- QUEUED, then SENT, FAILED or REVIEW
    dispatch_key         text,                 -- the call it goes out in (send_dispatch); null until one is formed
    dispatch_index       int,                  -- its position in a batch's array
    provider_message_id  text,
    failure_reason       text,
    accepted_at          timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL
);

CREATE INDEX send_request_undispatched ON send_request (accepted_at) WHERE dispatch_key IS NULL;
CREATE INDEX send_request_members ON send_request (dispatch_key, dispatch_index) WHERE dispatch_key IS NOT NULL;
CREATE INDEX send_request_queued ON send_request (activity_id) WHERE status = 'QUEUED';

-- One call to Resend under one Idempotency-Key, retried as it is until it has an outcome: send/<activityId> on
-- POST /emails, or batch/<uuid> on POST /emails/batch with members fixed (send_request.dispatch_*) before the first
-- attempt. next_attempt_at is also the lease of an attempt in flight: a replica that dies mid-call leaves it to be
-- taken over then, under the same key.
CREATE TABLE send_dispatch (
    idempotency_key   text        PRIMARY KEY,
    batch             boolean     NOT NULL,
    attempts          int         NOT NULL,
    first_attempt_at  timestamptz NOT NULL, -- Resend remembers the key 24 h from (at the earliest) here
    in_doubt          boolean     NOT NULL, -- an attempt may have sent: retry only inside the key's window
    next_attempt_at   timestamptz NOT NULL,
    last_outcome      text,
    finished_at       timestamptz
);

CREATE INDEX send_dispatch_due ON send_dispatch (next_attempt_at) WHERE finished_at IS NULL;
