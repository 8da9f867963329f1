-- Reserving a static IP in one statement, its audit event included (docs/decisions/002-ipam-allocation.md,
-- "One statement per reservation"). Run on its own, outside an explicit transaction, the statement is the
-- transaction: the network's row is locked only while the server allocates, writes the event and commits, never
-- while an answer travels to the portal and the portal sends the next statement. Allocations of one network queue
-- for that lock, so the shorter it is held, the more of them per second, and the more clients, the more it
-- matters: each round trip under the lock waited for a portal busy with the other clients' requests.
--
-- The event's columns come from the portal (AuditLog.Columns), as for every other event; the function completes
-- only what it alone knows: the address, appended to p_object_id_prefix and added as "ip" to p_after.
CREATE FUNCTION ip_reserve(p_network uuid, p_prefix cidr, p_wanted inet, p_project text, p_name text,
                           p_description text,
                           p_actor_subject text, p_actor_name text, p_action text, p_object_type text,
                           p_object_id_prefix text, p_partition text, p_after jsonb, p_request_id text)
    RETURNS TABLE (outcome text, quota integer, address inet, created_at timestamptz)
    LANGUAGE plpgsql AS $$
DECLARE
    v record;
BEGIN
    SELECT * INTO v FROM ip_allocate(p_network, p_prefix, p_wanted, p_project, 'STATIC'::ip_kind, p_name,
                                     p_description, NULL::uuid) a;
    IF v.outcome = 'ok' THEN
        INSERT INTO audit_event (actor_subject, actor_name, action, object_type, object_id, project_id, partition_id,
                                 before, after, request_id)
        VALUES (p_actor_subject, p_actor_name, p_action, p_object_type, p_object_id_prefix || host(v.address),
                p_project, p_partition, NULL, p_after || jsonb_build_object('ip', host(v.address)), p_request_id);
    END IF;
    RETURN QUERY SELECT v.outcome, v.quota, v.address, v.created_at;
END;
$$;
