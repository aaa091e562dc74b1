import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { codeFromOutbox, freePort, launchChromium, startServer, type RunningServer } from './server.ts';

// Issue 13 (SPEC R10): codes, limits and locks live in DATA_DIR's database, so a deploy in the
// middle of a sign-in changes nothing for the person. Each test restarts `npm start` on the same
// port and DATA_DIR, as a deploy does.

/** `npm start` on one port and DATA_DIR, restartable. */
function restartable(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'otp-restart-'));
  let port = 0;
  let server: RunningServer | undefined;
  return {
    async start() {
      port ||= await freePort();
      server = await startServer({ port, env: { DATA_DIR: dataDir, ...env } });
      return server;
    },
    async stop() {
      await server!.stop();
    },
    cleanUp: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

const post = (url: string, path: string, body: unknown) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url }, body: JSON.stringify(body) });

describe('nothing is lost to a restart (R10)', () => {
  let browser: Browser;
  before(async () => (browser = await launchChromium()));
  after(() => browser.close());

  test('a code asked for before a restart signs in after it: the page reloads onto the code step and the code works', async () => {
    const deploy = restartable();
    try {
      let server = await deploy.start();
      const page = await (await browser.newContext()).newPage();
      await page.goto(server.url);
      const widget = page.locator('otp-login');
      await widget.locator('[part~="input"]').fill('jo@example.com');
      await widget.locator('[part~="form"] [part~="button"]').first().click();
      await widget.locator('[part~="code-input"]').waitFor();
      // The message arrived before the deploy; the development outbox lives in memory, so read it now.
      const code = await codeFromOutbox(server.url, 'jo@example.com');

      await deploy.stop();
      server = await deploy.start();
      await page.reload();
      await widget.locator('[part~="code-input"]').waitFor();
      await widget.locator('[part~="code-input"]').pressSequentially(code, { delay: 10 });
      await widget.locator('#sign-out').waitFor();
      await deploy.stop();
    } finally {
      deploy.cleanUp();
    }
  });

  test('an address locked by wrong codes is still locked after a restart, and its limits still count', async () => {
    const deploy = restartable({ FAILURES_BEFORE_WAIT: '3', FAILURES_BEFORE_LOCK: '3' });
    try {
      let server = await deploy.start();
      const jo = { email: 'jo@example.com' };
      const asked = await (await post(server.url, '/api/codes', jo)).json();
      for (let i = 0; i < 3; i++) assert.equal((await post(server.url, '/api/codes/verify', { ...jo, code: '000000' })).status, 401);
      const locked = await post(server.url, '/api/codes/verify', { ...jo, code: '000000' });
      assert.deepEqual([locked.status, (await locked.json()).error.locked], [429, true]);

      await deploy.stop();
      server = await deploy.start();
      const still = await post(server.url, '/api/codes/verify', { ...jo, code: '000000' });
      assert.deepEqual([still.status, (await still.json()).error.locked], [429, true], 'still locked');
      const another = await post(server.url, '/api/codes', { ...jo });
      assert.deepEqual([another.status, (await another.json()).error.locked], [429, true], 'and no new code is sent to a locked address');
      // The resend cooldown counted before the restart holds after it, for the person holding the code.
      const other = { email: 'ann@example.com' };
      const first = await (await post(server.url, '/api/codes', other)).json();
      await deploy.stop();
      server = await deploy.start();
      const tooSoon = await post(server.url, '/api/codes', { ...other, previousSentAt: first.sentAt });
      assert.equal(tooSoon.status, 429);
      assert.ok(asked.sentAt);
      await deploy.stop();
    } finally {
      deploy.cleanUp();
    }
  });
});
