-- The reconciler's walk of Resend's webhook log: where the last complete walk may start stopping (the oldest event
-- not yet resolved; everything older is), and what it did about events it had to act on.
CREATE TABLE reconcile_cursor (
    webhook_id  text        PRIMARY KEY,
    event_id    text        NOT NULL,
    moved_at    timestamptz NOT NULL
);

CREATE TABLE reconcile_event (
    webhook_id        text        NOT NULL,
    event_id          text        NOT NULL,
    replays           integer     NOT NULL,
    last_replayed_at  timestamptz,
    refused           boolean     NOT NULL,
    touched_at        timestamptz NOT NULL,
    PRIMARY KEY (webhook_id, event_id)
);

CREATE INDEX reconcile_event_touched ON reconcile_event (touched_at);

-- The stuck-in-SENT sample reads only activities in SENT.
CREATE INDEX activity_state_sent ON activity_state (sent_at) WHERE status = 'SENT';
