-- Honest follow-up (issue 20): "Sent, no open in N days" with engagement=strict keeps every activity that no
-- person was seen engaging with. Resend's opens carry no client data (unknown): they count as opens, and by default
-- still remove an activity from the list, but vouch for nobody. The human-classified opens and clicks among the
-- counted ones are counted on their own, by the same fold as the others.
ALTER TABLE activity_state
    ADD COLUMN human_open_count  bigint NOT NULL DEFAULT 0,
    ADD COLUMN human_click_count bigint NOT NULL DEFAULT 0,
    -- what the strict list's index predicate reads: it changes only on the first human hit (or when the last one
    -- turns out a machine's), so a repeated open or click stays a heap-only update, as V7 keeps them. Replies, once
    -- they exist, join this expression. Rewrites the table once (a stored generated column).
    ADD COLUMN human_engaged boolean GENERATED ALWAYS AS (human_open_count > 0 OR human_click_count > 0) STORED;

-- The hits already recorded: the edge said human, and the projection's context rules did not make it a machine's
-- (not in a click burst, not an unsure hit too soon after delivery, with the scanner window this service runs with).
-- An event's activity_key is its activity's tenant_id || ':' || activity_id (V11).
UPDATE activity_state s SET human_open_count = h.opens, human_click_count = h.clicks
FROM (SELECT a.tenant_id, a.activity_id,
             count(*) FILTER (WHERE e.type = 'opened') AS opens,
             count(*) FILTER (WHERE e.type = 'clicked') AS clicks
      FROM activity_event e JOIN activity_state a ON e.activity_key = a.tenant_id || ':' || a.activity_id
      WHERE e.type IN ('opened', 'clicked') AND e.classification = 'human' AND NOT e.burst
        AND NOT (e.unsure AND a.delivered_at IS NOT NULL
                 AND e.occurred_at < a.delivered_at + interval '${scanner_window_ms} milliseconds')
      GROUP BY a.tenant_id, a.activity_id) h
WHERE s.tenant_id = h.tenant_id AND s.activity_id = h.activity_id;

-- The strict follow-up list, written exactly as ActivityListing.FOLLOW_UP_STRICT so the planner can use it. Its rows
-- are a superset of the default list's (every human hit is a counted one), so the default index cannot serve it.
CREATE INDEX activity_state_follow_up_strict ON activity_state (tenant_id, sent_sort DESC, activity_id DESC)
    WHERE NOT human_engaged AND open_tracking = 'TRACKED'
      AND suppressed_at IS NULL AND failed_at IS NULL AND bounced_at IS NULL AND complained_at IS NULL;
