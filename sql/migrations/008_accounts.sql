-- Accounts, sign-in sessions and API tokens, written by the server (and by the CLI when no
-- server runs), so accounts are added, disabled and revoked without editing files or
-- restarting. Rewritten by key like the saved queries: the row of the highest version wins.
-- Roles are names of permission sets defined in the code (dashboard/accounts.go).
CREATE TABLE IF NOT EXISTS accounts
(
    name          String,
    role          LowCardinality(String),
    password_hash String COMMENT 'bcrypt',
    disabled      UInt8,
    source        LowCardinality(String) COMMENT 'config (bootstrapped from the config file) or cli',
    session_epoch UInt32 COMMENT 'sessions of an older epoch are revoked (password change, disable)',
    updated_at    DateTime64(3, 'UTC'),
    version       UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY name
COMMENT 'Accounts that may sign in';

CREATE TABLE IF NOT EXISTS sessions
(
    id_hash    String COMMENT 'SHA-256 of the session id the cookie carries, hex',
    user       String,
    epoch      UInt32 COMMENT 'session_epoch of the account when it began',
    created_at DateTime64(3, 'UTC'),
    expires_at DateTime64(3, 'UTC'),
    revoked    UInt8,
    version    UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id_hash
COMMENT 'Sign-in sessions; sign-out revokes one';

CREATE TABLE IF NOT EXISTS api_tokens
(
    id         String COMMENT 'public id shown in lists and the audit log',
    hash       String COMMENT 'SHA-256 of the token, hex; the token itself is shown once and never stored',
    name       String COMMENT 'the account or screen it acts for',
    role       LowCardinality(String),
    created_at DateTime64(3, 'UTC'),
    expires_at DateTime64(3, 'UTC') COMMENT '1970-01-01 means it never expires',
    revoked    UInt8,
    version    UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id
COMMENT 'Personal API tokens for scripts and screens';
