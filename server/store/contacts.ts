import type { Identifier } from '../identifiers.ts';
import type { ContactShape } from '../../api/admin.ts';

export type RoleSource = 'admin_emails' | 'admin';

/**
 * A person who may sign in. Its fields are those the admin API shows (api/admin.ts), with times
 * in ms since the epoch, and where an admin's role came from, which no answer shows.
 */
export interface Contact extends ContactShape<number> {
  /**
   * Where an admin's role came from: ADMIN_EMAILS (taken away again when the variable no longer
   * lists the email), or an admin's "Make admin" (kept until an admin removes it). Null for contacts.
   */
  roleSource: RoleSource | null;
}

/**
 * Thrown by create, createMany and update when another contact already has the email or phone:
 * every engine refuses a duplicate the same way, so a race between two admins is a clear 409.
 */
export class ContactExists extends Error {
  constructor(readonly kind: 'email' | 'phone') {
    super(`Another contact already has this ${kind === 'email' ? 'email address' : 'phone number'}.`);
  }
}

/** Contacts: one per email and one per phone number. */
export interface ContactStore {
  findById(id: string): Promise<Contact | undefined>;
  findByIdentifier(id: Identifier): Promise<Contact | undefined>;
  create(input: { email?: string | null; phone?: string | null; name?: string | null; role?: Contact['role'] }): Promise<Contact>;
  /** Creates them all or none (one transaction). */
  createMany(inputs: Array<{ email: string | null; phone: string | null; name: string | null }>): Promise<Contact[]>;
  /** Makes the contact an admin, keeping where the role came from. */
  setRole(id: string, role: 'admin', source: RoleSource): Promise<void>;
  /** Takes the admin role away (and its source with it). */
  setRole(id: string, role: 'contact'): Promise<void>;
  /** A code (or link) to this address was used: the person holds it (unless it changed meanwhile). */
  markVerified(id: string, identifier: Identifier): Promise<void>;
  /** An admin's edit; a changed email or phone is unverified until next used. */
  update(id: string, fields: { email: string | null; phone: string | null; name: string | null }): Promise<void>;
  setStatus(id: string, status: Contact['status']): Promise<void>;
}
