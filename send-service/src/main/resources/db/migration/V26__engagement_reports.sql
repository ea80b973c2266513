-- Issue 26: reports. The caller's tags of an activity (CallerTags: ours taken out), and rollups the projection keeps
-- in the transaction that changes the states: per tenant, dimension and UTC send day, how many activities were sent,
-- delivered, opened, ... (each activity counted once per key: engagement_rollup holds the sum of every state's
-- contribution, moved when a state changes).
ALTER TABLE activity_state ADD COLUMN tags jsonb NOT NULL DEFAULT '{}';

-- The caller's tags of the activities we sent, from their queued fact (activities we did not send learn theirs from
-- their next provider event). One pass over the table, once.
UPDATE activity_state s
SET tags = (e.payload->'tags') - 'mailtrail_recipients' - 'mailtrail_own_tracking' - 'mailtrail_open_tracking'
           - 'activity_id' - 'tenant_id' - 'recipient_index'
FROM activity_event e
WHERE e.event_id = 'send:' || s.tenant_id || ':' || s.activity_id || ':queued'
  AND jsonb_typeof(e.payload->'tags') = 'object';

-- dimension: 'all' (value ''), 'tag:<name>' (value: the tag's value), 'link' (value: the URL).
CREATE TABLE engagement_rollup (
    tenant_id            text   NOT NULL,
    dimension            text   NOT NULL,
    value                text   NOT NULL,
    day                  date   NOT NULL,
    sent                 bigint NOT NULL DEFAULT 0,
    delivered            bigint NOT NULL DEFAULT 0,
    bounced              bigint NOT NULL DEFAULT 0,
    complained           bigint NOT NULL DEFAULT 0,
    failed               bigint NOT NULL DEFAULT 0,
    suppressed           bigint NOT NULL DEFAULT 0,
    opened               bigint NOT NULL DEFAULT 0,
    human_opened         bigint NOT NULL DEFAULT 0,
    machine_only_opened  bigint NOT NULL DEFAULT 0,
    clicked              bigint NOT NULL DEFAULT 0,
    human_clicked        bigint NOT NULL DEFAULT 0,
    replied              bigint NOT NULL DEFAULT 0,
    unsubscribed         bigint NOT NULL DEFAULT 0
);

-- The upsert's key and the report's index: a tenant's dimension over a range of days. The value by its hash: a URL
-- may be 8 KiB, more than a B-tree entry holds.
CREATE UNIQUE INDEX engagement_rollup_key ON engagement_rollup (tenant_id, dimension, day, md5(value));

-- The one-off backfill of the states that existed before the rollups (RollupBackfill): the last activity it added,
-- in activity_state's key order; done once it found none past it. Nothing to add when there are no states yet.
CREATE TABLE engagement_rollup_backfill (
    one          boolean PRIMARY KEY DEFAULT true CHECK (one),
    tenant_id    text,
    activity_id  text,
    done         boolean NOT NULL
);
INSERT INTO engagement_rollup_backfill (done) SELECT NOT EXISTS (SELECT 1 FROM activity_state);
