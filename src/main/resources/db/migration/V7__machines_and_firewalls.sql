-- Machines and firewalls (rules M1-M4, F1-F3, I2). A partition's inventory becomes rows, one per machine; an
-- allocated machine serves as a plain machine or as a firewall. A machine's networks are the networks of its
-- IPs: every attachment is an EPHEMERAL IP row bound to the machine.

CREATE TYPE machine_state AS ENUM ('FREE', 'ALLOCATED');
CREATE TYPE machine_role AS ENUM ('MACHINE', 'FIREWALL');

CREATE TABLE machine (
    id             uuid          PRIMARY KEY,
    partition_id   text          NOT NULL REFERENCES partition ON DELETE CASCADE,
    size           text          NOT NULL,
    state          machine_state NOT NULL DEFAULT 'FREE',
    role           machine_role,
    project_id     text          REFERENCES project,
    name           text          CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    -- firewalls: the agent's credential, hashed (shown once at allocation)
    agent_secret   text,
    allocated_at   timestamptz,
    CHECK ((state = 'ALLOCATED') = (role IS NOT NULL AND project_id IS NOT NULL AND name IS NOT NULL
                                    AND allocated_at IS NOT NULL)),
    CHECK ((role = 'FIREWALL') = (agent_secret IS NOT NULL) OR role IS NULL AND agent_secret IS NULL)
);
-- taking a free machine of a size: the lowest id, skipping rows another allocation holds (no waiting, no double)
CREATE INDEX machine_free ON machine (partition_id, size, id) WHERE state = 'FREE';
CREATE INDEX machine_project ON machine (project_id, role) WHERE state = 'ALLOCATED';

ALTER TABLE ip ADD FOREIGN KEY (machine_id) REFERENCES machine;
-- a machine has at most one IP per network
CREATE UNIQUE INDEX ip_one_per_machine_and_network ON ip (machine_id, network_id) WHERE machine_id IS NOT NULL;
ALTER TABLE ip ADD CHECK ((kind = 'EPHEMERAL') = (machine_id IS NOT NULL));

-- The inventory's counts and the machine rows agree: raising a count adds free machines, lowering it removes free
-- ones, and never allocated ones.
CREATE FUNCTION machine_inventory_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_partition text;
    v_size      text;
    v_count     integer;
    v_rows      integer;
    v_free      integer;
BEGIN
    IF TG_OP = 'DELETE' THEN
        v_partition := OLD.partition_id; v_size := OLD.size; v_count := 0;
    ELSE
        v_partition := NEW.partition_id; v_size := NEW.size; v_count := NEW.count;
    END IF;
    SELECT count(*), count(*) FILTER (WHERE state = 'FREE') INTO v_rows, v_free
    FROM machine WHERE partition_id = v_partition AND size = v_size;
    IF v_count > v_rows THEN
        INSERT INTO machine (id, partition_id, size)
        SELECT gen_random_uuid(), v_partition, v_size FROM generate_series(1, v_count - v_rows);
    ELSIF v_count < v_rows THEN
        IF v_rows - v_count > v_free THEN
            RAISE EXCEPTION 'partition % has % machines of size % in use; its inventory cannot go below that (P1-inventory-in-use)',
                v_partition, v_rows - v_free, v_size USING ERRCODE = 'check_violation';
        END IF;
        DELETE FROM machine WHERE id IN (SELECT id FROM machine WHERE partition_id = v_partition AND size = v_size
                                         AND state = 'FREE' ORDER BY id DESC LIMIT v_rows - v_count);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER machine_inventory_sync AFTER INSERT OR UPDATE OR DELETE ON partition_inventory
    FOR EACH ROW EXECUTE FUNCTION machine_inventory_sync();

INSERT INTO machine (id, partition_id, size)
SELECT gen_random_uuid(), i.partition_id, i.size FROM partition_inventory i, generate_series(1, i.count);

-- External networks hand out firewall IPs: their prefixes get free runs like private networks (all but the
-- network address, the gateway and the broadcast address)
INSERT INTO ip_free_range (network_id, prefix, first, last)
SELECT np.network_id, np.prefix, host(network(np.prefix))::inet + 2, host(broadcast(np.prefix))::inet - 1
FROM network_prefix np JOIN network n ON n.id = np.network_id
WHERE n.type = 'EXTERNAL' AND family(np.prefix) = 4 AND masklen(np.prefix) <= 30;

-- ip_allocate (V5) learns to bind an EPHEMERAL IP to its machine in the same call
DROP FUNCTION ip_allocate(uuid, cidr, inet, text, ip_kind, text, text);
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
    -- allocations of one network queue here, so the run found below is not taken by anyone else
    PERFORM 1 FROM network WHERE id = p_network FOR NO KEY UPDATE;

    SELECT quota_ips INTO v_quota FROM project WHERE id = p_project;
    IF v_quota IS NOT NULL THEN
        SELECT quota_ips INTO v_quota FROM project WHERE id = p_project FOR NO KEY UPDATE;
        SELECT count(*) INTO v_used FROM ip WHERE project_id = p_project;
        IF v_quota IS NOT NULL AND v_used >= v_quota THEN
            RETURN QUERY SELECT 'quota'::text, v_quota, NULL::inet, NULL::timestamptz;
            RETURN;
        END IF;
    END IF;

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
