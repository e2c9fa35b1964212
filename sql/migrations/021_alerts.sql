-- Alerts: rules evaluated after every load and on a schedule, the state each rule last saw
-- of each subject (so a rule fires once per change, not at every evaluation), the deliveries
-- they cause (pending ones survive a restart; the table is also the admins' delivery log),
-- and the lease that lets one sender among several server processes evaluate and send.
-- Secrets (SMTP passwords, webhook keys) stay in the config file: none is written here.

-- Rules, seeded from the config and edited on /admin/alerts; the row of the highest version
-- wins, so a page's edit outlives the config's seed.
CREATE TABLE IF NOT EXISTS alert_rules
(
    id         String,
    kind       LowCardinality(String) COMMENT 'rank_change, target_status, ledger_due, reporting_missing, load_failed',
    spec       String COMMENT 'the rule as JSON: indicators, groups, days, by, scope, channels, roles',
    enabled    UInt8,
    source     LowCardinality(String) COMMENT 'config (seeded) or page (edited by an admin)',
    updated_by String,
    updated_at DateTime64(3, 'UTC'),
    version    UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id
COMMENT 'Alert rules; a page edit wins over the config seed';

-- What each rule saw of each subject at each evaluation that found a change: a rule fires
-- when the fingerprint differs from the last one kept for the subject.
CREATE TABLE IF NOT EXISTS alert_states
(
    rule_id      String,
    subject      String COMMENT 'an indicator, a target, a city or unit, a month, a run',
    fingerprint  String COMMENT 'the state as text: ranks by group, a status, item ids',
    data_version UInt64 COMMENT 'the warehouse data version the state was read at',
    at           DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (rule_id, subject, at)
COMMENT 'The last state each alert rule saw of each subject';

-- One row per alert and recipient; rewritten with a higher version as it is tried. The id
-- is a hash of the alert (rule, subject, the state it changed from with that state's data
-- version, the state found) and the recipient, so an evaluation that finds the same change
-- again (after a crash) finds its deliveries already there.
CREATE TABLE IF NOT EXISTS alert_deliveries
(
    id           String,
    alert_id     String,
    rule_id      String,
    subject      String,
    data_version UInt64,
    channel      LowCardinality(String) COMMENT 'email, webhook, dingtalk or wecom',
    target       String COMMENT 'a channel name or an e-mail address: never a secret',
    recipient    String COMMENT 'the subscribing account, or empty for a rule channel',
    title        String,
    body         String,
    attachment   String COMMENT 'what to attach when sending, e.g. brief:2024 (empty: nothing)',
    status       LowCardinality(String) COMMENT 'pending, sent or failed (gave up)',
    attempts     UInt32,
    next_at      DateTime64(3, 'UTC') COMMENT 'not tried before this time (backoff)',
    last_error   String,
    created_at   DateTime64(3, 'UTC'),
    sent_at      DateTime64(3, 'UTC'),
    version      UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id
COMMENT 'Alert and briefing deliveries: pending ones and the delivery log';

-- Claims of the sender lease: a process claims term n+1 once term n has expired, waits a
-- moment, and holds the term when its claim is the earliest; the holder renews it by
-- adding rows of its term with a later expiry.
CREATE TABLE IF NOT EXISTS alert_lease
(
    name       String,
    term       UInt64,
    holder     String COMMENT 'host:pid:random of the claiming process',
    at         DateTime64(3, 'UTC'),
    expires_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (name, term, at)
COMMENT 'The alert sender lease: one sender among several server processes';
