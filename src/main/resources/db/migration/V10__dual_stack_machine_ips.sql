-- Dual stack (M2): a machine or firewall holds one address of each family of a network, so at most one IP per
-- machine, network and family (it was one per machine and network).
DROP INDEX ip_one_per_machine_and_network;
CREATE UNIQUE INDEX ip_one_per_machine_network_family ON ip (machine_id, network_id, family(address))
    WHERE machine_id IS NOT NULL;
