import type { Contact } from './contacts.ts';
import type { Delivery } from './deliveries.ts';
import type { Device } from './devices.ts';

/** One line of the audit log on a contact's card. */
export interface AuditEntry {
  adminId: string | null;
  /** The admin's email as it is now (null for the server's own actions). */
  adminEmail: string | null;
  action: string;
  detail: string | null;
  at: number;
}

/** What the admin's contact list and card read, beyond the sign-in stores, and the audit log. */
export interface AdminStore {
  /**
   * Contacts whose email, phone or name contains `q` (all for ''), newest first (those made
   * together in the order made), and how many match in all.
   */
  search(q: string, page: { limit: number; offset: number }): Promise<{ contacts: Contact[]; total: number }>;
  /** The contact's browsers, most recently seen first. */
  devicesOf(contactId: string): Promise<Device[]>;
  /** Deliveries to the contact, including those sent before they were a contact (by address), newest first. */
  deliveriesOf(contact: Contact, limit: number): Promise<Delivery[]>;
  /** `adminId` null: the server did it itself (ADMIN_EMAILS no longer listing an admin). */
  audit(entry: { adminId: string | null; contactId: string | null; action: string; detail?: string | null }): Promise<void>;
  /** Newest first (of two at the same moment, the later written first). */
  auditOf(contactId: string, limit: number): Promise<AuditEntry[]>;
  /** How many active contacts are admins. */
  activeAdmins(): Promise<number>;
}
