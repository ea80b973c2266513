-- Issue 22: the earliest RFC 8058 one-click unsubscribe of the activity (any recipient's; each recipient's own is in
-- recipients). Not a status: an unsubscribe moves no rank.
ALTER TABLE activity_state ADD COLUMN unsubscribed_at timestamptz;
