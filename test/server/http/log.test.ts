import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { bufferedLogger } from '../../../server/log.ts';

const run = promisify(execFile);

/** Every write, in order, to either stream. */
function sinks() {
  const writes: Array<[string, string]> = [];
  return { writes, out: { write: (t: string) => writes.push(['out', t]) }, err: { write: (t: string) => writes.push(['err', t]) } };
}

test('a line after a quiet moment is written at once; the ones after it within everyMs are gathered into one write', async () => {
  const { writes, out, err } = sinks();
  const log = bufferedLogger({ out, err, everyMs: 20 });
  log.info('otp-login is running at http://localhost:3000');
  assert.deepEqual(writes, [['out', 'otp-login is running at http://localhost:3000\n']], 'the first line at once');
  log.info('GET /api/session 200 0.4ms');
  log.info('POST /api/codes 202 11.0ms j•••@example.com');
  assert.equal(writes.length, 1, 'the next ones held back for a moment');
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(writes[1], ['out', 'GET /api/session 200 0.4ms\nPOST /api/codes 202 11.0ms j•••@example.com\n'], 'together, within everyMs');
  assert.equal(writes.length, 2);
});

test('a warning writes what is pending first, then itself', () => {
  const { writes, out, err } = sinks();
  const log = bufferedLogger({ out, err, everyMs: 60_000 });
  log.info('GET / 200 0.3ms');
  log.info('GET /api/session 200 0.4ms');
  log.warn('Redis is unreachable');
  assert.deepEqual(writes, [
    ['out', 'GET / 200 0.3ms\n'],
    ['out', 'GET /api/session 200 0.4ms\n'],
    ['err', 'Redis is unreachable\n'],
  ]);
});

test('past maxBytes the lines are written at once', () => {
  const { writes, out, err } = sinks();
  const log = bufferedLogger({ out, err, everyMs: 60_000, maxBytes: 100 });
  for (let i = 0; i < 10; i++) log.info(`line ${i} ${'x'.repeat(20)}`);
  assert.ok(writes.length >= 3, 'written before the timer, besides the first line');
  assert.ok(writes.every(([, text]) => text.length <= 100 + 30));
});

// What a process writes just before it ends is not lost: process.exit(), an uncaught error, or
// the end of its work. (Only a kill -9 can lose the last moment's lines.)
for (const [how, ending] of [
  ['process.exit()', 'process.exit(0);'],
  ['an uncaught exception', "throw new Error('boom');"],
  ['nothing left to do', ''],
] as const) {
  test(`the last lines are written when the process ends by ${how}`, async () => {
    const script = `
      import { bufferedLogger } from './server/log.ts';
      const log = bufferedLogger({ everyMs: 60_000 });
      for (let i = 0; i < 1000; i++) log.info('line ' + i);
      ${ending}`;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd() }).catch((failed: { stdout: string }) => failed);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 1000);
    assert.equal(lines.at(-1), 'line 999');
  });
}
