-- IP allocation in one round trip (docs/decisions/002-ipam-allocation.md, "One call per allocation").
--
-- The IP quota (N4) is checked against the IPs the project holds, counted under the project's row lock, and only
-- when the project has an IP quota: a project without one never queues allocations of different networks on its
-- row. The count is bounded by the quota, so it does not grow with how full a network is. The used_ips counter
-- is therefore no longer kept; usage is counted where it is shown.
ALTER TABLE project DROP COLUMN used_ips;

-- Takes the lowest free address of a network prefix (wanted IS NULL) or the wanted one, and records it as an IP
-- (bound to p_machine for a machine's EPHEMERAL IP, else NULL).
-- Outcomes: 'ok' with the address; 'quota' with the project's IP quota; 'full'; 'taken' (the wanted address is
-- not free). The caller has checked that the wanted address is inside the prefix and not reserved; the row
-- constraints hold anyway.
CREATE FUNCTION ip_allocate(p_network uuid, p_prefix cidr, p_wanted inet, p_project text, p_kind ip_kind,
                            p_name text, p_description text, p_machine uuid)
    RETURNS TABLE (outcome text, quota integer, address inet, created_at timestamptz)
    LANGUAGE plpgsql AS $$
DECLARE
    v_quota integer;
    v_used  bigint;
    v_run   ip_free_range%ROWTYPE;
    v_taken inet;
    v_at    timestamptz;
BEGIN
    SELECT quota_ips INTO v_quota FROM project WHERE id = p_project;
    IF v_quota IS NOT NULL THEN
        SELECT quota_ips INTO v_quota FROM project WHERE id = p_project FOR NO KEY UPDATE;
        SELECT count(*) INTO v_used FROM ip WHERE project_id = p_project;
        IF v_quota IS NOT NULL AND v_used >= v_quota THEN
            RETURN QUERY SELECT 'quota'::text, v_quota, NULL::inet, NULL::timestamptz;
            RETURN;
        END IF;
    END IF;

    -- allocations of one network queue here, so the run found below is not taken by anyone else; the project's
    -- row (above) is always locked before a network's, on every path, so no two allocations deadlock
    PERFORM 1 FROM network WHERE id = p_network FOR NO KEY UPDATE;

    IF p_wanted IS NULL THEN
        SELECT * INTO v_run FROM ip_free_range r
        WHERE r.network_id = p_network AND r.prefix = p_prefix ORDER BY r.first LIMIT 1;
        IF NOT FOUND THEN
            RETURN QUERY SELECT 'full'::text, NULL::integer, NULL::inet, NULL::timestamptz;
            RETURN;
        END IF;
        v_taken := v_run.first;
    ELSE
        SELECT * INTO v_run FROM ip_free_range r
        WHERE r.network_id = p_network AND r.prefix = p_prefix AND r.first <= p_wanted ORDER BY r.first DESC LIMIT 1;
        IF NOT FOUND OR v_run.last < p_wanted THEN
            RETURN QUERY SELECT 'taken'::text, NULL::integer, NULL::inet, NULL::timestamptz;
            RETURN;
        END IF;
        v_taken := p_wanted;
    END IF;

    -- the run shrinks, or splits in two around the taken address
    IF v_run.first = v_run.last THEN
        DELETE FROM ip_free_range r WHERE r.network_id = p_network AND r.prefix = p_prefix AND r.first = v_run.first;
    ELSIF v_taken = v_run.first THEN
        UPDATE ip_free_range r SET first = v_taken + 1
        WHERE r.network_id = p_network AND r.prefix = p_prefix AND r.first = v_run.first;
    ELSIF v_taken = v_run.last THEN
        UPDATE ip_free_range r SET last = v_taken - 1
        WHERE r.network_id = p_network AND r.prefix = p_prefix AND r.first = v_run.first;
    ELSE
        UPDATE ip_free_range r SET last = v_taken - 1
        WHERE r.network_id = p_network AND r.prefix = p_prefix AND r.first = v_run.first;
        INSERT INTO ip_free_range (network_id, prefix, first, last) VALUES (p_network, p_prefix, v_taken + 1, v_run.last);
    END IF;

    UPDATE network_prefix np SET allocated = np.allocated + 1 WHERE np.network_id = p_network AND np.prefix = p_prefix;
    INSERT INTO ip (network_id, prefix, address, project_id, kind, name, description, machine_id)
    VALUES (p_network, p_prefix, v_taken, p_project, p_kind, p_name, p_description, p_machine)
    RETURNING ip.created_at INTO v_at;
    RETURN QUERY SELECT 'ok'::text, NULL::integer, v_taken, v_at;
END;
$$;
