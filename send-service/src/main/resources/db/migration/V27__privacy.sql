-- Issue 24, privacy. What is remembered about a person is a salted hash of (tenant, normalised address), never the
-- address: whether they granted or denied tracking, and when they were erased (so a late event of an erased activity
-- is stored stripped, docs/design.md "Privacy").
CREATE TABLE recipient_privacy (
    address_hash  text        PRIMARY KEY, -- HMAC-SHA-256 of tenant and address, salted with MAILTRAIL_IP_HASH_SALT
    tracking      text,                    -- granted, denied, or null (never said)
    erased_at     timestamptz,
    updated_at    timestamptz NOT NULL
);

-- Hits of recipients who denied tracking: counted per tenant and day, nothing else (anonymous aggregate rates).
CREATE TABLE anonymous_engagement (
    tenant_id  text   NOT NULL,
    day        date   NOT NULL,
    type       text   NOT NULL, -- opened, clicked
    hits       bigint NOT NULL,
    PRIMARY KEY (tenant_id, day, type)
);

-- The retention sweep's candidates (updated_at: when the last fact was applied). BRIN, a summarizing index: since
-- PostgreSQL 16 it does not stop a state's updates from being heap-only (V7), which a B-tree on a column every fold
-- changes would. Rows are written roughly in updated_at order, so its ranges stay narrow enough for a daily sweep.
CREATE INDEX activity_state_retention ON activity_state USING brin (updated_at);

-- The sweep deletes an activity's email-id links with it.
CREATE INDEX provider_message_activity ON provider_message (activity_key);

-- A null payload is a tombstone: the sweep deletes a state from the compacted state topic too.
ALTER TABLE outbox ALTER COLUMN payload DROP NOT NULL;
