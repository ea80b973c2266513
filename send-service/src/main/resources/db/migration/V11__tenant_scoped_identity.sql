-- An activity is (tenant_id, activity_id): the same CRM activity id in two tenants is two activities (issue 19).
-- The projection's own tables key an activity by the text form of that pair, tenant_id || ':' || activity_id
-- (ActivityKey.value(), the Kafka key of the activity's events and state): neither id may hold a colon. Activities
-- recorded before that never named a tenant keep the empty tenant.

-- Before activity_state's key changes, while activity_id alone still names one state.
ALTER TABLE activity_event RENAME COLUMN activity_id TO activity_key;
UPDATE activity_event e
SET activity_key = COALESCE((SELECT s.tenant_id FROM activity_state s WHERE s.activity_id = e.activity_key), '')
    || ':' || e.activity_key;

ALTER TABLE provider_message RENAME COLUMN activity_id TO activity_key;
UPDATE provider_message m
SET activity_key = COALESCE((SELECT s.tenant_id FROM activity_state s WHERE s.activity_id = m.activity_key), '')
    || ':' || m.activity_key;

UPDATE activity_state SET tenant_id = '' WHERE tenant_id IS NULL;
ALTER TABLE activity_state ALTER COLUMN tenant_id SET NOT NULL;
ALTER TABLE activity_state DROP CONSTRAINT activity_state_pkey;
ALTER TABLE activity_state ADD PRIMARY KEY (tenant_id, activity_id);
-- an all-tenant token's GET /api/crm/activities/{activityId} without tenantId looks the id up in every tenant
CREATE INDEX activity_state_activity_id ON activity_state (activity_id);

ALTER TABLE send_request DROP CONSTRAINT send_request_pkey;
ALTER TABLE send_request ADD PRIMARY KEY (tenant_id, activity_id);
