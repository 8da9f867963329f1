-- Free runs are found by (network, prefix, first) when an address is taken or a run is removed, and by
-- (network, prefix, last) when a released address is merged with the run before it. Both unique keys began with
-- (network_id, prefix), so for a statement whose plan is made once for any value (a PL/pgSQL function's statement
-- after a few calls, a prepared statement), the planner could find both indexes equally cheap and take the one on
-- last for a lookup by first, reading every run of the network and filtering: measured on a /16 with 3,000 free
-- runs, ip_allocate's DELETE of a used-up run took 0.68 ms reading 81 buffers instead of 0.007 ms reading 4, so a
-- fragmented network's allocations cost twice an empty one's (I3). With last leading the second key, only the
-- primary key serves a lookup by first, and only this one a lookup by last; what they keep unique is unchanged.
ALTER TABLE ip_free_range
    DROP CONSTRAINT ip_free_range_network_id_prefix_last_key,
    ADD CONSTRAINT ip_free_range_last_key UNIQUE (last, network_id, prefix);
