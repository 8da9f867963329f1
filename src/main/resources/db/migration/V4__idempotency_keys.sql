-- Answers to writes sent with an Idempotency-Key (api.md), kept 24 hours; see dev.netportal.api.Idempotency.
CREATE TABLE idempotent_request (
    actor_subject text        NOT NULL,
    key           text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    fingerprint   text        NOT NULL,
    status        smallint,
    location      text,
    body          text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (actor_subject, key)
);
CREATE INDEX idempotent_request_age ON idempotent_request (created_at);
