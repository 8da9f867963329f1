-- Partitions, networks, IP addresses and the audit log (rules P1-P3, N1-N4, I1-I3, A1).
-- Design: docs/decisions/002-ipam-allocation.md. The constraints here are the guarantee; the application checks
-- first only to give a friendly message.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TYPE network_type AS ENUM ('SUPER', 'CHILD', 'CHILD_SHARED', 'EXTERNAL');
CREATE TYPE nat_type AS ENUM ('NONE', 'IPV4_MASQUERADE');
CREATE TYPE ip_kind AS ENUM ('STATIC', 'EPHEMERAL');

CREATE TABLE partition (
    id                  text        PRIMARY KEY CHECK (id ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    name                text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    description         text        NOT NULL DEFAULT '',
    child_length_v4     smallint    NOT NULL CHECK (child_length_v4 BETWEEN 1 AND 30),
    min_child_length_v4 smallint    NOT NULL CHECK (min_child_length_v4 BETWEEN 1 AND child_length_v4),
    child_length_v6     smallint    NOT NULL DEFAULT 64 CHECK (child_length_v6 BETWEEN 1 AND 126),
    min_child_length_v6 smallint    NOT NULL DEFAULT 56 CHECK (min_child_length_v6 BETWEEN 1 AND child_length_v6),
    proxy_host          text,
    proxy_port          integer     CHECK (proxy_port BETWEEN 1 AND 65535),
    created_at          timestamptz NOT NULL DEFAULT now(),
    CHECK ((proxy_host IS NULL) = (proxy_port IS NULL))
);

-- Machine inventory by size (machines as rows come with the machines feature)
CREATE TABLE partition_inventory (
    partition_id text    NOT NULL REFERENCES partition ON DELETE CASCADE,
    size         text    NOT NULL CHECK (size ~ '^[a-z0-9][a-z0-9.-]{0,62}$'),
    count        integer NOT NULL CHECK (count >= 0),
    PRIMARY KEY (partition_id, size)
);

-- Quotas (NULL = unlimited) and usage counters, raised in the same transaction as the allocation (N4)
ALTER TABLE project
    ADD COLUMN quota_networks  integer CHECK (quota_networks >= 0),
    ADD COLUMN quota_machines  integer CHECK (quota_machines >= 0),
    ADD COLUMN quota_firewalls integer CHECK (quota_firewalls >= 0),
    ADD COLUMN quota_ips       integer CHECK (quota_ips >= 0),
    ADD COLUMN used_networks   integer NOT NULL DEFAULT 0 CHECK (used_networks >= 0),
    ADD COLUMN used_machines   integer NOT NULL DEFAULT 0 CHECK (used_machines >= 0),
    ADD COLUMN used_firewalls  integer NOT NULL DEFAULT 0 CHECK (used_firewalls >= 0),
    ADD COLUMN used_ips        integer NOT NULL DEFAULT 0 CHECK (used_ips >= 0);

-- VRF ids come from a sequence: unique in the installation and never reused (P3)
CREATE SEQUENCE vrf_id START WITH 100;

CREATE TABLE network (
    id           uuid         PRIMARY KEY,
    partition_id text         NOT NULL REFERENCES partition,
    project_id   text         REFERENCES project,
    type         network_type NOT NULL,
    nat_type     nat_type     NOT NULL DEFAULT 'NONE',
    name         text         NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    description  text         NOT NULL DEFAULT '',
    labels       jsonb        NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(labels) = 'object'),
    vrf          integer      UNIQUE,
    created_at   timestamptz  NOT NULL DEFAULT now(),
    UNIQUE (id, partition_id),
    -- private and shared networks belong to a project; pools and external networks to the platform
    CHECK ((type IN ('CHILD', 'CHILD_SHARED')) = (project_id IS NOT NULL)),
    -- every network but a pool has its own VRF
    CHECK ((type = 'SUPER') = (vrf IS NULL))
);
CREATE INDEX network_project ON network (project_id, created_at);
CREATE INDEX network_partition_type ON network (partition_id, type);

