import type { Config } from '../config/config.ts';
import type { Identifier } from '../identifiers.ts';
import type { Contact, ContactStore } from './contacts.ts';

/**
 * Whether ADMIN_EMAILS lists this address. The variable names email addresses only, so a phone
 * number is never listed, even the phone of a contact whose email is.
 */
export const listedInAdminEmails = (config: Pick<Config, 'adminEmails'>, address: Identifier | null) =>
  address !== null && address.kind === 'email' && config.adminEmails.has(address.value);

/**
 * A code or link proved that the contact holds `proven`: when ADMIN_EMAILS lists it, they become an
 * admin by the variable, so the role ends when it stops listing them (admin/role-routes.ts).
 */
export async function promoteIfListed(contacts: Pick<ContactStore, 'setRole'>, config: Pick<Config, 'adminEmails'>, contact: Contact, proven: Identifier) {
  if (contact.role !== 'admin' && listedInAdminEmails(config, proven)) await contacts.setRole(contact.id, 'admin', 'admin_emails');
}
