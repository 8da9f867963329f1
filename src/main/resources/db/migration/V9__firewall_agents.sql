-- Real firewall agents (D2, D3) and the history and live state of configurations (D4).

-- Why each revision exists, for the firewall's revision history: the change and who made it.
ALTER TABLE firewall_config ADD COLUMN cause text, ADD COLUMN actor_name text;

-- The agent says hello with its credential and tells where it listens; the portal answers with a random token
-- that it then sends with every push, so the agent knows a push comes from the portal that checked its
-- credential. The token is stored as issued: every dispatcher instance must be able to send it.
ALTER TABLE firewall_sync ADD COLUMN push_token text, ADD COLUMN agent_seen_at timestamptz,
    -- why the last delivery failed: a hello ends the wait after UNREACHABLE or NO_AGENT, not after REJECTED
    ADD COLUMN last_failure text CHECK (last_failure IN ('UNREACHABLE', 'REJECTED', 'NO_AGENT'));

-- Every change of a sync row is announced on commit, so every instance's UI follows sync states live.
CREATE FUNCTION firewall_sync_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('firewall_sync', coalesce(NEW.firewall_id, OLD.firewall_id)::text);
    RETURN NULL;
END $$;

CREATE TRIGGER firewall_sync_notify AFTER INSERT OR DELETE ON firewall_sync
    FOR EACH ROW EXECUTE FUNCTION firewall_sync_notify();
-- leases come and go every delivery: only what a person sees is announced
CREATE TRIGGER firewall_sync_notify_change AFTER UPDATE ON firewall_sync
    FOR EACH ROW WHEN ((OLD.desired_revision, OLD.applied_revision, OLD.state, OLD.last_error, OLD.agent_url, OLD.next_attempt_at)
                 IS DISTINCT FROM (NEW.desired_revision, NEW.applied_revision, NEW.state, NEW.last_error, NEW.agent_url, NEW.next_attempt_at))
    EXECUTE FUNCTION firewall_sync_notify();
