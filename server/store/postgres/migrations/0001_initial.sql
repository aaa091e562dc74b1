-- The whole schema as the SQLite engine has it after its migrations (sqlite/database.ts): the same
-- tables, columns and keys, so `npm run migrate-to-postgres` copies rows across as they are and
-- dump()/counts() name the same kinds. Times are milliseconds since the epoch (BIGINT), taken from
-- the server's injected clock, never now() here. Flags are BOOLEAN where SQLite has 0/1.
-- `seq` columns stand in for SQLite's rowid where an order reads "in the order made".

CREATE TABLE contacts (
  id TEXT PRIMARY KEY,
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  email TEXT CONSTRAINT contacts_email_key UNIQUE,
  phone TEXT CONSTRAINT contacts_phone_key UNIQUE,
  name TEXT,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated')),
  role TEXT NOT NULL DEFAULT 'contact' CHECK (role IN ('contact', 'admin')),
  role_source TEXT,
  created_at BIGINT NOT NULL,
  email_verified_at BIGINT,
  phone_verified_at BIGINT
);
CREATE INDEX contacts_name ON contacts (name);
CREATE INDEX contacts_newest ON contacts (created_at DESC, seq);

CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  contact_id TEXT NOT NULL REFERENCES contacts (id),
  token_hash TEXT NOT NULL UNIQUE,
  user_agent TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  signed_out_at BIGINT,
  revoked_at BIGINT,
  revoked_reason TEXT,
  session_only BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX devices_contact ON devices (contact_id);

CREATE TABLE deliveries (
  id TEXT PRIMARY KEY,
  contact_id TEXT REFERENCES contacts (id),
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  recipient TEXT NOT NULL,
  destination TEXT NOT NULL,
  provider TEXT,
  provider_message_id TEXT,
  code_number INTEGER NOT NULL,
  reason TEXT,
  status TEXT NOT NULL,
  error_code TEXT,
  error_text TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX deliveries_contact ON deliveries (contact_id, created_at);
CREATE INDEX deliveries_recipient ON deliveries (recipient, created_at);
CREATE UNIQUE INDEX deliveries_provider ON deliveries (provider, provider_message_id);

CREATE TABLE opt_outs (
  address TEXT PRIMARY KEY,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  opted_out BOOLEAN NOT NULL,
  source TEXT NOT NULL,
  detail TEXT,
  at BIGINT NOT NULL
);

CREATE TABLE webhook_events (
  provider TEXT NOT NULL,
  event_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (provider, event_id)
);

CREATE TABLE admin_actions (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  admin_id TEXT REFERENCES contacts (id),
  contact_id TEXT REFERENCES contacts (id),
  action TEXT NOT NULL,
  detail TEXT,
  at BIGINT NOT NULL
);
CREATE INDEX admin_actions_contact ON admin_actions (contact_id, at);

CREATE TABLE code_events (
  subject TEXT NOT NULL,
  number INTEGER NOT NULL,
  contact_id TEXT REFERENCES contacts (id),
  channel TEXT NOT NULL,
  destination TEXT NOT NULL,
  reason TEXT,
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  outcome TEXT,
  outcome_at BIGINT,
  PRIMARY KEY (subject, number, issued_at)
);
CREATE INDEX code_events_contact ON code_events (contact_id, issued_at);

CREATE TABLE sign_in_links (
  token_hash TEXT PRIMARY KEY,
  contact_id TEXT NOT NULL REFERENCES contacts (id),
  channel TEXT NOT NULL,
  kind TEXT NOT NULL,
  address TEXT,
  created_by TEXT NOT NULL REFERENCES contacts (id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX sign_in_links_contact ON sign_in_links (contact_id);

-- A queue several instances send from: claimed with FOR UPDATE SKIP LOCKED and a lease.
CREATE TABLE outgoing_events (
  id TEXT PRIMARY KEY,
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  type TEXT NOT NULL,
  contact_id TEXT REFERENCES contacts (id),
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT,
  last_status INTEGER,
  last_error TEXT,
  delivered_at BIGINT,
  lease TEXT,
  leased_until BIGINT
);
CREATE INDEX outgoing_events_due ON outgoing_events (created_at, seq) WHERE status = 'pending';
CREATE INDEX outgoing_events_contact ON outgoing_events (contact_id, created_at);

-- The hot state (hot-records.ts): a row per key, keyed by a 16-byte digest of the key (never the
-- address), the record binary. `expires_at` lets the purge delete what no rule needs any more.
CREATE TABLE codes (
  key BYTEA PRIMARY KEY,
  record BYTEA NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX codes_expiry ON codes (expires_at);

CREATE TABLE limit_hits (
  key BYTEA PRIMARY KEY,
  hits BYTEA NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX limit_hits_expiry ON limit_hits (expires_at);

CREATE TABLE failure_counts (
  counter TEXT NOT NULL,
  key TEXT NOT NULL,
  count INTEGER NOT NULL,
  last_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (counter, key)
);
CREATE INDEX failure_counts_expiry ON failure_counts (expires_at);

-- One order for the codes of every instance (CodeStore.nextOrder).
CREATE TABLE sequences (
  name TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);

CREATE TABLE identity_keys (
  position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kid TEXT NOT NULL UNIQUE,
  sealed TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE sms_texts (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  number TEXT NOT NULL,
  block TEXT NOT NULL,
  country TEXT NOT NULL,
  sent_at BIGINT NOT NULL,
  used_at BIGINT,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sms_texts_number ON sms_texts (number, sent_at);
CREATE INDEX sms_texts_block ON sms_texts (block, sent_at, used_at);
CREATE INDEX sms_texts_country ON sms_texts (country, sent_at, used_at, block);
CREATE INDEX sms_texts_expiry ON sms_texts (expires_at);

CREATE TABLE sms_pauses (
  area TEXT NOT NULL CHECK (area IN ('block', 'country')),
  key TEXT NOT NULL,
  name TEXT NOT NULL,
  since BIGINT NOT NULL,
  until BIGINT NOT NULL,
  from_at BIGINT NOT NULL,
  texts INTEGER NOT NULL,
  used INTEGER NOT NULL,
  min_percent INTEGER NOT NULL,
  lifted BOOLEAN NOT NULL DEFAULT false,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (area, key)
);
