// The baseline of `npm run bench:http`: a bare Hono app on @hono/node-server answering the same
// routes with the same JSON as otp-login, and nothing else (no storage, no log, no checks).
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const session = JSON.parse(process.env.SESSION_JSON ?? '{}');
const app = new Hono();
app.get('/api/session', (c) => c.json(session));
app.post('/api/codes', async (c) => {
  await c.req.json();
  return c.json({ status: 'sent_if_registered', channel: 'email', destination: 'j•••@example.com', resendAfter: 30 }, 202);
});
app.post('/api/codes/verify', async (c) => {
  await c.req.json();
  return c.json({ error: { code: 'wrong_code', message: 'That code isn’t right.', attemptsLeft: 4 } }, 401);
});
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }, () => console.log('ready'));
