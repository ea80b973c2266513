-- Issue 22: a tenant's suppression list. One entry per (tenant, normalised address: trimmed, lower-cased), kept
-- with the first reason and activity that put it there; the projection writes it in the transaction of the fact
-- that caused it, the API adds (manual) and removes entries. Read before every send.
CREATE TABLE suppression (
    tenant_id    text        NOT NULL,
    address      text        NOT NULL,
    reason       text        NOT NULL, -- hard_bounce, complaint, provider, unsubscribe, manual, soft_bounce_limit
    activity_id  text,                 -- the activity whose fact caused it; null for manual entries
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, address)
);
-- GET /api/crm/suppressions?reason=: the page in address order within one reason
CREATE INDEX suppression_by_reason ON suppression (tenant_id, reason, address);

-- Soft bounces per address: a count within a 30-day window that starts at the first one, not a row per bounce, so
-- the table holds at most one row per address ever mailed.
CREATE TABLE soft_bounce (
    tenant_id     text        NOT NULL,
    address       text        NOT NULL,
    window_start  timestamptz NOT NULL,
    bounces       int         NOT NULL,
    PRIMARY KEY (tenant_id, address)
);

-- The bare, normalised addresses of each message (to, cc, bcc), so the sender checks them before the first attempt;
-- null for requests accepted before (checked at acceptance only).
ALTER TABLE send_request ADD COLUMN recipients text[];

-- A removed entry is a tombstone on the compacted crm.email.suppressions: an outbox row without a payload.
ALTER TABLE outbox ALTER COLUMN payload DROP NOT NULL;
ALTER TABLE outbox_refused ALTER COLUMN payload DROP NOT NULL;
