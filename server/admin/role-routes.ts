import type { Context, Hono } from 'hono';
import { adminContact, type AdminEnv } from './admin-contact.ts';
import type { Config } from '../config/config.ts';
import type { Contact, ContactStore } from '../contacts/contacts.ts';
import { apiError } from '../http/errors.ts';
import type { AdminStore } from '../store/admin.ts';
import { listedInAdminEmails } from '../contacts/admin-emails.ts';
import type { RoleChange } from '../../api/admin.ts';

/** Whether ADMIN_EMAILS lists the contact's email. */
const listed = (contact: Contact, config: Config) => listedInAdminEmails(config, contact.email === null ? null : { kind: 'email', value: contact.email });

/**
 * An admin whose role came from ADMIN_EMAILS, which no longer lists their email, stops being one:
 * the role is taken away and audited (by the server, not an admin). Checked at each admin request,
 * the only place the role grants anything, so it ends at the admin's next request after the
 * variable changed, not at a next sign-in that a remembered browser may not need for 400 days.
 * A role an admin gave by hand is not the variable's to take. Answers whether it ended now.
 */
export async function endedByAdminEmails(contact: Contact, { config, contacts, admin }: { config: Config; contacts: ContactStore; admin: AdminStore }) {
  if (contact.role !== 'admin' || contact.roleSource !== 'admin_emails' || listed(contact, config)) return false;
  await contacts.setRole(contact.id, 'contact');
  await admin.audit({ adminId: null, contactId: contact.id, action: 'admin_role_ended', detail: `ADMIN_EMAILS no longer lists ${contact.email ?? 'their email'}` });
  return true;
}

/**
 * "Make admin" and "Remove admin role" on the card, each audited. A role that ADMIN_EMAILS gives
 * cannot be removed here (the next sign-in would give it back), and the last admin cannot remove
 * their own (nobody could open the admin afterwards).
 */
export function addRoleRoutes(app: Hono<AdminEnv>, { config, contacts, admin, audit, noSuchContact }: {
  config: Config;
  contacts: ContactStore;
  admin: AdminStore;
  audit: (c: Context<AdminEnv>, contactId: string | null, action: string, detail?: string) => Promise<void>;
  noSuchContact: (c: Context) => Response;
}) {
  const answer = async (c: Context, id: string, changed: boolean) => c.json({ contact: adminContact((await contacts.findById(id))!), changed } satisfies RoleChange);

  app.post('/contacts/:id/make-admin', async (c) => {
    const contact = await contacts.findById(c.req.param('id'));
    if (!contact) return noSuchContact(c);
    if (contact.role === 'admin') return answer(c, contact.id, false);
    await contacts.setRole(contact.id, 'admin', 'admin');
    await audit(c, contact.id, 'make_admin');
    return answer(c, contact.id, true);
  });

  app.post('/contacts/:id/remove-admin', async (c) => {
    const contact = await contacts.findById(c.req.param('id'));
    if (!contact) return noSuchContact(c);
    if (contact.role !== 'admin') return answer(c, contact.id, false);
    if (listed(contact, config)) {
      return apiError(c, 'cannot_change_role', {}, `ADMIN_EMAILS lists ${contact.email}, which makes them an admin at every sign-in. Remove it from ADMIN_EMAILS and restart the server: the role then ends at their next visit to the admin.`);
    }
    if (contact.id === c.get('admin').id && (await admin.activeAdmins()) <= 1) {
      return apiError(c, 'cannot_change_role', {}, 'You are the only admin: without you, nobody could open the admin. Make another contact an admin first, then remove your own role.');
    }
    await contacts.setRole(contact.id, 'contact');
    await audit(c, contact.id, 'remove_admin');
    return answer(c, contact.id, true);
  });
}
