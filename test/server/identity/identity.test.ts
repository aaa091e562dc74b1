import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { manualClock } from '../../../server/clock.ts';
import { IdentityKeysUnreadable, memoryIdentityKeys, newSigningKey, rotateIdentityKeys, storedIdentityKeys } from '../../../server/identity/identity-keys.ts';
import { cryptoRandom } from '../../../server/random.ts';
import { createSqliteStorage, openDatabase } from '../../../server/store/sqlite/index.ts';
import { createHarness, type Harness } from '../harness.ts';

const jo = { email: 'jo@example.com' };

async function jwksOf(h: Harness) {
  const res = await h.get('/.well-known/jwks.json');
  assert.equal(res.status, 200);
  return (await res.json()) as JSONWebKeySet;
}

/** Verifies as a site's backend would, at the harness's time. */
async function verifyToken(h: Harness, token: string, audience = 'http://localhost:3000') {
  const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(await jwksOf(h)), {
    issuer: h.config.publicUrl ? h.config.publicUrl.href.replace(/\/$/, '') : 'http://localhost:3000',
    audience,
    algorithms: ['ES256'],
    currentDate: new Date(h.clock.now()),
  });
  return { payload, protectedHeader };
}

async function signInWithToken(h: Harness, headers: Record<string, string> = {}) {
  await h.post('/api/codes', jo, { headers });
  return h.post('/api/codes/verify', { ...jo, code: await h.latestCode('jo@example.com'), token: true }, { headers });
}

