-- Parked events whose email id is never linked (mail sent from the same Resend account by something else) are
-- deleted after a retention period: the sweep finds them by age.
CREATE INDEX parked_event_parked_at ON parked_event (parked_at);
