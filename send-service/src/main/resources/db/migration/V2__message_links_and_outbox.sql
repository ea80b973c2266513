-- Resend email id -> activity, from every tagged event, kept for good: untagged events resolve through it. A second
-- email id of one activity (or a disagreement) would not fit a unique index on activity_state, so that one goes.
DROP INDEX activity_state_message_id;

CREATE TABLE provider_message (
    message_id   text        PRIMARY KEY,
    activity_id  text        NOT NULL,
    linked_at    timestamptz NOT NULL DEFAULT now()
);

-- What must be published after a commit, written in the same transaction. The relay publishes in id order
-- and deletes what Kafka acknowledged. supersedable: only the newest row per (topic, message_key) needs
-- publishing (a state on a compacted topic); otherwise every row is published (facts).
CREATE TABLE outbox (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic         text        NOT NULL,
    message_key   text        NOT NULL,
    payload       json        NOT NULL, -- json, not jsonb: kept byte for byte as written
    supersedable  boolean     NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
