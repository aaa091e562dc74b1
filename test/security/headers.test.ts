import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHarness } from '../server/harness.ts';

describe('headers (SECURITY-PLAN 41)', () => {
  test('API answers, refusals included, are never cached and carry nosniff', async () => {
    const h = createHarness();
    const ok = await h.post('/api/codes', { email: 'jo@example.com' });
    const forged = await h.post('/api/codes', { email: 'jo@example.com' }, { headers: { origin: 'https://evil.test' } });
    const big = await h.post('/api/codes', { email: 'jo@example.com', pad: 'x'.repeat(9000) });
    assert.deepEqual([ok.status, forged.status, big.status], [202, 403, 413]);
    for (const res of [ok, forged, big]) {
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    }
  });

  test('HSTS for a year when served over https, and not on plain-http localhost', async () => {
    const https = createHarness({ env: { PUBLIC_URL: 'https://login.example.com' } });
    assert.equal((await https.get('/api/session')).headers.get('strict-transport-security'), 'max-age=31536000; includeSubDomains');
    const local = createHarness();
    assert.equal((await local.get('/api/session')).headers.get('strict-transport-security'), null);
  });

  test('pages run only our own scripts and styles: a CSP with a fresh nonce that the inline code carries', async () => {
    const h = createHarness({ env: { ADMIN_EMAILS: 'boss@example.com' } });
    const { cookie } = await h.signIn({ email: 'boss@example.com' });
    const jo = await h.contacts.create({ email: 'jo@example.com' });
    await h.post(`/api/admin/contacts/${jo.id}/sign-in-link`, {}, { cookie });
    await h.queue.idle();
    const token = h.outbox.list('jo@example.com')[0]!.text.match(/t=([\w-]+)/)![1]!;
    const nonces = new Set<string>();
    for (const path of [`/signin/link?t=${token}`, `/signin/link?t=${token}`]) {
      const res = await h.get(path);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /object-src 'none'/);
      assert.match(csp, /frame-ancestors 'none'/);
      const nonce = csp.match(/script-src 'self' 'nonce-([^']+)'/)?.[1];
      assert.ok(nonce, csp);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      const html = await res.text();
      const inline = [...html.matchAll(/<(script|style)\b[^>]*>/g)].map((m) => m[0]);
      assert.ok(inline.length >= 2);
      for (const tag of inline) assert.ok(tag.includes(`nonce="${nonce}"`), tag);
      assert.doesNotMatch(html, /\sstyle="/, 'no inline style attributes');
      nonces.add(nonce);
    }
    assert.equal(nonces.size, 2, 'a new nonce for every answer');
  });
});
