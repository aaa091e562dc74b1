import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createHarness, type Harness } from '../harness.ts';

const ORIGIN = { origin: 'http://localhost:3000' };
const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The admin API as the browser with `cookie` calls it. */
const adminOf = (h: Harness, cookie: string) => ({
  get: (path: string) => h.get(`/api/admin${path}`, { cookie }),
  post: (path: string, body: unknown = {}) => h.post(`/api/admin${path}`, body, { cookie, headers: ORIGIN }),
});

async function signedIn(h: Harness, email: string) {
  const { res, cookie } = await h.signIn({ email });
  return { id: (await res.json()).contact.id as string, cookie, ...adminOf(h, cookie) };
}

const auditOf = async (api: ReturnType<typeof adminOf>, id: string) =>
  ((await (await api.get(`/contacts/${id}`)).json()).audit as Array<{ action: string; adminEmail: string | null; adminId: string | null; detail: string | null }>).map((a) => [a.action, a.adminEmail, a.detail]);

describe('admin roles (issue 12)', () => {
  test('an admin makes a contact admin and removes the role again; each is audited and takes effect at once', async () => {
    const h = createHarness({ env: { ADMIN_EMAILS: 'boss@example.com' } });
    const boss = await signedIn(h, 'boss@example.com');
    const jo = await signedIn(h, 'jo@example.com');
    assert.equal((await jo.get('/contacts')).status, 403);
    const made = await boss.post(`/contacts/${jo.id}/make-admin`);
    assert.deepEqual([made.status, (await made.json()).contact.role], [200, 'admin']);
    assert.equal((await jo.get('/contacts')).status, 200);
    assert.deepEqual(await (await boss.post(`/contacts/${jo.id}/make-admin`)).json().then((b) => b.changed), false, 'twice changes nothing');
    const removed = await boss.post(`/contacts/${jo.id}/remove-admin`);
    assert.deepEqual([removed.status, (await removed.json()).contact.role], [200, 'contact']);
    assert.equal((await jo.get('/contacts')).status, 403, 'the remembered browser is no admin any more');
    assert.deepEqual(await auditOf(boss, jo.id), [
      ['remove_admin', 'boss@example.com', null],
      ['make_admin', 'boss@example.com', null],
    ]);
  });

  test('the last admin cannot remove their own role, and is told why; with another admin they can', async () => {
    const h = createHarness({ env: { ADMIN_EMAILS: 'boss@example.com' } });
    const boss = await signedIn(h, 'boss@example.com');
    const jo = await signedIn(h, 'jo@example.com');
    await boss.post(`/contacts/${jo.id}/make-admin`);
    // Jo was made admin by hand: as the only other admin, Jo cannot step down while Boss is deactivated.
    await jo.post(`/contacts/${boss.id}/deactivate`);
    const refused = await jo.post(`/contacts/${jo.id}/remove-admin`);
    const body = await refused.json();
    assert.deepEqual([refused.status, body.error.code], [409, 'cannot_change_role']);
    assert.match(body.error.message, /You are the only admin: without you, nobody could open the admin\. Make another contact an admin first/);
    assert.equal((await jo.get('/contacts')).status, 200, 'still an admin');
    await jo.post(`/contacts/${boss.id}/activate`);
    assert.equal((await jo.post(`/contacts/${jo.id}/remove-admin`)).status, 200);
    assert.equal((await jo.get('/contacts')).status, 403);
  });

  test('a role ADMIN_EMAILS gives cannot be removed on the card: the answer says to change the variable', async () => {
    const h = createHarness({ env: { ADMIN_EMAILS: 'boss@example.com,chief@example.com' } });
    const boss = await signedIn(h, 'boss@example.com');
    const chief = await signedIn(h, 'chief@example.com');
    const refused = await boss.post(`/contacts/${chief.id}/remove-admin`);
    const body = await refused.json();
    assert.deepEqual([refused.status, body.error.code], [409, 'cannot_change_role']);
    assert.match(body.error.message, /ADMIN_EMAILS lists chief@example\.com.*Remove it from ADMIN_EMAILS and restart the server/);
    assert.equal((await chief.get('/contacts')).status, 200);
  });

  test('removed from ADMIN_EMAILS, an admin it made is demoted at the next admin request (audited); one made by hand stays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otp-roles-'));
    dirs.push(dir);
    const dbFile = join(dir, 'otp.sqlite');
    const before = createHarness({ dbFile, env: { ADMIN_EMAILS: 'boss@example.com,chief@example.com' } });
    const boss = await signedIn(before, 'boss@example.com');
    const chief = await signedIn(before, 'chief@example.com');
    const jo = await signedIn(before, 'jo@example.com');
    await boss.post(`/contacts/${jo.id}/make-admin`);
    await before.storage.close();

    // The server restarts with chief taken out of ADMIN_EMAILS; the browsers stay remembered.
    const h = createHarness({ dbFile, env: { ADMIN_EMAILS: 'boss@example.com' } });
    const refused = await adminOf(h, chief.cookie).get('/contacts');
    const body = await refused.json();
    assert.deepEqual([refused.status, body.error.code], [403, 'forbidden']);
    assert.match(body.error.message, /ADMIN_EMAILS, which no longer lists your email address/);
    assert.equal((await h.contacts.findById(chief.id))!.role, 'contact');
    assert.equal((await adminOf(h, chief.cookie).get('/contacts')).status, 403, 'and stays so');
    assert.equal((await adminOf(h, jo.cookie).get('/contacts')).status, 200, 'made admin by hand: not the variable’s to take');
    assert.deepEqual(await auditOf(adminOf(h, boss.cookie), chief.id), [['admin_role_ended', null, 'ADMIN_EMAILS no longer lists chief@example.com']]);
    await h.storage.close();
  });
});