describe('identity tokens for the site’s backend', () => {
  test('publishes ES256 public keys with a kid, never the private part, cacheable and readable from anywhere', async () => {
    const h = createHarness();
    const res = await h.get('/.well-known/jwks.json');
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('cache-control'), 'public, max-age=300');
    const { keys } = (await res.json()) as { keys: Array<Record<string, string>> };
    assert.equal(keys.length, 1);
    assert.deepEqual([keys[0]!.kty, keys[0]!.crv, keys[0]!.alg, keys[0]!.use], ['EC', 'P-256', 'ES256', 'sig']);
    assert.match(keys[0]!.kid!, /^[\w-]{43}$/);
    assert.equal(keys[0]!.d, undefined);
  });

  test('a verify that asks for one answers a token naming the server, the page, the contact and their proved address', async () => {
    const h = createHarness();
    const res = await signInWithToken(h);
    const body = await res.json();
    const { payload, protectedHeader } = await verifyToken(h, body.token);
    assert.equal(protectedHeader.kid, (await jwksOf(h)).keys[0]!.kid);
    assert.deepEqual(
      { ...payload, iat: undefined, exp: undefined },
      { iss: 'http://localhost:3000', aud: 'http://localhost:3000', sub: body.contact.id, email: 'jo@example.com', email_verified: true, iat: undefined, exp: undefined },
    );
    assert.equal(payload.exp! - payload.iat!, 300, 'five minutes');
  });

  test('without asking, the session and verify answers keep SPEC’s exact shape; with ?token=1 the session answer carries one', async () => {
    const h = createHarness();
    const { cookie, res } = await h.signIn(jo);
    assert.deepEqual(Object.keys(await res.json()).sort(), ['contact', 'device', 'signedIn']);
    assert.deepEqual(Object.keys(await (await h.get('/api/session', { cookie })).json()).sort(), ['contact', 'device', 'signedIn']);
    const withToken = await (await h.get('/api/session?token=1', { cookie })).json();
    assert.equal((await verifyToken(h, withToken.token)).payload.sub, withToken.contact.id);
  });

  test('GET /api/session/token mints one for a signed-in browser, and answers 401 with a sentence otherwise', async () => {
    const h = createHarness();
    const none = await h.get('/api/session/token');
    const { error } = await none.json();
    assert.deepEqual([none.status, error.code, error.reason], [401, 'unauthorized', 'no_cookie']);
    assert.match(error.message, /not signed in\. Sign in first/);
    const { cookie } = await h.signIn(jo);
    const minted = await (await h.get('/api/session/token', { cookie })).json();
    assert.equal(minted.expiresAt, new Date(h.clock.now() + 300_000).toISOString());
    const { payload } = await verifyToken(h, minted.token);
    assert.equal(payload.email_verified, true, 'the remembered browser’s contact carries what the code proved');
  });

  test('the audience is the embedding page’s origin when it is allowed; behind PUBLIC_URL the issuer is it, path included', async () => {
    const h = createHarness({ env: { PUBLIC_URL: 'https://acme.test/auth', ALLOWED_ORIGINS: 'https://shop.example' } });
    const res = await signInWithToken(h, { origin: 'https://shop.example' });
    const { payload } = await verifyToken(h, (await res.json()).token, 'https://shop.example');
    assert.equal(payload.iss, 'https://acme.test/auth');
  });

  test('a tampered, expired, or wrongly addressed token is refused', async () => {
    const h = createHarness();
    const { token } = await (await signInWithToken(h)).json();
    const [head, body, sig] = token.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forged = `${head}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${sig}`;
    await assert.rejects(verifyToken(h, forged), /signature verification failed/);
    await assert.rejects(verifyToken(h, token, "https://evil.test"), /unexpected "aud" claim value/);
    h.clock.advance(301_000);
    await assert.rejects(verifyToken(h, token), /"exp" claim timestamp check failed/);
  });

  test('a token is reused for a minute, then a new one is made; a changed address makes a new one at once', async () => {
    const h = createHarness();
    const { cookie } = await h.signIn(jo);
    const tokenNow = async () => (await (await h.get('/api/session/token', { cookie })).json()).token as string;
    const first = await tokenNow();
    h.clock.advance(59_000);
    assert.equal(await tokenNow(), first);
    h.clock.advance(2_000);
    const second = await tokenNow();
    assert.notEqual(second, first);
    const contact = (await h.contacts.findByIdentifier({ kind: 'email', value: 'jo@example.com' }))!;
    await h.contacts.update(contact.id, { email: 'jo@example.org', phone: null, name: null });
    const changed = await tokenNow();
    assert.notEqual(changed, second);
    const { payload } = await verifyToken(h, changed);
    assert.deepEqual([payload.email, payload.email_verified], ['jo@example.org', false]);
  });

  test('after a key rotation the new key signs, and tokens signed by the previous one still verify', async () => {
    const keys = memoryIdentityKeys();
    const h = createHarness({ identityKeys: keys });
    const { cookie } = await h.signIn(jo);
    const before = (await (await h.get('/api/session/token', { cookie })).json()).token;
    keys.rotate();
    const after = (await (await h.get('/api/session/token', { cookie })).json()).token;
    assert.notEqual(decodeProtectedHeader(after).kid, decodeProtectedHeader(before).kid);
    assert.equal((await jwksOf(h)).keys.length, 2);
    await verifyToken(h, before);
    await verifyToken(h, after);
  });
});

