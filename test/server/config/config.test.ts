import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../../server/config/config.ts';
import { createOtpLogin } from '../../../server/index.ts';
import { silentLogger } from '../../../server/log.ts';
import { openDatabase } from '../../../server/store/sqlite/index.ts';
import { loadSecret } from '../../../server/config/secret.ts';

describe('configuration', () => {
  test('runs with no configuration at all', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.signup, 'open');
    assert.equal(config.dataDir, './data');
    assert.equal(config.codes.ttlMs, 600_000);
    assert.equal(config.invitationDays, 7);
    assert.equal(loadConfig({ INVITATION_DAYS: '14' }).invitationDays, 14);
    assert.equal(loadConfig({ PORT: '' }).port, 3000);
    assert.equal(loadConfig({}).postmark, undefined);
    assert.equal(loadConfig({ POSTMARK_SERVER_TOKEN: 't', POSTMARK_FROM: 'a@b.co' }).postmark?.messageStream, 'outbound');
    assert.equal(loadConfig({ TWILIO_AUTH_TOKEN: 't' }).webhooks.twilioAuthToken, 't', 'the token alone checks webhooks');
    assert.equal(loadConfig({ PUBLIC_URL: 'http://localhost:3000' }).publicUrl?.host, 'localhost:3000');
  });

  test('a bad setting stops start-up with a sentence naming the variable', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ SIGNUP: 'maybe' }, /SIGNUP must be "open" or "closed"/],
      [{ PORT: 'eighty' }, /PORT must be a port number/],
      [{ PUBLIC_URL: 'login.example.com' }, /PUBLIC_URL must be a full URL/],
      [{ ALLOWED_ORIGINS: 'https://www.acme.test/page' }, /use "https:\/\/www.acme.test"/],
      [{ DEFAULT_COUNTRY: 'XX' }, /DEFAULT_COUNTRY must be a two-letter country code/],
      [{ PUBLIC_URL: 'http://login.example.com' }, /PUBLIC_URL must start with https:\/\//],
      [{ POSTMARK_SERVER_TOKEN: 't' }, /POSTMARK_FROM is missing: email through Postmark needs a sender/],
      [{ POSTMARK_SERVER_TOKEN: 't', POSTMARK_FROM: 'a@b.co', POSTMARK_API_URL: 'localhost' }, /POSTMARK_API_URL must be a full URL/],
      [{ TWILIO_ACCOUNT_SID: 'AC1' }, /TWILIO_AUTH_TOKEN is missing/],
      [{ TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't' }, /Set exactly one of TWILIO_FROM .* or TWILIO_MESSAGING_SERVICE_SID/],
      [{ TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+1', TWILIO_MESSAGING_SERVICE_SID: 'MG1' }, /Set exactly one of/],
      [{ POSTMARK_WEBHOOK_USER: 'u' }, /Set both POSTMARK_WEBHOOK_USER and POSTMARK_WEBHOOK_PASSWORD/],
      [{ PUBLIC_URL: 'https://acme.test/login?x=1' }, /PUBLIC_URL must be a plain address/],
      [{ POSTMARK_SERVER_TOKEN: 't', POSTMARK_FROM: 'a@b.co', POSTMARK_API_URL: 'http://api.example.com' }, /POSTMARK_API_URL must start with https:\/\/ \(what is sent there must not travel in clear\)/],
      [{ NODE_ENV: 'production', TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+1' }, /SMS through Twilio needs PUBLIC_URL/],
      [{ INVITATION_DAYS: 'a week' }, /^INVITATION_DAYS must be a whole number of days from 1 to 30, such as 7, not "a week"\.$/],
      [{ INVITATION_DAYS: '0' }, /INVITATION_DAYS must be a whole number of days from 1 to 30/],
      [{ INVITATION_DAYS: '90' }, /INVITATION_DAYS must be a whole number of days from 1 to 30/],
      [{ NOTIFY_UNKNOWN_EMAIL: 'yes' }, /NOTIFY_UNKNOWN_EMAIL must be "true" or "false"/],
      [{ DATABASE_URL: 'mysql://u:hunter2@db/otp', SECRET: 'x'.repeat(40) }, /^DATABASE_URL must be a URL such as postgres:\/\/otp:password@db.internal:5432\/otp\.$/],
      [{ DATABASE_URL: 'postgres://db/otp' }, /DATABASE_URL needs SECRET, the same on every instance.*openssl rand -base64 48/],
      [{ REDIS_URL: 'redis://cache:6379' }, /REDIS_URL works together with DATABASE_URL/],
      [{ DATABASE_URL: 'postgres://db/otp', SECRET: 'x'.repeat(40), REDIS_URL: 'memcached://cache' }, /^REDIS_URL must be a URL such as redis:\/\/redis.internal:6379\.$/],
    ];
    for (const [env, message] of cases) assert.throws(() => loadConfig(env), (e) => e instanceof ConfigError && message.test(e.message));
  });

  test('production without PUBLIC_URL stops start-up, since no page could ask for a code; with ALLOWED_ORIGINS it starts and says what is missing', async () => {
    const postmark = { NODE_ENV: 'production', POSTMARK_SERVER_TOKEN: 't', POSTMARK_FROM: 'a@b.co' };
    assert.throws(() => createOtpLogin({ env: postmark, log: silentLogger }), (e) => e instanceof ConfigError && /NODE_ENV=production needs PUBLIC_URL/.test(e.message));
    const dir = mkdtempSync(join(tmpdir(), 'otp-prod-'));
    const warnings: string[] = [];
    try {
      const otp = createOtpLogin({ env: { ...postmark, DATA_DIR: dir, ALLOWED_ORIGINS: 'https://www.acme.test' }, log: { ...silentLogger, warn: (m) => warnings.push(m) } });
      await otp.close();
      assert.ok(warnings.some((w) => /PUBLIC_URL is not set: only pages on the sites in ALLOWED_ORIGINS can sign in/.test(w)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the secret', () => {
  test('is generated into DATA_DIR on first start, readable by the owner only, and kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'otp-secret-'));
    try {
      const first = loadSecret(undefined, join(dir, 'data'));
      assert.equal(first.length, 48);
      assert.equal(statSync(join(dir, 'data', 'secret')).mode & 0o777, 0o600);
      assert.equal(statSync(join(dir, 'data')).mode & 0o777, 0o700);
      assert.deepEqual(loadSecret(undefined, join(dir, 'data')), first);
      assert.equal(readFileSync(join(dir, 'data', 'secret'), 'utf8').trim(), first.toString('base64'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a secret file that is empty or cut short stops start-up instead of hashing with a weak key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'otp-secret-'));
    try {
      writeFileSync(join(dir, 'secret'), '\n');
      assert.throws(() => loadSecret(undefined, dir), (e) => e instanceof ConfigError && /no usable secret/.test(e.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('in a DATA_DIR that already existed, the database (with its -wal and -shm) and the secret are readable by the owner only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otp-modes-'));
    const umask = process.umask(0o022);
    const mode = (name: string) => (statSync(join(dir, name)).mode & 0o777).toString(8);
    try {
      chmodSync(dir, 0o755);
      const fresh = createOtpLogin({ env: { DATA_DIR: dir }, log: silentLogger });
      assert.deepEqual(['otp-login.sqlite', 'otp-login.sqlite-wal', 'otp-login.sqlite-shm', 'secret'].map(mode), ['600', '600', '600', '600']);
      await fresh.close();
      // Files an older version (or a crash, for -wal and -shm) left with the umask's mode are narrowed at start.
      // A second connection keeps the -wal and -shm files in place after the server closes.
      const older = openDatabase(join(dir, 'otp-login.sqlite'));
      for (const name of ['otp-login.sqlite', 'otp-login.sqlite-wal', 'otp-login.sqlite-shm', 'secret']) chmodSync(join(dir, name), 0o644);
      const again = createOtpLogin({ env: { DATA_DIR: dir }, log: silentLogger });
      assert.deepEqual(['otp-login.sqlite', 'otp-login.sqlite-wal', 'otp-login.sqlite-shm', 'secret'].map(mode), ['600', '600', '600', '600']);
      older.close();
      await again.close();
    } finally {
      process.umask(umask);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('SECRET shorter than 32 characters is refused', () => {
    assert.throws(() => loadSecret('short', '/nonexistent'), /at least 32 characters/);
    assert.equal(loadSecret('x'.repeat(32), '/nonexistent').length, 32);
  });
});
