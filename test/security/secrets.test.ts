import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Logger } from '../../server/log.ts';
import { cookieHeader, createHarness, mapCodeStore, SECRET } from '../server/harness.ts';

describe('secrets never reach the log (SECURITY-PLAN 16)', () => {
  test('a whole run — codes, wrong codes, sign-ins, a sign-in link, sign-out, admin views — logs no code, token, link or full address', async () => {
    const lines: string[] = [];
    const log: Logger = { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
    const h = createHarness({ log, env: { ADMIN_EMAILS: 'boss@example.com' } });
    const admin = await h.signIn({ email: 'boss@example.com' });
    const jo = await h.signIn({ email: 'jo@example.com' });
    const ann = await h.signIn({ phone: '+14155550123' });
    h.clock.advance(31_000);
    await h.post('/api/codes', { email: 'jo@example.com' });
    for (const wrong of ['000000', '111111']) await h.post('/api/codes/verify', { email: 'jo@example.com', code: wrong });
    await h.post('/api/codes/verify', { email: 'jo@example.com', code: 'not-a-code' });
    await h.post('/api/codes', { email: 'nobody@example.com' });
    const contact = await h.contacts.findByIdentifier({ kind: 'email', value: 'jo@example.com' });
    await h.post(`/api/admin/contacts/${contact!.id}/sign-in-link`, {}, { cookie: admin.cookie });
    await h.get(`/api/admin/contacts/${contact!.id}`, { cookie: admin.cookie });
    await h.queue.idle();
    const linkToken = h.outbox.list('jo@example.com')[0]!.text.match(/t=([\w-]+)/)![1]!;
    await h.get(`/signin/link?t=${linkToken}`);
    const linked = await h.post('/api/links/redeem', { token: linkToken });
    await h.post('/api/session/sign-out', {}, { cookie: jo.cookie });

    const codes = h.outbox.list().flatMap((m) => m.text.match(/\b\d{6}\b/g) ?? []);
    const tokens = [admin.cookie, jo.cookie, ann.cookie, cookieHeader(linked)].flatMap((c) => c.split('; ').map((pair) => pair.split('=')[1]!)).filter((t) => t.length > 20);
    assert.ok(codes.length >= 5 && tokens.length >= 4, 'the run issued codes and tokens');
    const whole = lines.join('\n');
    for (const secret of [...codes, ...tokens, linkToken]) assert.ok(!whole.includes(secret), `logged: ${secret}`);
    for (const address of ['jo@example.com', 'boss@example.com', 'nobody@example.com', '+14155550123']) assert.ok(!whole.includes(address), `logged in full: ${address}`);
  });

  test('each request is logged once with its request id (also in X-Request-Id), method, path without the query, status and the masked identifier', async () => {
    const lines: string[] = [];
    const h = createHarness({ log: { info: (m) => lines.push(m), warn() {}, error() {} } });
    const res = await h.post('/api/codes', { email: 'jo@example.com' });
    const id = res.headers.get('x-request-id');
    assert.match(id ?? '', /^[\w-]{36}$/);
    const line = lines.find((l) => l.startsWith(id!));
    assert.match(line ?? '', /^[\w-]{36} POST \/api\/codes 202 [\d.]+ms j•••@example\.com$/);
    await h.get('/signin/link?t=secret-token-in-the-query');
    assert.ok(lines.some((l) => / GET \/signin\/link 410 /.test(l)));
    assert.ok(!lines.join('\n').includes('secret-token-in-the-query'));
  });
});

describe('the request log cannot be forged from a request', () => {
  test('a path with %0a, %0d, %00, %20, U+2028 or a bidi override writes one line, with each such character escaped', async () => {
    const lines: string[] = [];
    const h = createHarness({ log: { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) } });
    const forged = '00000000-0000-0000-0000-000000000000 POST /api/codes/verify 200 1.0ms j•••@example.com';
    const inPath = forged.replaceAll(' ', '%20');
    const paths = [`/x%0a${inPath}`, `/x%0d%0a${inPath}`, '/a%00b', '/x%20200%201.0ms', '/x%E2%80%A8y', '/x%E2%80%AEy', '/back%5Cx0a'];
    for (const path of paths) await h.get(path);
    assert.equal(lines.length, paths.length, 'one line per request');
    const whole = lines.join('\n');
    assert.doesNotMatch(whole, /[\0\r\u2028\u202e]/);
    assert.equal(whole.split('\n').length, paths.length, 'no line break inside a line');
    // Every line keeps its shape: id, method, one path field, status, time.
    for (const line of lines) assert.match(line, /^[\w-]{36} GET \S+ 404 [\d.]+ms$/);
    assert.deepEqual(lines.map((l) => l.split(' ')[2]), [
      `/x\\x0a${forged.replaceAll(' ', '\\x20')}`,
      `/x\\x0d\\x0a${forged.replaceAll(' ', '\\x20')}`,
      '/a\\x00b',
      '/x\\x20200\\x201.0ms',
      '/x\\u2028y',
      '/x\\u202ey',
      // A backslash is escaped too, so "\x0a" in a line always means an escaped line break.
      '/back\\\\x0a',
    ]);
  });
});

