-- RxInfer.Storage.PostgreSql, migration 1: access tokens, API keys, JWT revocations and the revocation log.
-- Names are unqualified: the migrator (or the person applying it by hand) first runs
--   CREATE SCHEMA IF NOT EXISTS rxinfer; SET LOCAL search_path TO rxinfer;
-- in the same transaction. Tokens and keys are kept as the SHA-256 of their text, never the text.

CREATE TABLE schema_version (
    version     integer PRIMARY KEY,
    description text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);

-- Opaque access tokens (IOpaqueTokenStore). expires_at NULL: never expires.
CREATE TABLE access_tokens (
    hash       bytea PRIMARY KEY CHECK (octet_length(hash) = 32),
    token_id   text NOT NULL,
    subject    text NOT NULL,
    roles      text[] NOT NULL,
    expires_at timestamptz,
    issued_by  text NOT NULL,
    kind       smallint NOT NULL
);
CREATE INDEX access_tokens_token_id ON access_tokens (token_id);
CREATE INDEX access_tokens_subject ON access_tokens (subject);
CREATE INDEX access_tokens_expires_at ON access_tokens (expires_at) WHERE expires_at IS NOT NULL;

-- API keys (IApiKeyStore): the same shape, a table of their own.
CREATE TABLE api_keys (
    hash       bytea PRIMARY KEY CHECK (octet_length(hash) = 32),
    token_id   text NOT NULL,
    subject    text NOT NULL,
    roles      text[] NOT NULL,
    expires_at timestamptz,
    issued_by  text NOT NULL,
    kind       smallint NOT NULL
);
CREATE INDEX api_keys_token_id ON api_keys (token_id);
CREATE INDEX api_keys_subject ON api_keys (subject);
CREATE INDEX api_keys_expires_at ON api_keys (expires_at) WHERE expires_at IS NOT NULL;

-- JWT revocations (IRevocationStore): by jti, and per subject a cut-off; kept until keep_until.
CREATE TABLE revoked_tokens (
    token_id   text PRIMARY KEY,
    keep_until timestamptz NOT NULL
);
CREATE INDEX revoked_tokens_keep_until ON revoked_tokens (keep_until);

CREATE TABLE revoked_subjects (
    subject             text PRIMARY KEY,
    issued_at_or_before timestamptz NOT NULL,
    keep_until          timestamptz NOT NULL
);
CREATE INDEX revoked_subjects_keep_until ON revoked_subjects (keep_until);

-- What every node must apply to its cache and its copy of the revocations, in order. Writers take an advisory
-- lock, so seq follows commit order. kind 1: an access token removed (token_hash); 2: a jti revoked (token_id,
-- keep_until); 3: a subject cut-off (subject, cutoff, keep_until).
CREATE TABLE revocation_log (
    seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       smallint NOT NULL,
    token_hash bytea,
    token_id   text,
    subject    text,
    cutoff     timestamptz,
    keep_until timestamptz,
    logged_at  timestamptz NOT NULL
);
CREATE INDEX revocation_log_logged_at ON revocation_log (logged_at);

-- The highest seq the sweep has deleted: a node that had applied less reloads everything.
CREATE TABLE revocation_log_state (
    only_row       boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    pruned_through bigint NOT NULL
);
INSERT INTO revocation_log_state (pruned_through) VALUES (0);

INSERT INTO schema_version (version, description) VALUES (1, 'access tokens, API keys, JWT revocations, revocation log');
