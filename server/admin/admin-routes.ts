import { Hono, type Context } from 'hono';
import type { CodeLog } from '../store/code-log.ts';
import { ContactExists, type Contact, type ContactStore } from '../contacts/contacts.ts';
import type { OptOutStore } from '../store/deliveries.ts';
import type { DeviceStore, SessionCheck } from '../contacts/devices.ts';
import { diagnose } from './diagnosis.ts';
import { addOptOutRoutes, optOutView } from './opt-out-routes.ts';
import { apiError } from '../http/errors.ts';
import { DAY, iso, type Clock } from '../clock.ts';
import { maskIdentifier, parseEmail, parsePhone, subjectOf, type Channel } from '../identifiers.ts';
import type { Links } from '../links/links.ts';
import type { DeliveryQueue } from '../delivery/queue.ts';
import { addressChangedMessage, linkMessage } from '../delivery/messages.ts';
import type { Random } from '../random.ts';
import { publicAddress, type Config } from '../config/config.ts';
import { serverUrl } from '../http/mount.ts';
import { parseJsonObject, type Parsed } from '../http/requests.ts';
import { csvCell } from './csv.ts';
import { addImportRoute } from './import-route.ts';
import { adminPhoneRefusal, searchText, type RefusalOf } from './admin-phone.ts';
import { addRoleRoutes, endedByAdminEmails } from './role-routes.ts';
import { adminContact, type AdminEnv } from './admin-contact.ts';
import type { AdminStore } from '../store/admin.ts';
import type { FailureCounter } from '../store/limits.ts';
import type { OutgoingWebhooks } from '../site-events/outgoing-webhooks.ts';
import type { SmsPause } from '../sign-in/sms-pause.ts';
import type { ContactAnswer, ContactCard, ContactPage, DeviceRevoked, DevicesRevoked, LinkSent, StatusChange, UnknownAddressAttempts } from '../../api/admin.ts';
import { dayOf, type SignInAttemptLog } from '../store/sign-in-attempts.ts';
import { ATTEMPTS_KEPT_MS } from '../sign-in/attempts.ts';
import { attemptRow } from './attempt-rows.ts';

const noSuchContact = (c: Context) => apiError(c, 'not_found', {}, 'There is no contact with this id. Search for them instead.');

