-- RxInfer.Storage.PostgreSql, migration 2: when each token or API key was added (for listing API keys).
-- Rows stored before this migration get the time it ran.

ALTER TABLE access_tokens ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE api_keys ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX api_keys_created_at ON api_keys (created_at, token_id);

INSERT INTO schema_version (version, description) VALUES (2, 'created_at of tokens and API keys');
