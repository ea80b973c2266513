-- One index for the dedupe key and the timeline: an event always belongs to the same activity (its tag, or the
-- activity its Resend email id is linked to for good), so (activity_id, event_id) is as unique as event_id, and
-- it finds an activity's events as the timeline index did (the timeline is ordered in the service). Each applied
-- event now inserts into one btree instead of two.
ALTER TABLE activity_event DROP CONSTRAINT activity_event_pkey;
ALTER TABLE activity_event ADD PRIMARY KEY (activity_id, event_id);
DROP INDEX activity_event_timeline;
