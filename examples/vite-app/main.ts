// The widget from npm: importing it defines <otp-login>, and its events are typed.
import 'otp-login/widget';

const who = document.querySelector<HTMLElement>('#who')!;

// The sign-in cookie is this site's own, so the backend's /account route (server.ts) knows the person.
document.addEventListener('otp-signed-in', async () => {
  const response = await fetch('/account');
  const { contact } = (await response.json()) as { contact: { email: string | null; phone: string | null } };
  who.textContent = `Signed in as ${contact.email ?? contact.phone}. This week’s tides are below.`;
});
document.addEventListener('otp-signed-out', () => {
  who.textContent = 'Sign in to see this week’s tides.';
});
