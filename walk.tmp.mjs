import { chromium } from 'playwright-core';
const URL = 'http://localhost:3456';
const args = ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run','--disable-quic','--disable-dev-shm-usage'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args });
const codeFor = async (to, before = 0) => {
  for (let i = 0; i < 50; i++) {
    const { messages } = await (await fetch(`${URL}/dev/outbox.json?to=${encodeURIComponent(to)}`)).json();
    if (messages.length > before) return messages[0].text.match(/\b\d{6}\b/)[0];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no code for ' + to);
};
const count = async (to) => (await (await fetch(`${URL}/dev/outbox.json?to=${encodeURIComponent(to)}`)).json()).messages.length;
const text = async (page) => (await page.locator('otp-login').evaluate((el) => el.shadowRoot.textContent)).replace(/\s+/g, ' ');

// 1. The admin of ADMIN_EMAILS signs in to an empty, closed server.
const adminCtx = await browser.newContext({ viewport: { width: 1000, height: 1100 } });
const admin = await adminCtx.newPage();
await admin.goto(`${URL}/admin`);
const w = admin.locator('otp-login');
await w.locator('[part~="input"]').fill('root@example.com');
await w.locator('[part~="form"] [part~="button"]').first().click();
await w.locator('[part~="code-input"]').waitFor();
await w.locator('[part~="code-input"]').pressSequentially(await codeFor('root@example.com'), { delay: 30 });
await admin.locator('otp-add-contact').waitFor();
await admin.screenshot({ path: '/tmp/shots/1-admin-signed-in.png' });
const add = admin.locator('otp-add-contact');
await add.getByLabel('Email').fill('jo@example.com');
await add.getByLabel('Mobile number').fill('+44 7911 123456');
await add.getByLabel('Name (optional)').fill('Jo Bloggs');
await add.getByRole('button', { name: 'Add contact' }).click();
await add.getByText(/was added/).waitFor();
console.log('admin added:', (await add.evaluate((el) => el.shadowRoot?.textContent ?? el.textContent)).replace(/\s+/g, ' ').slice(0, 200));

// 2. Jo signs in on the demo site; Enter right after the sixth digit.
const joCtx = await browser.newContext({ viewport: { width: 420, height: 900 } });
const jo = await joCtx.newPage();
await jo.goto(URL);
const jw = jo.locator('otp-login');
await jw.locator('[part~="input"]').fill('jo@example.com');
await jw.locator('[part~="form"] [part~="button"]').first().click();
await jw.locator('[part~="code-input"]').waitFor();
console.log('code step:', await text(jo));
// 3. Reload in the middle of the sign-in.
await jo.reload();
await jw.locator('[part~="code-input"]').waitFor({ timeout: 5000 });
console.log('after reload:', await text(jo));
await jo.screenshot({ path: '/tmp/shots/3-after-reload.png' });
// Type the address again (Use a different email, then the same one): leads back to the code step.
const other = jw.getByRole('button', { name: /different|another/i });
if (await other.count()) {
  await other.first().click();
  await jw.locator('[part~="input"]').fill('jo@example.com');
  await jw.locator('[part~="form"] [part~="button"]').first().click();
  await jw.locator('[part~="code-input"]').waitFor();
  console.log('same address again:', await text(jo));
  await jo.screenshot({ path: '/tmp/shots/3b-same-address-again.png' });
}
console.log('messages to jo:', await count('jo@example.com'));
await jw.locator('[part~="code-input"]').pressSequentially(await codeFor('jo@example.com'), { delay: 30 });
await jo.keyboard.press('Enter');
await jo.waitForTimeout(800);
console.log('after Enter:', await text(jo));
await jo.screenshot({ path: '/tmp/shots/2-signed-in-after-enter.png' });

// 4. A landline.
const anonCtx = await browser.newContext({ viewport: { width: 420, height: 900 } });
const anon = await anonCtx.newPage();
await anon.goto(URL);
const aw = anon.locator('otp-login');
await aw.locator('[part~="input"]').fill('+44 20 7946 0958');
await aw.locator('[part~="form"] [part~="button"]').first().click();
await anon.waitForTimeout(800);
console.log('landline:', await text(anon));
await anon.screenshot({ path: '/tmp/shots/4-landline.png' });
await browser.close();
