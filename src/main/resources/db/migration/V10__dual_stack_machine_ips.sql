-- Dual stack (M2): a machine or firewall holds one address of each family of a network, so at most one IP per
-- machine, network and family (it was one per machine and network).
DROP INDEX ip_one_per_machine_and_network;
CREATE UNIQUE INDEX ip_one_per_machine_network_family ON ip (machine_id, network_id, family(address))
    WHERE machine_id IS NOT NULL;

-- Partitions made before the child lengths per family were checked: the IPv6 lengths are raised to the IPv6 pool's
-- length where they were shorter, so that every pool holds a network of each length a tenant may get (P1).
UPDATE partition p
SET min_child_length_v6 = greatest(p.min_child_length_v6, pool.length),
    child_length_v6 = greatest(p.child_length_v6, p.min_child_length_v6, pool.length)
FROM (SELECT n.partition_id, min(masklen(np.prefix)) AS length
      FROM network n JOIN network_prefix np ON np.network_id = n.id
      WHERE n.type = 'SUPER' AND family(np.prefix) = 6
      GROUP BY n.partition_id) pool
WHERE pool.partition_id = p.id;

-- Machines and firewalls already in a network with an IPv6 prefix get their IPv6 address there, the lowest free one
-- (an IP quota that is used up leaves them without); their firewalls render it at the next start.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT DISTINCT i.machine_id, i.network_id, i.project_id, np.prefix
             FROM ip i JOIN network_prefix np ON np.network_id = i.network_id AND family(np.prefix) = 6
             WHERE i.machine_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM ip j WHERE j.machine_id = i.machine_id AND j.network_id = i.network_id
                                                    AND family(j.address) = 6)
             ORDER BY i.network_id, i.machine_id
    LOOP
        PERFORM ip_allocate(r.network_id, r.prefix, NULL::inet, r.project_id, 'EPHEMERAL'::ip_kind, NULL::text, '',
                            r.machine_id);
    END LOOP;
END;
$$;
