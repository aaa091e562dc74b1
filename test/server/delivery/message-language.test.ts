import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHarness } from '../harness.ts';

describe('code messages in the widget’s language (issue 7)', () => {
  test('an email in French, with the code’s number, the minutes and "only the newest"', async () => {
    const h = createHarness({ env: { SITE_NAME: 'Acme' } });
    await h.post('/api/codes', { email: 'jo@example.com', lang: 'fr-CA' });
    await h.queue.idle();
    const [message] = h.outbox.list('jo@example.com');
    const code = message!.text.match(/\b\d{6}\b/)![0];
    assert.equal(message!.subject, `Votre code ${code} pour Acme — code 1`);
    assert.match(message!.text, /^Votre code de connexion à Acme est \d{6}\.\n\nC’est le code 1\. Il est valable 10 minutes \(jusqu’à 14:10 UTC\) et seul le plus récent fonctionne\u202f: /);
  });

  test('a text in Portuguese still ends with the line that binds it to the site', async () => {
    const h = createHarness({ env: { SITE_NAME: 'Acme' } });
    await h.post('/api/codes', { phone: '+14155550123', lang: 'pt-BR' });
    await h.queue.idle();
    const text = h.outbox.list('+14155550123')[0]!.text;
    assert.match(text, /^\d{6} é seu código de acesso a Acme \(código 1\)\. Ele expira em 10 minutos\. Não compartilhe\.\n\n@localhost #\d{6}$/);
  });

  test('a language we do not write gets English; a "lang" that is not text is refused and nothing is sent', async () => {
    const h = createHarness({ env: { SITE_NAME: 'Acme' } });
    await h.post('/api/codes', { email: 'jo@example.com', lang: 'ja' });
    await h.queue.idle();
    assert.match(h.outbox.list('jo@example.com')[0]!.subject, /^Your code \d{6} for Acme — code 1$/);
    const res = await h.post('/api/codes', { email: 'ann@example.com', lang: 42 });
    assert.deepEqual([res.status, (await res.json()).error.code], [400, 'invalid_request']);
    await h.queue.idle();
    assert.equal(h.outbox.list('ann@example.com').length, 0);
  });
});
