import { escapeHtml } from '../html.ts';
import { nonceOf } from '../http/security-headers.ts';
import { mountOf } from '../http/mount.ts';
import { linkFailure, linkPage } from './link-page.ts';
import { Hono, type Context } from 'hono';
import type { Config } from '../config/config.ts';
import type { Contact, ContactStore } from '../contacts/contacts.ts';
import { publicContact } from '../contacts/contacts.ts';
import { rememberBrowser, type CookieJars } from '../http/session-cookies.ts';
import { publicDevice, type DeviceService } from '../contacts/devices.ts';
import { apiError } from '../http/errors.ts';
import { maskIdentifier, type Channel, type Identifier } from '../identifiers.ts';
import { LINK_MINUTES, type Links } from './links.ts';
import { promoteIfListed } from '../contacts/admin-emails.ts';

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

  const failure = (link: Parameters<typeof linkFailure>[0], kind: Parameters<typeof linkFailure>[1]) =>
    linkFailure(link, kind, { siteName: config.siteName, invitationDays: config.invitationDays, linkMinutes: LINK_MINUTES });

  app.get('/signin/link', async (c) => {
    const token = c.req.query('t') ?? '';
    const link = await links.peek(token);
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    const nonce = nonceOf(c);
    const siteName = config.siteName;
    if (!link.ok) {
      const { title, sentence } = failure(link.reason, 'kind' in link ? link.kind : undefined);
      // "/" is the site's home, where its sign-in is, whether or not this server is mounted under a path.
      return c.html(linkPage({ nonce, siteName, title, body: `<p>${escapeHtml(sentence)}</p><p><a href="/">Go to ${escapeHtml(siteName)} and sign in with a code</a></p>` }), 410);
    }
    const { contact } = link;
    const who = maskIdentifier({ kind: kindOf(link.channel), value: link.address });
    const current = await devices.check(jarOf(c).deviceToken(), { touch: false });
    const other =
      current.signedIn && current.contact.id !== contact.id
        ? `<p class="hint">This browser is signed in as ${escapeHtml(current.contact.email ?? current.contact.phone ?? 'someone else')}. Continuing signs it in as ${escapeHtml(who)} instead. To test a link, open it in a private window.</p>`
        : '';
    const lead =
      link.kind === 'invitation'
        ? `${siteName} invited you to sign in. This browser will remember you, so next time you are signed in already.`
        : `An admin of ${siteName} sent you this sign-in link. It signs in this browser and remembers it.`;
    return c.html(
      linkPage({
        nonce,
        siteName,
        title: link.kind === 'invitation' ? 'You’re invited' : 'Your sign-in link',
        body: `<p>${escapeHtml(lead)}</p>${other}<form id="go"><input type="hidden" name="t" value="${escapeHtml(token)}"><button type="submit">Sign in as ${escapeHtml(who)}</button></form>
<p id="result" role="alert"></p>
<script type="module" nonce="${escapeHtml(nonce)}">
  const button = document.querySelector('#go button');
  document.getElementById('go').addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    const result = document.getElementById('result');
    result.textContent = '';
    try {
      const res = await fetch(${JSON.stringify(`${mountOf(c)}/api/links/redeem`)}, { method: 'POST', headers: { 'content-type': 'application/json' }, credentials: 'include', body: JSON.stringify({ token: ${JSON.stringify(token)} }) });
      const body = await res.json();
      if (res.ok) return location.replace('/');
      result.textContent = body.error.message;
    } catch {
      result.textContent = 'The server could not be reached. Check your connection and press the button again.';
    }
    button.disabled = false;
  });
</script>`,
      }),
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
    if (!link.ok) return apiError(c, 'invalid_link', { reason: link.reason }, failure(link.reason, 'kind' in link ? link.kind : undefined).sentence);
    let { contact } = link;
    if (contact.status !== 'active') return apiError(c, 'invalid_link', { reason: 'unknown' }, failure('unknown', undefined).sentence);
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