describe('SECRET rotation (SECURITY-PLAN 15)', () => {
  const OLD = Buffer.from('old-secret-old-secret-old-secret-old!');
  const NEW = Buffer.from('new-secret-new-secret-new-secret-new!');

  test('with SECRET_PREVIOUS a remembered browser stays signed in and moves to the new key; a code sent just before still works', async () => {
    const dbFile = join(mkdtempSync(join(tmpdir(), 'otp-rotate-')), 'db.sqlite');
    // The codes' store outlives the restart, as Redis does when scaled out.
    const codeStore = mapCodeStore();
    const before = createHarness({ dbFile, secret: OLD, codeStore });
    const { cookie } = await before.signIn({ email: 'jo@example.com' });
    before.clock.advance(31_000);
    await before.post('/api/codes', { email: 'ann@example.com' });
    const code = await before.latestCode('ann@example.com');
    const token = cookie.split('=')[1]!;

    const withoutPrevious = createHarness({ dbFile, secret: NEW });
    assert.equal((await (await withoutPrevious.get('/api/session', { cookie })).json()).reason, 'unknown_device', 'a new key alone does not know the old digest');

    const rotating = createHarness({ dbFile, secret: NEW, previousSecret: OLD, codeStore });
    rotating.clock.advance(before.clock.now() - rotating.clock.now());
    assert.equal((await rotating.post('/api/codes/verify', { email: 'ann@example.com', code })).status, 200, 'the code sent under the old key');
    assert.equal((await (await rotating.get('/api/session', { cookie })).json()).signedIn, true);
    const jo = (await rotating.contacts.findByIdentifier({ kind: 'email', value: 'jo@example.com' }))!;
    const [stored] = await rotating.storage.admin.devicesOf(jo.id);
    assert.equal(stored?.tokenHash, rotating.hashes.digest(token), 'now stored under the new key');

    const after = createHarness({ dbFile, secret: NEW });
    assert.equal((await (await after.get('/api/session', { cookie })).json()).signedIn, true, 'and found once SECRET_PREVIOUS is gone');
  });
});

describe('tokens at rest (SECURITY-PLAN 15)', () => {
  test('a device token and a sign-in link token are stored only as HMAC-SHA256 under SECRET: not in clear, not as a plain SHA-256', async () => {
    const h = createHarness({ env: { ADMIN_EMAILS: 'boss@example.com' } });
    const admin = await h.signIn({ email: 'boss@example.com' });
    const jo = await h.contacts.create({ email: 'jo@example.com' });
    await h.post(`/api/admin/contacts/${jo.id}/sign-in-link`, {}, { cookie: admin.cookie });
    await h.queue.idle();
    const linkToken = h.outbox.list('jo@example.com')[0]!.text.match(/t=([\w-]+)/)![1]!;
    const deviceToken = admin.cookie.split('=')[1]!;
    const keyed = (token: string) => createHmac('sha256', SECRET).update(`token\n${token}`).digest('hex');
    const plain = (token: string) => createHash('sha256').update(token).digest('hex');
    const boss = (await h.contacts.findByIdentifier({ kind: 'email', value: 'boss@example.com' }))!;
    const [device] = await h.storage.admin.devicesOf(boss.id);
    assert.equal(device?.tokenHash, keyed(deviceToken));
    assert.equal((await h.storage.links.find(keyed(linkToken)))?.contactId, jo.id, 'the link is kept under the keyed digest');
    const everything = JSON.stringify(await h.storage.dump());
    for (const token of [deviceToken, linkToken]) {
      assert.ok(!everything.includes(token), 'not in clear');
      assert.ok(!everything.includes(plain(token)), 'not as a plain SHA-256');
    }
  });
});
