-- RxInfer.Storage.PostgreSql, migration 3: model instances, their episodes and the episodes' events.
-- Names are unqualified (the migrator sets the search path first, see migration 1). Every JSON value is kept as
-- `json`, the exact text it was given (jsonb would reorder keys and drop duplicates), so what is read back is what
-- was written. Every write to an instance, its episodes or its events locks the instance's row first and bumps its
-- version, so writes to one instance are serialised and a result computed from one version is stored only against it.

CREATE TABLE model_instances (
    instance_id     uuid PRIMARY KEY,
    owner_subject   text NOT NULL,
    seq             bigint GENERATED ALWAYS AS IDENTITY,
    model_name      text NOT NULL,
    created_at      timestamptz NOT NULL,
    description     text NOT NULL,
    arguments       json NOT NULL,
    state           json NOT NULL,
    current_episode text NOT NULL,
    version         bigint NOT NULL
);
-- An owner's instances, in the order they were added.
CREATE INDEX model_instances_owner ON model_instances (owner_subject, seq);

-- Each owner with at least one instance, and until when its instances are kept at least (retention). Adds and
-- removals of an owner's instances lock its row first, so the owner's count is checked and the row dropped with the
-- last instance without a race. retain_until is in .NET ticks (100 ns since 0001-01-01 UTC), as exact as the
-- times it is compared with (timestamptz keeps microseconds).
CREATE TABLE model_owners (
    owner_subject     text PRIMARY KEY,
    retain_until      bigint NOT NULL
);
CREATE INDEX model_owners_retain_until ON model_owners (retain_until);

-- event_count: the events it holds, which is also the id of its last one (ids run 1..n, from 1 again after a wipe).
-- An episode is keyed by seq, and its name is unique per instance through its MD5 (the one hash PostgreSQL can
-- index as an expression), so a name of any length can be kept (a btree entry holds at most about 2.7 kB) and events
-- do not repeat the name. Lookups compare the name itself too; two names with one MD5 could only come from the
-- owner of the instance, and the second would be refused as existing.
CREATE TABLE model_episodes (
    seq                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    instance_id        uuid NOT NULL REFERENCES model_instances ON DELETE CASCADE,
    name               text NOT NULL,
    name_hash          text NOT NULL GENERATED ALWAYS AS (md5(name)) STORED,
    created_at         timestamptz NOT NULL,
    initial_parameters json NOT NULL,
    parameters         json NOT NULL,
    event_count        bigint NOT NULL DEFAULT 0,
    UNIQUE (instance_id, name_hash)
);

CREATE TABLE model_events (
    episode_seq bigint NOT NULL REFERENCES model_episodes ON DELETE CASCADE,
    event_id    bigint NOT NULL,
    "timestamp" timestamptz NOT NULL,
    data        json NOT NULL,
    metadata    json,
    processed   boolean NOT NULL,
    PRIMARY KEY (episode_seq, event_id)
);

INSERT INTO schema_version (version, description) VALUES (3, 'model instances, episodes and events');
