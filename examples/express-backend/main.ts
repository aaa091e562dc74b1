/**
 * Runs the Express example: `OTP_LOGIN_URL=http://localhost:3000 PORT=4000 npx tsx examples/express-backend/main.ts`,
 * with otp-login started as `ALLOWED_ORIGINS=http://localhost:4000 npm start`. To receive its
 * events too, give both the same WEBHOOK_SECRET and otp-login WEBHOOK_URL=http://localhost:4000/hooks/otp-login.
 */
import { createBackend } from './backend.ts';

const port = Number(process.env.PORT || 4000);
const siteOrigin = process.env.SITE_ORIGIN || `http://localhost:${port}`;
const app = createBackend({
  otpLoginUrl: process.env.OTP_LOGIN_URL || 'http://localhost:3000',
  siteOrigin,
  webhookSecret: process.env.WEBHOOK_SECRET,
  onEvent: (event) => console.log(`${event.type} (${event.id})`),
});
app.listen(port, () => console.log(`Example shop (Express) at ${siteOrigin}`));
