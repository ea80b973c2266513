-- One row per activity: the projection's folded state. Columns for what is queried, jsonb for nested detail.
CREATE TABLE activity_state (
    activity_id          text        PRIMARY KEY,
    tenant_id            text,
    version              bigint      NOT NULL,
    status               text        NOT NULL,
    status_rank          smallint    NOT NULL,
    message_id           text,
    recipient            text,
    subject              text,
    open_tracking        text        NOT NULL,
    queued_at            timestamptz,
    scheduled_at         timestamptz,
    sent_at              timestamptz,
    first_delayed_at     timestamptz,
    delivered_at         timestamptz,
    first_opened_at      timestamptz,
    last_opened_at       timestamptz,
    open_count           bigint      NOT NULL DEFAULT 0,
    machine_open_count   bigint      NOT NULL DEFAULT 0,
    open_inferred        boolean     NOT NULL DEFAULT false,
    first_clicked_at     timestamptz,
    last_clicked_at      timestamptz,
    click_count          bigint      NOT NULL DEFAULT 0,
    machine_click_count  bigint      NOT NULL DEFAULT 0,
    links                jsonb       NOT NULL DEFAULT '[]',
    bounced_at           timestamptz,
    bounce               jsonb,
    complained_at        timestamptz,
    failed_at            timestamptz,
    failure_reason       text,
    suppressed_at        timestamptz,
    updated_at           timestamptz NOT NULL
);

-- Events that carry only Resend's email id are matched through it.
CREATE UNIQUE INDEX activity_state_message_id ON activity_state (message_id) WHERE message_id IS NOT NULL;

-- Every distinct event ever applied: the dedupe key (same transaction as the state change) and the timeline.
CREATE TABLE activity_event (
    event_id        text        PRIMARY KEY,
    activity_id     text        NOT NULL,
    type            text        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    source          text        NOT NULL,
    classification  text        NOT NULL,
    payload         jsonb       NOT NULL,
    applied_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX activity_event_timeline ON activity_event (activity_id, occurred_at);

-- Events that carry only Resend's email id, before any event told us which activity that id belongs to.
CREATE TABLE parked_event (
    event_id             text        PRIMARY KEY,
    provider_message_id  text        NOT NULL,
    payload              jsonb       NOT NULL,
    parked_at            timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX parked_event_message_id ON parked_event (provider_message_id);
