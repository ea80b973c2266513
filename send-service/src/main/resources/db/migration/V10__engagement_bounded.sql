-- Bounded engagement per activity, at a flat cost per hit (issue 18).
-- Opens and clicks keep their full payload up to a cap per activity (mailtrail.projection.engagement-payload-cap);
-- beyond it a row keeps what dedupe and the context rules read: the key, type, time, source, the edge's
-- classification, and now whether the edge was unsure (unknown, or human without a reason) and the clicked link.
ALTER TABLE activity_event ALTER COLUMN payload DROP NOT NULL;
ALTER TABLE activity_event
    ADD COLUMN unsure boolean NOT NULL DEFAULT false,
    ADD COLUMN link   text,
    -- the projection found the click in a burst: set when found, so a new click reads only the clicks around it
    ADD COLUMN burst  boolean NOT NULL DEFAULT false;

UPDATE activity_event SET
    unsure = classification = 'unknown'
        OR classification = 'human' AND jsonb_array_length(COALESCE(payload->'client'->'reasons', '[]')) = 0,
    link = payload->'click'->>'url'
WHERE type IN ('opened', 'clicked');

-- An activity's clicks by time: the clicks within a burst window of new ones, and the nearest counted click past a
-- window. Clicks only: an open needs nothing read, so a flood of opens writes no entry here.
CREATE INDEX activity_event_clicks ON activity_event (activity_id, occurred_at) WHERE type = 'clicked';

-- The burst flags of the clicks recorded so far, by the rule's own definition (a window of burst-window from a
-- click's time holding clicks on burst-links distinct links), with the configured rules as Flyway placeholders.
UPDATE activity_event c SET burst = true
WHERE c.type = 'clicked' AND c.link IS NOT NULL AND EXISTS (
    SELECT 1 FROM activity_event s
    WHERE s.activity_id = c.activity_id AND s.type = 'clicked' AND s.link IS NOT NULL
      AND c.occurred_at BETWEEN s.occurred_at AND s.occurred_at + interval '${burst_window_ms} milliseconds'
      AND (SELECT count(DISTINCT w.link) FROM activity_event w
           WHERE w.activity_id = s.activity_id AND w.type = 'clicked' AND w.link IS NOT NULL
             AND w.occurred_at BETWEEN s.occurred_at AND s.occurred_at + interval '${burst_window_ms} milliseconds')
          >= ${burst_links});

-- Activities already past the cap keep the payloads of their first opens and clicks (in the order applied).
UPDATE activity_event e SET payload = NULL
FROM (SELECT activity_id, event_id,
             row_number() OVER (PARTITION BY activity_id, type ORDER BY applied_at, event_id) AS n
      FROM activity_event WHERE type IN ('opened', 'clicked')) r
WHERE e.activity_id = r.activity_id AND e.event_id = r.event_id AND r.n > ${engagement_payload_cap};
