-- An IP reservation may start from a network the portal read a few seconds earlier (NetworkService.getRemembered):
-- what it needs of it, project, partition and prefixes, never changes while the network exists. What may have
-- changed is checked here, under the network's lock that ip_allocate takes: the event names the network as it is
-- now ("network" in p_after is replaced by its current name), and a network deleted meanwhile answers 'gone'
-- (its free runs went with it, so ip_allocate found it full, or the wanted address taken).
CREATE OR REPLACE FUNCTION ip_reserve(p_network uuid, p_prefix cidr, p_wanted inet, p_project text, p_name text,
                                      p_description text,
                                      p_actor_subject text, p_actor_name text, p_action text, p_object_type text,
                                      p_object_id_prefix text, p_partition text, p_after jsonb, p_request_id text)
    RETURNS TABLE (outcome text, quota integer, address inet, created_at timestamptz)
    LANGUAGE plpgsql AS $$
DECLARE
    v      record;
    v_name text;
BEGIN
    SELECT * INTO v FROM ip_allocate(p_network, p_prefix, p_wanted, p_project, 'STATIC'::ip_kind, p_name,
                                     p_description, NULL::uuid) a;
    IF v.outcome = 'ok' THEN
        SELECT n.name INTO v_name FROM network n WHERE n.id = p_network;
        INSERT INTO audit_event (actor_subject, actor_name, action, object_type, object_id, project_id, partition_id,
                                 before, after, request_id)
        VALUES (p_actor_subject, p_actor_name, p_action, p_object_type, p_object_id_prefix || host(v.address),
                p_project, p_partition, NULL,
                p_after || jsonb_build_object('ip', host(v.address), 'network', v_name), p_request_id);
    ELSIF v.outcome IN ('full', 'taken') AND NOT EXISTS (SELECT 1 FROM network n WHERE n.id = p_network) THEN
        RETURN QUERY SELECT 'gone'::text, NULL::integer, NULL::inet, NULL::timestamptz;
        RETURN;
    END IF;
    RETURN QUERY SELECT v.outcome, v.quota, v.address, v.created_at;
END;
$$;
