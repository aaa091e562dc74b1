// Contacts are kept behind the ContactStore interface (store/contacts.ts).
export { ContactExists, type Contact, type ContactStore, type RoleSource } from '../store/contacts.ts';
import type { Contact } from '../store/contacts.ts';

/** The public view of a contact in API answers (SPEC: `{"id","email","phone"}`). */
export const publicContact = ({ id, email, phone }: Contact) => ({ id, email, phone });
