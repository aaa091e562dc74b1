import { escapeHtml } from '../html.ts';
import { nonceOf } from '../http/security-headers.ts';
import { mountOf } from '../http/mount.ts';
import { Hono, type Context } from 'hono';
import type { Config } from '../config/config.ts';
import type { Contact, ContactStore } from '../contacts/contacts.ts';
import { publicContact } from '../contacts/contacts.ts';
import { rememberBrowser, type CookieJars } from '../http/session-cookies.ts';
import { publicDevice, type DeviceService } from '../contacts/devices.ts';
import { apiError } from '../http/errors.ts';
import { maskIdentifier, type Channel, type Identifier } from '../identifiers.ts';
import type { Links } from './links.ts';
import { promoteIfListed } from '../contacts/admin-emails.ts';

/** A small page in the demo's look; inline code carries the answer's CSP nonce (http/security-headers.ts). */
const page = (c: Context, title: string, body: (nonce: string) => string) => {
  const nonce = escapeHtml(nonceOf(c));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="stylesheet" href="${escapeHtml(mountOf(c))}/demo.css"><style nonce="${nonce}">main { display: block; max-width: 30rem; }</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body(nonce)}</main></body></html>`;
};

const failures = {
  unknown: 'This sign-in link is not valid. Ask the site’s team for a new one, or sign in with a code.',
  used: 'This sign-in link was already used: each link works once. Ask the site’s team for a new one, or sign in with a code.',
  expired: 'This sign-in link has expired: links work for 15 minutes. Ask the site’s team for a new one, or sign in with a code.',
  cancelled: 'This sign-in link no longer works: the address it was sent to was changed since. Ask the site’s team for a new one, or sign in with a code.',
};

const kindOf = (channel: Channel) => (channel === 'email' ? 'email' : 'phone');

/**
 * Sign-in links: GET shows a confirm page and changes nothing (mail scanners open links); the
 * page's button POSTs, which uses the link once and remembers this browser.
 */
export function createLinkRoutes({ config, links, contacts, devices, jarOf, signedIn }: {
  config: Config;
  links: Links;
  contacts: ContactStore;
  devices: DeviceService;
  jarOf: CookieJars;
  /** A sign-in by link lifts the wrong-code back-off on the contact's identifiers. */
  signedIn: (contact: Contact) => Promise<void>;
}) {
  const app = new Hono();

  app.get('/signin/link', async (c) => {
    const token = c.req.query('t') ?? '';
    const link = await links.peek(token);
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    if (!link.ok) return c.html(page(c, 'Sign-in link', () => `<p>${escapeHtml(failures[link.reason])}</p><p><a href="/">Sign in with a code</a></p>`), 410);
    const { contact } = link;
    const who = maskIdentifier({ kind: kindOf(link.channel), value: link.address });
    const current = await devices.check(jarOf(c).deviceToken(), { touch: false });
    const other =
      current.signedIn && current.contact.id !== contact.id
        ? `<p class="hint">This browser is signed in as ${escapeHtml(current.contact.email ?? current.contact.phone ?? 'someone else')}. Continuing signs it in as ${escapeHtml(who)} instead. To test a link, open it in a private window.</p>`
        : '';
    return c.html(
      page(
        c,
        `Sign in as ${who}`,
        (nonce) => `${other}<form id="go"><input type="hidden" name="t" value="${escapeHtml(token)}"><button type="submit">Sign in as ${escapeHtml(who)}</button></form>
<p id="result" role="alert"></p>
<script type="module" nonce="${nonce}">
  document.getElementById('go').addEventListener('submit', async (event) => {
    event.preventDefault();
    const res = await fetch(${JSON.stringify(`${mountOf(c)}/api/links/redeem`)}, { method: 'POST', headers: { 'content-type': 'application/json' }, credentials: 'include', body: JSON.stringify({ token: ${JSON.stringify(token)} }) });
    const body = await res.json();
    if (res.ok) location.replace('/');
    else document.getElementById('result').textContent = body.error.message;
  });
</script>`,
      ),
    );
  });

  app.post('/api/links/redeem', async (c) => {
    let token: unknown;
    try {
      token = ((await c.req.json()) as { token?: unknown }).token;
    } catch {
      return apiError(c, 'invalid_request', {}, 'Send {"token": "…"} from the sign-in link.');
    }
    if (typeof token !== 'string') return apiError(c, 'invalid_request', {}, 'Send {"token": "…"} from the sign-in link.');
    const link = await links.redeem(token);
    if (!link.ok) return apiError(c, 'invalid_link', { reason: link.reason }, failures[link.reason]);
    let { contact } = link;
    if (contact.status !== 'active') return apiError(c, 'invalid_link', { reason: 'unknown' }, failures.unknown);
    // The link went to this one address, so using it proves the contact holds that one only: only a
    // link that went to an email of ADMIN_EMAILS makes its holder that admin.
    const proven: Identifier = { kind: kindOf(link.channel), value: link.address };
    await contacts.markVerified(contact.id, proven);
    await promoteIfListed(contacts, config, contact, proven);
    contact = (await contacts.findById(contact.id)) ?? contact;
    const jar = jarOf(c);
    await signedIn(contact);
    const { device, token: deviceToken } = await devices.remember(contact, c.req.header('user-agent') ?? '');
    await rememberBrowser(jar, devices, device, deviceToken);
    return c.json({ signedIn: true, contact: publicContact(contact), device: publicDevice(device) });
  });

  return app;
}
