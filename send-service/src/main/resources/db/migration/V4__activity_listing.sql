-- Listing order for CRM lists: newest send first; unsent activities (queued, scheduled, failed before send) first
-- of all. "Sent" is deliveredAt when Resend's sent event has not arrived (yet).
ALTER TABLE activity_state
    ADD COLUMN sent_sort timestamptz GENERATED ALWAYS AS (COALESCE(sent_at, delivered_at, 'infinity'::timestamptz)) STORED;

CREATE INDEX activity_state_listing ON activity_state (tenant_id, sent_sort DESC, activity_id DESC);

-- "Sent, no open in N days": only the rows a follow-up list can contain, in listing order.
CREATE INDEX activity_state_follow_up ON activity_state (tenant_id, sent_sort DESC, activity_id DESC)
    WHERE open_count = 0 AND click_count = 0 AND open_tracking = 'TRACKED'
      AND status NOT IN ('SUPPRESSED', 'FAILED', 'BOUNCED', 'COMPLAINED');
