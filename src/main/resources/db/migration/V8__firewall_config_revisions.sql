-- Desired firewall configurations (R4, D1, D4): every change that alters a firewall's rendered configuration stores
-- a new revision in the same transaction as the change (an outbox); the sync row says what the agent runs.

CREATE TABLE firewall_config (
    firewall_id uuid        NOT NULL REFERENCES machine ON DELETE CASCADE,
    revision    integer     NOT NULL CHECK (revision >= 1),
    hash        text        NOT NULL,
    frr         text        NOT NULL,
    nftables    text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (firewall_id, revision)
);

CREATE TYPE firewall_sync_state AS ENUM ('PENDING', 'IN_SYNC', 'FAILING');

CREATE TABLE firewall_sync (
    firewall_id      uuid                PRIMARY KEY REFERENCES machine ON DELETE CASCADE,
    desired_revision integer             NOT NULL,
    applied_revision integer             NOT NULL DEFAULT 0,
    state            firewall_sync_state NOT NULL DEFAULT 'PENDING',
    last_error       text,
    attempts         integer             NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    agent_url        text,
    -- a dispatcher instance holds the firewall until then while it delivers (D2)
    leased_by        text,
    lease_until      timestamptz,
    CHECK (applied_revision <= desired_revision),
    CHECK ((state = 'IN_SYNC') = (applied_revision = desired_revision))
);
CREATE INDEX firewall_sync_due ON firewall_sync (next_attempt_at) WHERE state <> 'IN_SYNC';
