-- Idempotency keys are bounded per caller (V2): the newest keys of each caller are kept, the rest trimmed.
CREATE INDEX idempotent_request_caller ON idempotent_request (actor_subject, created_at DESC);
-- answers larger than this are not stored (a replay answers the status and location only)
ALTER TABLE idempotent_request ADD CONSTRAINT idempotent_request_body_size CHECK (octet_length(body) <= 65536);
