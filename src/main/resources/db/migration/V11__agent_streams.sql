-- Agents dial out (decision 007): the portal no longer pushes to an agent's URL with a token. An agent holds a
-- stream to one API instance; that instance delivers the firewall's revisions on it, signed.
DROP TRIGGER firewall_sync_notify_change ON firewall_sync;

ALTER TABLE firewall_sync
    DROP COLUMN push_token,
    DROP COLUMN agent_url,
    -- the instance and the stream that serve the firewall now (both null while its agent is not connected)
    ADD COLUMN agent_instance text,
    ADD COLUMN agent_stream uuid,
    -- the last revision the agent refused before looking at it (unsigned, wrong key, firewall or allocation,
    -- changed text, expired): what someone on the way tried, kept after the firewall is back in sync
    ADD COLUMN agent_refusal text,
    ADD COLUMN agent_refused_at timestamptz;

ALTER TABLE firewall_sync DROP CONSTRAINT firewall_sync_last_failure_check;
ALTER TABLE firewall_sync ADD CONSTRAINT firewall_sync_last_failure_check
    CHECK (last_failure IN ('UNREACHABLE', 'REJECTED', 'REFUSED', 'NO_AGENT'));

-- leases come and go every delivery: only what a person sees (and what a dispatcher must act on) is announced
CREATE TRIGGER firewall_sync_notify_change AFTER UPDATE ON firewall_sync
    FOR EACH ROW WHEN ((OLD.desired_revision, OLD.applied_revision, OLD.state, OLD.last_error, OLD.agent_stream,
                        OLD.next_attempt_at, OLD.agent_refusal)
                 IS DISTINCT FROM (NEW.desired_revision, NEW.applied_revision, NEW.state, NEW.last_error, NEW.agent_stream,
                                   NEW.next_attempt_at, NEW.agent_refusal))
    EXECUTE FUNCTION firewall_sync_notify();
