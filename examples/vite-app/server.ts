/**
 * The site's backend: otp-login mounted under /auth, a route that reads the signed-in contact, and
 * the page Vite built (dist/).
 *
 *   npm run build && npm start          # http://localhost:3000
 *   npm run dev                          # Vite on :5173, with /auth and /account sent here (vite.config.ts)
 */
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { createOtpLogin } from 'otp-login/server';

const port = Number(process.env.PORT || 3000);
const otp = createOtpLogin({
  env: {
    ...process.env,
    // The Vite dev server's page calls the API through its proxy, from its own origin.
    ALLOWED_ORIGINS: process.env.ALLOWED_ORIGINS ?? 'http://localhost:5173',
  },
});

const app = new Hono();
app.route('/auth', otp);
app.get('/account', otp.contact({ required: true }), (c) => c.json({ contact: c.var.contact }));
app.use('/*', serveStatic({ root: './dist' }));

serve({ fetch: app.fetch, port }, () => console.log(`Tide Tables at http://localhost:${port} (admin: /auth/admin)`));
process.on('SIGTERM', () => void otp.close().then(() => process.exit(0)));
