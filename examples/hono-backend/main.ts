/**
 * Runs the example backend: `OTP_LOGIN_URL=http://localhost:3000 PORT=4000 npx tsx examples/hono-backend/main.ts`,
 * with otp-login started as `ALLOWED_ORIGINS=http://localhost:4000 npm start`.
 */
import { serve } from '@hono/node-server';
import { createBackend } from './backend.ts';

const port = Number(process.env.PORT || 4000);
const siteOrigin = process.env.SITE_ORIGIN || `http://localhost:${port}`;
const app = createBackend({ otpLoginUrl: process.env.OTP_LOGIN_URL || 'http://localhost:3000', siteOrigin });
serve({ fetch: app.fetch, port }, () => console.log(`Example shop at ${siteOrigin}`));
