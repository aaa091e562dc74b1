import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createHarness } from '../harness.ts';

// The body of a POST is read straight from Node's message on a real socket (server/http/body.ts),
// and through Hono's own reader everywhere else (app.request, as the other tests send). Both must
// answer every body alike, and refuse the same ones.
const h = createHarness({ tune: (c) => void (c.limits.sendsPerIpPerHour = 10_000) });
let server: ServerType;
let port = 0;
before(async () => {
  await new Promise<void>((ready) => {
    server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }, () => ready());
  });
  port = (server.address() as AddressInfo).port;
});
after(() => server.close());

/** POSTs raw bytes over the socket, with a Content-Length unless `chunked`. */
function overSocket(path: string, body: Buffer, { chunked = false } = {}): Promise<{ status: number; json: any }> {
  return new Promise((done, fail) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { origin: `http://localhost:${port}`, 'content-type': 'application/json', ...(!chunked && { 'content-length': body.length }) } },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part)).on('end', () => done({ status: res.statusCode!, json: JSON.parse(Buffer.concat(parts).toString() || 'null') }));
      },
    );
    req.on('error', fail);
    if (chunked) {
      // In pieces, with no declared length: only counting what arrives can refuse it.
      for (let at = 0; at < body.length; at += 1000) req.write(body.subarray(at, at + 1000));
      req.end();
    } else req.end(body);
  });
}

const inProcess = async (path: string, body: Buffer) => {
  const res = await h.app.request(`http://localhost:3000${path}`, { method: 'POST', headers: { origin: 'http://localhost:3000', 'content-type': 'application/json' }, body: new Uint8Array(body) }, { incoming: { socket: { remoteAddress: '203.0.113.7' } } });
  return { status: res.status, json: await res.json() };
};

/** A JSON body of exactly `size` bytes asking a code for `email`. */
const sized = (email: string, size: number) => {
  const head = `{"email":"${email}","pad":"`;
  return Buffer.from(`${head}${'x'.repeat(size - head.length - 2)}"}`);
};

describe('request bodies read from the socket', () => {
  const bodies: Array<[string, Buffer]> = [
    ['plain JSON', Buffer.from('{"email":"plain@example.com"}')],
    ['a byte-order mark first', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"email":"bom@example.com"}')])],
    ['bytes that are not UTF-8', Buffer.concat([Buffer.from('{"email":"bad'), Buffer.from([0xff, 0xfe]), Buffer.from('@example.com"}')])],
    ['nothing', Buffer.alloc(0)],
    ['malformed JSON', Buffer.from('{"email":')],
    ['exactly 8 KB', sized('eight@example.com', 8 * 1024)],
  ];
  for (const [name, body] of bodies) {
    test(`${name}: answered as Hono's own reader answers it`, async () => {
      const [socket, hono] = [await overSocket('/api/codes', body), await inProcess('/api/codes', body)];
      assert.equal(socket.status, hono.status);
      assert.deepEqual(socket.json?.error?.code, hono.json?.error?.code);
      assert.equal(socket.json?.destination, hono.json?.destination);
    });
  }

  test('one byte over 8 KB is refused with 413, declared or not, and nothing is sent', async () => {
    await h.queue.idle();
    const sent = h.outbox.list().length;
    for (const chunked of [false, true]) {
      const { status, json } = await overSocket('/api/codes', sized(`big${chunked}@example.com`, 8 * 1024 + 1), { chunked });
      assert.equal(status, 413, chunked ? 'counted as it arrives' : 'refused by its Content-Length');
      assert.equal(json.error.code, 'payload_too_large');
    }
    await h.queue.idle();
    assert.equal(h.outbox.list().length, sent, 'nothing sent');
  });

  test("the admin's CSV import may be up to 1 MB, with its own sentence past it", async () => {
    const path = '/api/admin/contacts/import';
    // 9 KB is past the API's limit but not the import's: it reaches the admin check (no cookie: 401).
    assert.equal((await overSocket(path, Buffer.alloc(9 * 1024, 'a'))).status, 401);
    const { status, json } = await overSocket(path, Buffer.alloc(1024 * 1024 + 1, 'a'), { chunked: true });
    assert.equal(status, 413);
    assert.match(json.error.message, /limit is 1 MB/);
  });
});
