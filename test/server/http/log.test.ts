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

test('info lines are gathered into one write; a warning writes what is pending first, then itself', async () => {
  const { writes, out, err } = sinks();
  const log = bufferedLogger({ out, err, everyMs: 20 });
  log.info('GET /api/session 200 0.4ms');
  log.info('POST /api/codes 202 11.0ms j•••@example.com');
  assert.deepEqual(writes, [], 'held back for a moment');
  log.warn('Redis is unreachable');
  log.info('GET /api/session 503 2000.1ms');
  assert.deepEqual(writes, [
    ['out', 'GET /api/session 200 0.4ms\nPOST /api/codes 202 11.0ms j•••@example.com\n'],
    ['err', 'Redis is unreachable\n'],
  ]);
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(writes.at(-1), ['out', 'GET /api/session 503 2000.1ms\n'], 'written within everyMs');
  assert.equal(writes.length, 3);
});

test('past maxBytes the lines are written at once', () => {
  const { writes, out, err } = sinks();
  const log = bufferedLogger({ out, err, everyMs: 60_000, maxBytes: 100 });
  for (let i = 0; i < 10; i++) log.info(`line ${i} ${'x'.repeat(20)}`);
  assert.ok(writes.length >= 2, 'written before the timer');
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
