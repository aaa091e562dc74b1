import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { createOtpLogin, type OtpLogin } from '../../../server/index.ts';
import { silentLogger } from '../../../server/log.ts';

// Issue 15 item 3: a card has an address. The page at it is the admin page, whose files and links
// resolve as from /admin, at the root and under a site's mount alike.
const dataDirs: string[] = [];
const otps: OtpLogin[] = [];
const servers: ServerType[] = [];
/** The site's address for each mount: otp-login as the whole server (''), and inside a site's app under /auth. */
const sites: Record<string, string> = {};

before(async () => {
  for (const mount of ['', '/auth']) {
    const dataDir = mkdtempSync(join(tmpdir(), 'otp-admin-page-'));
    const otp = createOtpLogin({ env: { DATA_DIR: dataDir }, log: silentLogger });
    dataDirs.push(dataDir);
    otps.push(otp);
    const app = mount ? new Hono().route(mount, otp) : otp;
    await new Promise<void>((resolve) => {
      servers.push(serve({ fetch: app.fetch, port: 0 }, (info) => {
        sites[mount] = `http://localhost:${info.port}`;
        resolve();
      }));
    });
  }
});
after(async () => {
  for (const server of servers) server.close();
  for (const otp of otps) await otp.close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** The `attribute` values of every `tag` in `html`, resolved against `pageUrl` as a browser would. */
function resolved(html: string, pageUrl: string, tag: string, attribute: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}\\b[^>]*\\b${attribute}="([^"]*)"`, 'g'))].map((m) => new URL(m[1]!, pageUrl).href);
}

describe('the admin page at a card’s address', () => {
  for (const mount of ['', '/auth']) {
    test(`${mount || 'at the root'}: /admin/contacts/:id is the admin page, signed out too, with every file and link where /admin has it`, async () => {
      const site = sites[mount]!;
      const cardUrl = `${site}${mount}/admin/contacts/c_ABC123`;
      const page = await fetch(cardUrl);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self' 'nonce-/);
      const html = await page.text();
      const admin = await (await fetch(`${site}${mount}/admin`)).text();
      for (const [tag, attribute] of [['script', 'src'], ['link', 'href'], ['a', 'href'], ['otp-admin', 'href']] as const) {
        assert.deepEqual(resolved(html, cardUrl, tag, attribute), resolved(admin, `${site}${mount}/admin`, tag, attribute), `<${tag} ${attribute}>`);
      }
      // The element is told where the admin page is, so it reads the card's id from the address.
      assert.deepEqual(resolved(html, cardUrl, 'otp-admin', 'href'), [`${site}${mount}/admin`]);
      for (const css of resolved(html, cardUrl, 'link', 'href')) assert.equal((await fetch(css)).status, 200, css);
      assert.doesNotMatch(html, /c_ABC123/, 'the page is the same for every card: the card comes from the admin API');
    });
  }

  test('a deeper path under a card is no page', async () => {
    const site = sites['']!;
    assert.equal((await fetch(`${site}/admin/contacts/c_1/extra`)).status, 404);
    assert.equal((await fetch(`${site}/admin/contacts/`)).status, 404);
  });
});
