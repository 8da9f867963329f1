-- One-way promotion of private networks to shared networks, with an admin approval queue (rules S1-S5).

CREATE TYPE share_request_status AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN');

CREATE TABLE share_request (
    id                uuid                 PRIMARY KEY,
    network_id        uuid                 NOT NULL REFERENCES network ON DELETE CASCADE,
    project_id        text                 NOT NULL REFERENCES project,
    requested_by      text                 NOT NULL,
    requested_by_name text                 NOT NULL,
    reason            text                 NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
    nat_type          nat_type             NOT NULL,
    status            share_request_status NOT NULL DEFAULT 'PENDING',
    decided_by        text,
    decided_by_name   text,
    comment           text                 CHECK (length(comment) <= 2000),
    created_at        timestamptz          NOT NULL DEFAULT now(),
    decided_at        timestamptz,
    -- a request is decided (or withdrawn) exactly when it is no longer pending
    CHECK ((status = 'PENDING') = (decided_at IS NULL)),
    CHECK ((status IN ('APPROVED', 'REJECTED')) = (decided_by IS NOT NULL)),
    -- S2: a rejection says why; nobody decides a request they filed
    CHECK (status <> 'REJECTED' OR coalesce(length(btrim(comment)), 0) > 0),
    CHECK (decided_by IS NULL OR decided_by <> requested_by)
);
-- S1: at most one pending request per network
CREATE UNIQUE INDEX share_request_one_pending ON share_request (network_id) WHERE status = 'PENDING';
CREATE INDEX share_request_queue ON share_request (created_at, id) WHERE status = 'PENDING';
CREATE INDEX share_request_project ON share_request (project_id, created_at DESC);

-- S4: a shared network never becomes private again, whoever runs the UPDATE
CREATE FUNCTION network_stays_shared() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.type = 'CHILD_SHARED' AND NEW.type IS DISTINCT FROM 'CHILD_SHARED' THEN
        RAISE EXCEPTION 'network % is shared and can never become % again (S4-unshare-forbidden)', OLD.id, NEW.type
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER network_stays_shared BEFORE UPDATE OF type ON network
    FOR EACH ROW EXECUTE FUNCTION network_stays_shared();

-- Tells every application instance, when a transaction that changed share requests commits, which request changed
-- (the UI's live badge and status follow it).
CREATE FUNCTION share_request_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('share_request', NEW.id::text);
    RETURN NULL;
END;
$$;
CREATE TRIGGER share_request_notify AFTER INSERT OR UPDATE ON share_request
    FOR EACH ROW EXECUTE FUNCTION share_request_notify();
