-- Issue 20, item 2 (numbered 20.2 beside the issue's other migrations): what our own tracking observes of an
-- activity's email (our pixel: opens; our redirect: clicks) and how many of the provider's opens and clicks of it
-- corroborate ours without being counted. Not queried, so jsonb beside the columns that are.
-- Existing rows know nothing of ours yet: their next hit of our own tracking proves it and recounts the activity,
-- moving the provider's opens (clicks) already counted to corroboration.
ALTER TABLE activity_state ADD COLUMN own_tracking jsonb NOT NULL
    DEFAULT '{"opens": false, "clicks": false, "corroboratingOpens": 0, "corroboratingClicks": 0}';