/** A query parameter that must be a whole number from `min` to `max`; absent or empty means `fallback`. */
function wholeNumber(raw: string | undefined, { name, min, max, fallback }: { name: string; min: number; max: number; fallback: number }) {
  if (raw === undefined || raw === '') return { ok: true as const, value: fallback };
  const value = /^[0-9]{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (Number.isSafeInteger(value) && value >= min && value <= max) return { ok: true as const, value };
  const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
  return { ok: false as const, message: `"${name}" must be a whole number ${range}, such as ${fallback}, or left out.` };
}

type ContactFields = { email: string | null; phone: string | null; name: string | null };

/**
 * One field of an added or edited contact: absent keeps `current` (nothing, when adding); null or
 * blank text removes it; other text must pass `parse` (null: refused), and anything else is refused.
 */
function field<T>(raw: unknown, parse: (text: string) => T | null, current: T | null): { value: T | null } | undefined {
  if (raw === undefined) return { value: current };
  if (raw === null || (typeof raw === 'string' && raw.trim() === '')) return { value: null };
  const value = typeof raw === 'string' ? parse(raw) : null;
  return value === null ? undefined : { value };
}

/**
 * The email, phone and name a body gives a contact, each absent one kept from `current`; or the
 * refusal. A new number the widget would refuse to text (a landline, toll-free, premium-rate, a
 * country not texted) is refused in the widget's words; the number already on file is kept as it
 * is, so a name can still be corrected on a contact added before this check.
 */
function contactFields(body: Record<string, unknown>, current: ContactFields, config: Config, refusalOf: RefusalOf): Parsed<ContactFields> {
  const email = field(body.email, parseEmail, current.email);
  if (!email) return { ok: false, code: 'invalid_email' };
  const phone = field(body.phone, (text) => parsePhone(text, config.defaultCountry), current.phone);
  if (!phone) return { ok: false, code: 'invalid_phone' };
  const refused = phone.value && phone.value !== current.phone ? adminPhoneRefusal(phone.value, refusalOf) : null;
  if (refused) {
    const { message, ...extra } = refused;
    return { ok: false, code: 'invalid_phone', message, extra };
  }
  const name = field(body.name, (text) => (text.length <= 200 ? text.trim() : null), current.name);
  if (!name) return { ok: false, code: 'invalid_request', message: 'The name must be text of at most 200 characters.' };
  return { ok: true, value: { email: email.value, phone: phone.value, name: name.value } };
}

/**
 * The admin API (SPEC, exact): the caller is a signed-in contact whose role is admin. No session:
 * 401; not an admin: 403; every change needs an Origin of this server or ALLOWED_ORIGINS (CSRF),
 * and is written to the audit log shown on the card.
 */
export function createAdmin({ config, contacts, deviceStore, admin, optOuts, codeLog, clock, sessionOf, isAllowedOrigin, links, queue, random, reactivateEmail, failures, outgoing, smsPauseOf, phoneRefusal, attempts }: {
  config: Config;
  contacts: ContactStore;
  deviceStore: DeviceStore;
  admin: AdminStore;
  optOuts: OptOutStore;
  codeLog: CodeLog;
  clock: Clock;
  sessionOf: (c: Context) => Promise<SessionCheck>;
  isAllowedOrigin: (origin: string, c: Context) => boolean;
  links: Links;
  queue: DeliveryQueue;
  random: Random;
  /** The email provider's suppression-list removal (Postmark), for lifting a bounce or complaint. */
  reactivateEmail?: ((address: string) => Promise<void>) | undefined;
  /** Wrong codes in a row per identifier, for the diagnosis. */
  failures: Pick<FailureCounter, 'count'>;
  /** Events sent to WEBHOOK_URL, shown on the card with how their delivery went. */
  outgoing: Pick<OutgoingWebhooks, 'enabled' | 'ofContact'>;
  /** Whether texts to new numbers in a phone's block or country are paused now (sign-in/sms-pause.ts), for the diagnosis. */
  smsPauseOf?: (phone: string) => Promise<SmsPause | null>;
  /** Why the widget would refuse to text a number (sign-in/sms-guard.ts): such a number is refused as a contact's mobile. */
  phoneRefusal: RefusalOf;
  /** The code requests that sent nothing (sign-in/attempts.ts), and how an address is keyed there. */
  attempts: { store: SignInAttemptLog; keyOf: (address: string) => string };
}) {
  const app = new Hono<AdminEnv>();

  app.use(async (c, next) => {
    const session = await sessionOf(c);
    if (!session.signedIn) return apiError(c, 'unauthorized');
    if (await endedByAdminEmails(session.contact, { config, contacts, admin })) {
      return apiError(c, 'forbidden', {}, 'Your admin role came from ADMIN_EMAILS, which no longer lists your email address, so it has ended. Ask another admin if you still need it.');
    }
    if (session.contact.role !== 'admin') return apiError(c, 'forbidden', {}, 'This is for the site’s admins. Sign in with an admin’s email address.');
    // Stricter than the public API: an admin change must say where it comes from.
    if (c.req.method === 'POST') {
      const origin = c.req.header('origin');
      if (!origin || !isAllowedOrigin(origin, c)) return apiError(c, 'forbidden_origin');
    }
    c.set('admin', session.contact);
    await next();
  });

  /** Wrong codes in a row on the contact's email and phone (sign-in/limits.ts). */
  const failuresOf = async (contact: Contact) => ({
    email: contact.email ? await failures.count(subjectOf({ kind: 'email', value: contact.email })) : 0,
    sms: contact.phone ? await failures.count(subjectOf({ kind: 'phone', value: contact.phone })) : 0,
    after: config.limits.failures.after,
    lockAfter: config.limits.failures.lockAfter,
  });

  /**
   * Runs a create or an edit. An address another contact has is refused by the store itself (every
   * engine throws ContactExists), so two admins racing to give it out get one success and one 409;
   * the 409 names the contact that has it, for the admin to open.
   */
  async function unlessTaken<T>(c: Context, wanted: { email: string | null; phone: string | null }, write: () => Promise<T>) {
    try {
      return { ok: true as const, value: await write() };
    } catch (error) {
      if (!(error instanceof ContactExists)) throw error;
      const holder = await contacts.findByIdentifier(error.kind === 'email' ? { kind: 'email', value: wanted.email! } : { kind: 'phone', value: wanted.phone! });
      const what = error.kind === 'email' ? 'email address' : 'phone number';
      return { ok: false as const, answer: apiError(c, 'contact_exists', holder ? { contactId: holder.id } : {}, `Another contact already has this ${what}. Open that contact instead.`) };
    }
  }

  /**
   * A search for a full address that no contact has: the sign-in attempts made with it, found by
   * its keyed digest (only the full address finds them). Undefined when it is no address, a
   * contact has it, or nobody tried it in the last 30 days.
   */
  async function unknownAddressTried(q: string): Promise<UnknownAddressAttempts | undefined> {
    const email = parseEmail(q);
    const phone = email ? null : parsePhone(q, config.defaultCountry);
    const id = email ? ({ kind: 'email', value: email } as const) : phone ? ({ kind: 'phone', value: phone } as const) : null;
    if (!id || (await contacts.findByIdentifier(id))) return undefined;
    const now = clock.now();
    const tallies = await attempts.store.ofAddress(attempts.keyOf(id.value), now - ATTEMPTS_KEPT_MS);
    if (tallies.length === 0) return undefined;
    const today = dayOf(now);
    const sum = (list: typeof tallies) => list.reduce((n, t) => n + t.tries, 0);
    return { address: id.value, kind: id.kind, triesToday: sum(tallies.filter((t) => t.day === today)), tries: sum(tallies), attempts: tallies.map(attemptRow) };
  }

  const audit = (c: Context<AdminEnv>, contactId: string | null, action: string, detail?: string): Promise<void> =>
    admin.audit({ adminId: c.get('admin').id, contactId, action, detail: detail ?? null });

  // The import sends CSV: it is the one POST registered before the JSON body is read below.
  addImportRoute(app, { config, contacts, audit, phoneRefusal });

  // R8 for every other action, including those that take no fields: a body that is not a JSON
  // object is refused before anything is stored or sent. Parsed here once; routes read c.get('body').
  app.use(async (c, next) => {
    if (c.req.method === 'POST') {
      const body = parseJsonObject((await c.req.text()) || '{}');
      if (!body.ok) return apiError(c, body.code, {}, body.message);
      c.set('body', body.value);
    }
    await next();
  });

  app.get('/contacts', async (c) => {
    const q = searchText((c.req.query('q') ?? '').trim().slice(0, 100), config.defaultCountry);
    const limit = wholeNumber(c.req.query('limit'), { name: 'limit', min: 1, max: 100, fallback: 50 });
    if (!limit.ok) return apiError(c, 'invalid_request', {}, limit.message);
    const offset = wholeNumber(c.req.query('offset'), { name: 'offset', min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
    if (!offset.ok) return apiError(c, 'invalid_request', {}, offset.message);
    const { contacts: found, total } = await admin.search(q, { limit: limit.value, offset: offset.value });
    const page: ContactPage = { contacts: found.map(adminContact), total, limit: limit.value, offset: offset.value };
    const unknown = offset.value === 0 ? await unknownAddressTried(q) : undefined;
    if (unknown) page.unknownAddress = unknown;
    return c.json(page);
  });

  app.post('/contacts', async (c) => {
    const fields = contactFields(c.get('body'), { email: null, phone: null, name: null }, config, phoneRefusal);
    if (!fields.ok) return apiError(c, fields.code, fields.extra, fields.message);
    const { email, phone } = fields.value;
    if (!email && !phone) return apiError(c, 'missing_identifier', {}, 'Give the contact an email address or a mobile number.');
    const made = await unlessTaken(c, fields.value, () => contacts.create(fields.value));
    if (!made.ok) return made.answer;
    await audit(c, made.value.id, 'create', [email, phone].filter(Boolean).join(', '));
    return c.json({ contact: adminContact(made.value) } satisfies ContactAnswer, 201);
  });

  app.get('/contacts.csv', async (c) => {
    const { contacts: all } = await admin.search('', { limit: 100_000, offset: 0 });
    const lines = [
      'id,email,phone,name,status,role,createdAt',
      ...all.map((x) => [x.id, x.email, x.phone, x.name, x.status, x.role, iso(x.createdAt)].map(csvCell).join(',')),
    ];
    await audit(c, null, 'export_csv', `${all.length} contacts`);
    return c.body(`${lines.join('\r\n')}\r\n`, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="contacts.csv"',
    });
  });

  app.get('/contacts/:id', async (c) => {
    const contact = await contacts.findById(c.req.param('id'));
    if (!contact) return noSuchContact(c);
    const now = clock.now();
    const devices = await admin.devicesOf(contact.id);
    const deliveries = await admin.deliveriesOf(contact, 50);
    const codes = await codeLog.ofContact(contact.id);
    const raw = { email: contact.email ? await optOuts.get(contact.email) : undefined, sms: contact.phone ? await optOuts.get(contact.phone) : undefined };
    const tried = await attempts.store.ofContact(contact.id, [contact.email, contact.phone].filter((a) => a !== null).map(attempts.keyOf), now - ATTEMPTS_KEPT_MS);
    // Typed as the page reads it (api/admin.ts); outgoingEvents is set below, not spread in, so a
    // misspelt name of that optional field fails the compile too.
    const card: ContactCard = {
      contact: adminContact(contact),
      diagnosis: diagnose({ contact, optOut: raw, codes, deliveries, devices, failures: await failuresOf(contact), smsPause: contact.phone ? await smsPauseOf?.(contact.phone) : null, attempts: tried, now }),
      optOut: { email: optOutView(raw.email, config), sms: optOutView(raw.sms, config) },
      deliveries: deliveries.map((d) => ({
        id: d.id,
        channel: d.channel,
        destination: d.destination,
        provider: d.provider,
        codeNumber: d.codeNumber,
        reason: d.reason,
        status: d.status,
        errorCode: d.errorCode,
        errorText: d.errorText,
        createdAt: iso(d.createdAt),
        updatedAt: iso(d.updatedAt),
      })),
      devices: devices.map((d) => ({
        id: d.id,
        userAgent: d.userAgent,
        createdAt: iso(d.createdAt),
        lastSeenAt: iso(d.lastSeenAt),
        expiresAt: iso(d.expiresAt),
        sessionOnly: d.sessionOnly,
        status: d.revokedAt !== null ? 'revoked' : d.signedOutAt !== null ? 'signed_out' : now >= d.expiresAt ? 'expired' : 'active',
        revokedReason: d.revokedReason,
      })),
      codes: codes.map((e) => ({ ...e, issuedAt: iso(e.issuedAt), outcomeAt: iso(e.outcomeAt) })),
      lastSignedInAt: iso(devices.reduce<number | null>((latest, d) => (latest === null || d.createdAt > latest ? d.createdAt : latest), null)),
      audit: (await admin.auditOf(contact.id, 50)).map((a) => ({ ...a, at: iso(a.at) })),
      attempts: tried.map(attemptRow),
    };
    if (outgoing.enabled) card.outgoingEvents = await outgoing.ofContact(contact.id);
    return c.json(card);
  });

  // Edit: a changed email or phone is unverified until the contact next uses a code sent to it.
  app.post('/contacts/:id', async (c) => {
    const contact = await contacts.findById(c.req.param('id'));
    if (!contact) return noSuchContact(c);
    const fields = contactFields(c.get('body'), contact, config, phoneRefusal);
    if (!fields.ok) return apiError(c, fields.code, fields.extra, fields.message);
    const { email, phone, name } = fields.value;
    if (!email && !phone) return apiError(c, 'missing_identifier', {}, 'Keep an email address or a mobile number on the contact.');
    const saved = await unlessTaken(c, fields.value, () => contacts.update(contact.id, fields.value));
    if (!saved.ok) return saved.answer;
    // A link sent to the old address no longer signs in: links/links.ts judges it by the address now on file.
    // The old address hears of the change, unless it opted out of our messages.
    for (const [channel, before, after] of [['email', contact.email, email], ['sms', contact.phone, phone]] as const) {
      if (!before || before === after || (await optOuts.get(before))?.optedOut) continue;
      const masked = after && maskIdentifier({ kind: channel === 'email' ? 'email' : 'phone', value: after });
      queue.enqueue(addressChangedMessage({ deliveryId: random.bytes(12).toString('base64url'), channel, to: before, newAddress: masked, siteName: config.siteName, contactId: contact.id }));
    }
    const changed = [email !== contact.email && 'email', phone !== contact.phone && 'phone', name !== contact.name && 'name'].filter(Boolean).join(', ');
    await audit(c, contact.id, 'edit', changed || 'nothing');
    return c.json({ contact: adminContact((await contacts.findById(contact.id))!) } satisfies ContactAnswer);
  });

  for (const [action, status] of [['deactivate', 'deactivated'], ['activate', 'active']] as const) {
    app.post(`/contacts/:id/${action}`, async (c) => {
      const contact = await contacts.findById(c.req.param('id'));
      if (!contact) return noSuchContact(c);
      await contacts.setStatus(contact.id, status);
      // R9: deactivating revokes every browser, so activating again brings none of them back
      // without a new code. No browser can sign in while deactivated; one that finished a sign-in
      // as the deactivation happened is revoked when activating, for the same reason.
      const revoked = await deviceStore.revokeAllOf(contact.id, clock.now(), 'deactivated');
      await audit(c, contact.id, action, action === 'deactivate' ? `${revoked} browser${revoked === 1 ? '' : 's'} signed out` : undefined);
      return c.json({ contact: adminContact({ ...contact, status }), revokedDevices: revoked } satisfies StatusChange);
    });
  }

  // A sign-in link or an invitation goes only to the contact's registered address; the answer says
  // where it went, never what it is.
  for (const kind of ['link', 'invitation'] as const) {
    app.post(`/contacts/:id/${kind === 'link' ? 'sign-in-link' : 'invite'}`, async (c) => {
      const contact = await contacts.findById(c.req.param('id'));
      if (!contact) return noSuchContact(c);
      const asked = c.get('body').channel;
      if (asked !== undefined && asked !== 'email' && asked !== 'sms') return apiError(c, 'invalid_channel');
      const channel: Channel = asked ?? (contact.email ? 'email' : 'sms');
      const address = channel === 'email' ? contact.email : contact.phone;
      const why =
        contact.status !== 'active'
          ? 'The contact is deactivated: activate them first.'
          : !address
            ? `There is no ${channel === 'email' ? 'email address' : 'mobile number'} on file for this contact.`
            : (await optOuts.get(address))?.optedOut
              ? `The contact opted out of ${channel === 'email' ? 'email' : 'SMS'}: use the other channel.`
              : kind === 'invitation' && (await admin.devicesOf(contact.id)).length > 0
                ? 'The contact has signed in before: send a sign-in link instead.'
                : null;
      if (why) return apiError(c, 'not_reachable', {}, why);
      const { token, expiresAt } = await links.create({ contactId: contact.id, channel, kind, address: address!, createdBy: c.get('admin').id });
      const base = serverUrl(c, config);
      queue.enqueue(
        linkMessage({
          deliveryId: random.bytes(12).toString('base64url'),
          channel,
          to: address!,
          url: publicAddress(base, `/signin/link?t=${token}`),
          siteName: config.siteName,
          kind,
          contactId: contact.id,
          invitationDays: config.invitationDays,
        }),
      );
      const destination = maskIdentifier({ kind: channel === 'email' ? 'email' : 'phone', value: address! });
      await audit(c, contact.id, kind === 'link' ? 'send_sign_in_link' : 'send_invitation', `${channel} to ${destination}`);
      return c.json({ sent: true, channel, destination, expiresAt: iso(expiresAt) } satisfies LinkSent, 202);
    });
  }

  addRoleRoutes(app, { config, contacts, admin, audit, noSuchContact });
  addOptOutRoutes(app, { config, contacts, optOuts, clock, reactivateEmail, audit, noSuchContact });

  app.post('/contacts/:id/devices/revoke-all', async (c) => {
    const contact = await contacts.findById(c.req.param('id'));
    if (!contact) return noSuchContact(c);
    const revoked = await deviceStore.revokeAllOf(contact.id, clock.now(), 'admin');
    await audit(c, contact.id, 'revoke_all_devices', `${revoked} browser${revoked === 1 ? '' : 's'}`);
    return c.json({ revoked } satisfies DevicesRevoked);
  });

  app.post('/contacts/:id/devices/:deviceId/revoke', async (c) => {
    const contact = await contacts.findById(c.req.param('id'));
    const device = contact && (await admin.devicesOf(contact.id)).find((d) => d.id === c.req.param('deviceId'));
    if (!contact || !device) return apiError(c, 'not_found', {}, 'This browser is not among the contact’s remembered browsers. Reload the card.');
    await deviceStore.revoke(device.id, clock.now());
    await audit(c, contact.id, 'revoke_device', device.userAgent.slice(0, 120));
    return c.json({ revoked: true, deviceId: device.id } satisfies DeviceRevoked);
  });

  return app;
}