describe('identity keys in the storage', () => {
  const secret = Buffer.from('a'.repeat(48));
  const otherSecret = Buffer.from('b'.repeat(48));
  const fresh = () => createSqliteStorage(openDatabase(':memory:'), manualClock(), cryptoRandom);

  test('the first use makes one key, however many instances start at once, and the next start reads it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otp-keys-'));
    try {
      const file = join(dir, 'otp-login.sqlite');
      const clock = manualClock();
      const [a, b] = [0, 1].map(() => createSqliteStorage(openDatabase(file), clock, cryptoRandom));
      const kids = await Promise.all([a, b].map((storage) => storedIdentityKeys({ store: storage!.identityKeys, secret, clock }).signing().then((k) => k.kid)));
      assert.equal(kids[0], kids[1], 'both instances sign with the same key');
      assert.equal((await a!.identityKeys.list()).length, 1);
      await Promise.all([a!.close(), b!.close()]);
      const again = createSqliteStorage(openDatabase(file), clock, cryptoRandom);
      assert.equal((await storedIdentityKeys({ store: again.identityKeys, secret, clock }).signing()).kid, kids[0]);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the private key is sealed under SECRET: nothing of it is in the database in clear', async () => {
    const storage = fresh();
    const key = await storedIdentityKeys({ store: storage.identityKeys, secret, clock: manualClock() }).signing();
    const dumped = JSON.stringify(await storage.dump());
    assert.ok(dumped.includes(key.kid), 'the kid is there, to find the key by');
    assert.ok(!dumped.includes(key.d), 'the private part is not');
    assert.ok(!dumped.includes(key.x), 'nor the public part: the whole JWK is sealed');
  });

  test('under another SECRET the keys are refused with a sentence that says what to do; SECRET_PREVIOUS reads them and seals them again', async () => {
    const storage = fresh();
    const clock = manualClock();
    const kid = (await storedIdentityKeys({ store: storage.identityKeys, secret, clock }).signing()).kid;
    await assert.rejects(
      storedIdentityKeys({ store: storage.identityKeys, secret: otherSecret, clock }).signing(),
      (e) => e instanceof IdentityKeysUnreadable && /sealed under another SECRET.*Set SECRET to the one this database was used with.*SECRET_PREVIOUS.*npm run rotate-keys -- --replace/.test(e.message),
    );
    const rotating = storedIdentityKeys({ store: storage.identityKeys, secret: otherSecret, previousSecret: secret, clock });
    assert.equal((await rotating.signing()).kid, kid, 'the same key signs after SECRET rotates');
    const afterRotation = storedIdentityKeys({ store: storage.identityKeys, secret: otherSecret, clock });
    assert.equal((await afterRotation.signing()).kid, kid, 'sealed under the new SECRET, so SECRET_PREVIOUS can go');
  });

  test('npm run rotate-keys puts a new key in front and keeps the previous one published; a running server notices within ten seconds', async () => {
    const storage = fresh();
    const clock = manualClock();
    const running = storedIdentityKeys({ store: storage.identityKeys, secret, clock });
    const old = (await running.signing()).kid;
    const kid = await rotateIdentityKeys({ store: storage.identityKeys, secret, clock });
    assert.equal((await running.signing()).kid, old, 'not before it looks again');
    clock.advance(10_000);
    assert.equal((await running.signing()).kid, kid);
    assert.deepEqual((await running.published()).map((k) => k.kid), [kid, old]);
    assert.ok((await running.published()).every((k) => !('d' in k)), 'only public halves are published');
    await rotateIdentityKeys({ store: storage.identityKeys, secret, clock });
    assert.equal((await storage.identityKeys.list()).length, 2, 'two kept');
  });

  test('rotate-keys keeps keys it cannot read unless told to replace them', async () => {
    const storage = fresh();
    const clock = manualClock();
    await storedIdentityKeys({ store: storage.identityKeys, secret, clock }).signing();
    await assert.rejects(rotateIdentityKeys({ store: storage.identityKeys, secret: otherSecret, clock }), IdentityKeysUnreadable);
    assert.equal((await storage.identityKeys.list()).length, 1, 'nothing changed');
    const kid = await rotateIdentityKeys({ store: storage.identityKeys, secret: otherSecret, clock, replace: true });
    assert.deepEqual((await storage.identityKeys.list()).map((k) => k.kid), [kid]);
    assert.equal((await storedIdentityKeys({ store: storage.identityKeys, secret: otherSecret, clock }).signing()).kid, kid);
  });

  test('the identity-keys.json of an earlier version moves into the database at the first start, newest in front, and the file is deleted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otp-keys-'));
    try {
      const [newest, older] = [newSigningKey(), newSigningKey()];
      const file = join(dir, 'identity-keys.json');
      writeFileSync(file, JSON.stringify({ keys: [newest, older] }), { mode: 0o600 });
      const storage = fresh();
      const moved: string[] = [];
      const keys = storedIdentityKeys({ store: storage.identityKeys, secret, clock: manualClock(), keyFile: file, onMoved: (f) => moved.push(f) });
      assert.equal((await keys.signing()).kid, newest.kid, 'tokens signed before the upgrade still verify');
      assert.deepEqual((await keys.published()).map((k) => k.kid), [newest.kid, older.kid]);
      assert.deepEqual(moved, [file]);
      assert.equal(existsSync(file), false, 'no private key left in clear');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
