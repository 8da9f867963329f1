-- Projects: the tenant teams. Ids are slugs that also appear in the SSO groups (project:<id>:<role>).
CREATE TABLE project (
    id          text        PRIMARY KEY CHECK (id ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    name        text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    description text        NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);
