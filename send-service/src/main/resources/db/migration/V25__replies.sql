-- Replies (issue 25). The first reply by a person and how many there were (auto-replies are only in the timeline).
ALTER TABLE activity_state
    ADD COLUMN replied_at  timestamptz,
    ADD COLUMN reply_count bigint NOT NULL DEFAULT 0;

-- The Message-ID Resend gave each sent email (reported from email.sent on), to match a reply's In-Reply-To and
-- References. One row per message: bounded by what was sent, as activity_state is; the first activity to claim an
-- id keeps it.
CREATE TABLE message_thread (
    message_id  text PRIMARY KEY,
    tenant_id   text NOT NULL,
    activity_id text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- A reply takes an activity off both follow-up lists: the predicates (ActivityListing.FOLLOW_UP, FOLLOW_UP_STRICT)
-- gain "replied_at IS NULL", set once like the other timestamps there, so their indexes are rebuilt with it.
DROP INDEX activity_state_follow_up;
CREATE INDEX activity_state_follow_up ON activity_state (tenant_id, sent_sort DESC, activity_id DESC)
    WHERE first_opened_at IS NULL AND first_clicked_at IS NULL AND open_tracking = 'TRACKED'
      AND suppressed_at IS NULL AND failed_at IS NULL AND bounced_at IS NULL AND complained_at IS NULL
      AND replied_at IS NULL;

DROP INDEX activity_state_follow_up_strict;
CREATE INDEX activity_state_follow_up_strict ON activity_state (tenant_id, sent_sort DESC, activity_id DESC)
    WHERE NOT human_engaged AND open_tracking = 'TRACKED'
      AND suppressed_at IS NULL AND failed_at IS NULL AND bounced_at IS NULL AND complained_at IS NULL
      AND replied_at IS NULL;
