-- Issue 26: the projection's cost per event in PostgreSQL.
--
-- Ids are compared byte for byte. The keys of the tables every event writes were text in the database's collation,
-- so each B-tree step compared them through the locale (strcoll): a tenth of the projection's backend CPU. They are
-- opaque ids, no person reads their order. Only the indexes on them are rebuilt (the heap keeps its bytes).
ALTER TABLE activity_event
    ALTER COLUMN activity_key TYPE text COLLATE "C",
    ALTER COLUMN event_id TYPE text COLLATE "C";
ALTER TABLE activity_state
    ALTER COLUMN tenant_id TYPE text COLLATE "C",
    ALTER COLUMN activity_id TYPE text COLLATE "C";
ALTER TABLE provider_message
    ALTER COLUMN message_id TYPE text COLLATE "C",
    ALTER COLUMN activity_key TYPE text COLLATE "C";

-- The outbox keeps what the relay publishes as text: the service wrote it with the wire mapping and the relay sends
-- its bytes, so PostgreSQL's JSON check on every row (one per state change) bought nothing.
ALTER TABLE outbox ALTER COLUMN payload TYPE text;
ALTER TABLE outbox_refused ALTER COLUMN payload TYPE text;
