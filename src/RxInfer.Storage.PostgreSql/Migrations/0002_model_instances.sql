-- RxInfer.Storage.PostgreSql, migration 2: model instances, their episodes and the episodes' events.
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

-- event_count: the events it holds, which is also the id of its last one (ids run 1..n, from 1 again after a wipe).
CREATE TABLE model_episodes (
    instance_id        uuid NOT NULL REFERENCES model_instances ON DELETE CASCADE,
    name               text NOT NULL,
    seq                bigint GENERATED ALWAYS AS IDENTITY,
    created_at         timestamptz NOT NULL,
    initial_parameters json NOT NULL,
    parameters         json NOT NULL,
    event_count        bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (instance_id, name)
);

CREATE TABLE model_events (
    instance_id uuid NOT NULL,
    episode     text NOT NULL,
    event_id    bigint NOT NULL,
    "timestamp" timestamptz NOT NULL,
    data        json NOT NULL,
    metadata    json,
    processed   boolean NOT NULL,
    PRIMARY KEY (instance_id, episode, event_id),
    FOREIGN KEY (instance_id, episode) REFERENCES model_episodes (instance_id, name) ON DELETE CASCADE
);

INSERT INTO schema_version (version, description) VALUES (2, 'model instances, episodes and events');
