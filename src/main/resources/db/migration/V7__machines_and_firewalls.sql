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
    -- its primary network: a machine's only one; a firewall's private network, or its own shared one (F1)
    primary_network uuid        REFERENCES network,
    -- firewalls: the agent's credential, hashed (shown once at allocation)
    agent_secret   text,
    allocated_at   timestamptz,
    CHECK ((state = 'ALLOCATED') = (role IS NOT NULL AND project_id IS NOT NULL AND name IS NOT NULL
                                    AND allocated_at IS NOT NULL AND primary_network IS NOT NULL)),
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
        -- free machines only, and none that an allocation holds at this moment
        DELETE FROM machine WHERE id IN (SELECT id FROM machine WHERE partition_id = v_partition AND size = v_size
                                         AND state = 'FREE' ORDER BY id DESC LIMIT v_rows - v_count
                                         FOR UPDATE SKIP LOCKED);
        GET DIAGNOSTICS v_free = ROW_COUNT;
        IF v_free < v_rows - v_count THEN
            RAISE EXCEPTION 'partition % has machines of size % in use; its inventory cannot go below that (P1-inventory-in-use)',
                v_partition, v_size USING ERRCODE = 'check_violation';
        END IF;
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

