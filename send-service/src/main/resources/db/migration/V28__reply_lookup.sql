-- The reply matcher's fallback (MessageIdLookup): the emails sent recently whose activity has no Message-ID kept yet,
-- newest first. Without these a reply that names no kept id would scan send_request and message_thread.
CREATE INDEX send_request_recently_sent ON send_request (updated_at DESC)
    WHERE status = 'SENT' AND provider_message_id IS NOT NULL;
CREATE INDEX message_thread_activity ON message_thread (tenant_id, activity_id);