-- A network's prefixes (one per family). Pools and external prefixes ("POOL") never overlap each other, child
-- prefixes ("CHILD") never overlap each other, inside one partition (P2).
CREATE TABLE network_prefix (
    network_id   uuid  NOT NULL,
    partition_id text  NOT NULL,
    layer        text  NOT NULL CHECK (layer IN ('POOL', 'CHILD')),
    prefix       cidr  NOT NULL,
    -- IPs allocated in this prefix, kept with every allocation and release so that usage is read in O(1)
    allocated    integer NOT NULL DEFAULT 0 CHECK (allocated >= 0),
    PRIMARY KEY (network_id, prefix),
    FOREIGN KEY (network_id, partition_id) REFERENCES network (id, partition_id) ON DELETE CASCADE,
    EXCLUDE USING gist (partition_id WITH =, layer WITH =, prefix inet_ops WITH &&)
);
CREATE UNIQUE INDEX network_prefix_one_per_family ON network_prefix (network_id, family(prefix));

-- Where an external network leads (e.g. 0.0.0.0/0)
CREATE TABLE external_destination (
    network_id uuid NOT NULL REFERENCES network ON DELETE CASCADE,
    prefix     cidr NOT NULL,
    PRIMARY KEY (network_id, prefix)
);

-- Free space of each pool as maximal aligned blocks (buddy system), for first-fit child prefixes
CREATE TABLE prefix_free_block (
    partition_id text NOT NULL,
    pool_id      uuid NOT NULL,
    block        cidr NOT NULL,
    PRIMARY KEY (partition_id, block),
    FOREIGN KEY (pool_id, partition_id) REFERENCES network (id, partition_id) ON DELETE CASCADE,
    EXCLUDE USING gist (partition_id WITH =, block inet_ops WITH &&)
);
CREATE INDEX prefix_free_block_first_fit ON prefix_free_block (partition_id, family(block), masklen(block), block);

-- IP addresses: unique per network and inside the network's prefix (I1), by construction of the row
CREATE TABLE ip (
    network_id  uuid        NOT NULL,
    prefix      cidr        NOT NULL,
    address     inet        NOT NULL,
    project_id  text        NOT NULL REFERENCES project,
    kind        ip_kind     NOT NULL,
    name        text        CHECK (length(name) <= 100),
    description text        NOT NULL DEFAULT '',
    machine_id  uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (network_id, address),
    FOREIGN KEY (network_id, prefix) REFERENCES network_prefix (network_id, prefix),
    CHECK (masklen(address) = CASE family(address) WHEN 4 THEN 32 ELSE 128 END),
    CHECK (address << prefix)
);
CREATE INDEX ip_project ON ip (project_id);

-- Runs of free, allocatable addresses of each network prefix
CREATE TABLE ip_free_range (
    network_id uuid NOT NULL,
    prefix     cidr NOT NULL,
    first      inet NOT NULL,
    last       inet NOT NULL,
    PRIMARY KEY (network_id, prefix, first),
    UNIQUE (network_id, prefix, last),
    FOREIGN KEY (network_id, prefix) REFERENCES network_prefix (network_id, prefix) ON DELETE CASCADE,
    CHECK (first <= last AND first << prefix AND last << prefix)
);

-- Append-only audit log (A1)
CREATE TABLE audit_event (
    id            bigserial   PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    actor_subject text        NOT NULL,
    actor_name    text        NOT NULL,
    action        text        NOT NULL,
    object_type   text        NOT NULL,
    object_id     text        NOT NULL,
    project_id    text,
    partition_id  text,
    before        jsonb,
    after         jsonb,
    request_id    text
);
CREATE INDEX audit_event_project ON audit_event (project_id, id DESC);

CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (A1): % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
