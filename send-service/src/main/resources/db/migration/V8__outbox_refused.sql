-- Outbox rows Kafka refuses for good (larger than it takes, ...), moved here with the reason so the relay moves on;
-- an operator may fix and re-insert them into outbox. The columns of outbox, then why and when.
CREATE TABLE outbox_refused (
    id            bigint      PRIMARY KEY, -- the row's id in outbox
    topic         text        NOT NULL,
    message_key   text        NOT NULL,
    payload       json        NOT NULL,
    supersedable  boolean     NOT NULL,
    created_at    timestamptz NOT NULL,
    reason        text        NOT NULL,
    refused_at    timestamptz NOT NULL DEFAULT now()
);
