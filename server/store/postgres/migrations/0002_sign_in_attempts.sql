-- Issue 15: code requests that sent nothing, for the admin (store/sign-in-attempts.ts). One row
-- per address, UTC day and kind of block, counting its tries: a flood counts up, it does not grow
-- the table. The address only as its keyed digest; kept 30 days (expires_at, the purge).
-- The same columns as SQLite's, so migrate-to-postgres copies it as it is.
CREATE TABLE sign_in_attempts (
  address_key TEXT NOT NULL,
  day BIGINT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  block TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  contact_id TEXT,
  tries INTEGER NOT NULL,
  first_at BIGINT NOT NULL,
  last_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (address_key, day, channel, block, detail)
);
CREATE INDEX sign_in_attempts_contact ON sign_in_attempts (contact_id, last_at);
CREATE INDEX sign_in_attempts_expiry ON sign_in_attempts (expires_at);
