import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Logger } from '../../server/log.ts';
import { createHarness } from './harness.ts';

const serverFiles = (dir = 'server'): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? serverFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

describe('codes stay secret (R2)', () => {
  test('the server never uses Math.random, and compares codes with timingSafeEqual', () => {
    for (const file of serverFiles()) assert.doesNotMatch(readFileSync(file, 'utf8'), /Math\.random/, file);
    assert.match(readFileSync('server/codes.ts', 'utf8'), /timingSafeEqual\(/);
  });

  test('no code reaches the log, except the development outbox lines meant for the terminal', async () => {
    const lines: string[] = [];
    const log: Logger = { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
    const h = createHarness({ log });
    const { cookie } = await h.signIn({ email: 'jo@example.com' });
    h.clock.advance(31_000);
    await h.post('/api/codes', { email: 'jo@example.com' });
    const code = await h.latestCode('jo@example.com');
    for (const wrong of ['000000', '111111']) await h.post('/api/codes/verify', { email: 'jo@example.com', code: wrong });
    await h.post('/api/codes/verify', { email: 'jo@example.com', code: 'not-a-code' });
    await h.post('/api/session/sign-out', undefined, { cookie });
    const issued = h.outbox.list().map((m) => m.text.match(/\b\d{6}\b/)![0]);
    assert.ok(issued.includes(code));
    const elsewhere = lines.filter((line) => !line.startsWith('[dev outbox]'));
    for (const c of issued) assert.ok(!elsewhere.some((line) => line.includes(c)), `code ${c} logged`);
    assert.ok(lines.some((line) => line.startsWith('[dev outbox]')), 'the outbox did log');
  });
});
