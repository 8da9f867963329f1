-- The firewalls' BGP sessions towards the fabric (decision 008).
--
-- Each firewall runs BGP in an AS number of its own, from the private 4-byte range (RFC 6996, 4200000000 to
-- 4294967294): the leaves pass one firewall's routes on to the others, and eBGP drops a route whose path holds the
-- receiver's own AS. The number is taken when a machine is allocated as a firewall (or inserted as one), kept while
-- it stays allocated, whatever an UPDATE says, and dropped when it is freed (its next allocation is a new firewall, D4). Numbers are
-- never handed out twice.
CREATE SEQUENCE firewall_asn AS bigint MINVALUE 4200000000 MAXVALUE 4294967294 START 4200000000 NO CYCLE;

ALTER TABLE machine ADD COLUMN asn bigint;

-- the firewalls allocated before: a number each, in the order they were allocated
UPDATE machine m SET asn = numbered.asn
FROM (SELECT id, nextval('firewall_asn') AS asn
      FROM (SELECT id FROM machine WHERE role = 'FIREWALL' AND state = 'ALLOCATED' ORDER BY allocated_at, id) ordered) numbered
WHERE m.id = numbered.id;

ALTER TABLE machine ADD CONSTRAINT machine_asn_for_firewalls
    CHECK ((asn IS NOT NULL) = coalesce(state = 'ALLOCATED' AND role = 'FIREWALL', false)),
    ADD CONSTRAINT machine_asn_private CHECK (asn BETWEEN 4200000000 AND 4294967294);
CREATE UNIQUE INDEX machine_asn ON machine (asn);

CREATE FUNCTION machine_asn_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.state = 'ALLOCATED' AND NEW.role = 'FIREWALL' THEN
        IF TG_OP = 'UPDATE' AND OLD.state = 'ALLOCATED' AND OLD.role = 'FIREWALL' THEN
            NEW.asn := OLD.asn;
        ELSE
            NEW.asn := nextval('firewall_asn');
        END IF;
    ELSE
        NEW.asn := NULL;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER machine_asn_keep BEFORE INSERT OR UPDATE ON machine FOR EACH ROW EXECUTE FUNCTION machine_asn_keep();

-- Per partition, how its firewalls' sessions with the leaves run: keepalive and hold time in seconds (RFC 4271: the
-- hold time at least three keepalives; 0, sessions without keepalives, is not offered), and how tenant prefixes are
-- announced to external networks: NO_EXPORT marks them with the well-known community no-export (RFC 1997), so the
-- external routers keep them to themselves; EXPORT leaves them unmarked.
CREATE TYPE external_export AS ENUM ('NO_EXPORT', 'EXPORT');
ALTER TABLE partition
    ADD COLUMN bgp_keepalive   integer         NOT NULL DEFAULT 3,
    ADD COLUMN bgp_hold_time   integer         NOT NULL DEFAULT 9,
    ADD COLUMN external_export external_export NOT NULL DEFAULT 'NO_EXPORT',
    ADD CONSTRAINT partition_bgp_timers CHECK (bgp_keepalive >= 1 AND bgp_hold_time >= 3 * bgp_keepalive
                                               AND bgp_hold_time <= 65535);
