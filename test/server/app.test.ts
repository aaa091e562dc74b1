import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHarness } from './harness.ts';

/** Requests from this machine, where the development outbox answers. */
const local = { ip: '127.0.0.1' };

describe('development outbox', () => {
  test('lists messages newest first with SPEC fields, filtered by address', async () => {
    const h = createHarness();
    await h.post('/api/codes', { email: 'jo@example.com' });
    await h.post('/api/codes', { phone: '+14155550123' });
    await h.queue.idle();
    h.clock.advance(31_000);
    await h.post('/api/codes', { email: 'jo@example.com' });
    await h.queue.idle();
    const { messages } = await (await h.get('/dev/outbox.json?to=Jo@Example.com', local)).json();
    assert.equal(messages.length, 2);
    assert.deepEqual(Object.keys(messages[0]).sort(), ['channel', 'sentAt', 'text', 'to']);
    assert.match(messages[0].text, /code 2\./);
    assert.ok(messages[0].sentAt > messages[1].sentAt);
    const all = await (await h.get('/dev/outbox.json', local)).json();
    assert.equal(all.messages.length, 3);
  });

  test('a phone number with an unencoded + in the query still finds its messages', async () => {
    const h = createHarness();
    await h.post('/api/codes', { phone: '+14155550123' });
    await h.queue.idle();
    assert.equal((await (await h.get('/dev/outbox.json?to=+14155550123', local)).json()).messages.length, 1);
    assert.equal((await (await h.get('/dev/outbox.json?to=%2B14155550123', local)).json()).messages.length, 1);
  });

  test('the outbox page shows the messages as readable HTML', async () => {
    const h = createHarness();
    await h.post('/api/codes', { email: 'jo@example.com' });
    await h.queue.idle();
    const page = await (await h.get('/dev/outbox', local)).text();
    assert.match(page, /<h1>Development outbox<\/h1>/);
    assert.match(page, /jo@example\.com/);
    assert.match(page, /code 1\./);
  });

  test('answers only a person on this machine, not another host or a proxy forwarding a public name', async () => {
    const h = createHarness();
    assert.equal((await h.get('/dev/outbox.json', local)).status, 200);
    assert.equal((await h.get('/dev/outbox.json', { ip: '192.0.2.10' })).status, 404);
    const proxied = createHarness({ env: { PUBLIC_URL: 'https://login.acme.test' } });
    assert.equal((await proxied.get('/dev/outbox.json', local)).status, 404);
    assert.equal((await proxied.get('/dev/outbox', local)).status, 404);
  });

  test('is not there in production', async () => {
    const h = createHarness({ env: { NODE_ENV: 'production' } });
    assert.equal((await h.get('/dev/outbox.json', local)).status, 404);
    assert.equal((await h.get('/dev/outbox', local)).status, 404);
  });
});

describe('body limits', () => {
  test('a CSV import over 1 MB is refused with a sentence telling the admin to split the file', async () => {
    const h = createHarness();
    const csv = `email\n${'someone@example.com\n'.repeat(60_000)}`;
    const res = await h.post('/api/admin/contacts/import', csv, { headers: { 'content-type': 'text/csv' } });
    const { error } = await res.json();
    assert.deepEqual([res.status, error.code], [413, 'payload_too_large']);
    assert.match(error.message, /Split it into smaller files/);
  });
});
