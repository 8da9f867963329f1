-- The audit trail of one object (a network's includes its IPs, whose ids start with the network's id and a slash)
CREATE INDEX audit_event_object ON audit_event (object_id text_pattern_ops, id DESC);
