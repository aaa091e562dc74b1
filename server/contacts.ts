import type { Identifier } from './identifiers.ts';

/** A person who may sign in. */
export interface Contact {
  id: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  status: 'active' | 'deactivated';
  role: 'contact' | 'admin';
  createdAt: number;
}

/** Contacts, kept in SQLite (PostgreSQL when scaled out). */
export interface ContactStore {
  findById(id: string): Promise<Contact | undefined>;
  findByIdentifier(id: Identifier): Promise<Contact | undefined>;
  create(input: { email?: string | null; phone?: string | null; name?: string | null; role?: Contact['role'] }): Promise<Contact>;
  /** Creates them all or none (one transaction). */
  createMany(inputs: Array<{ email: string | null; phone: string | null; name: string | null }>): Promise<Contact[]>;
  setRole(id: string, role: Contact['role']): Promise<void>;
  setStatus(id: string, status: Contact['status']): Promise<void>;
}

/** The public view of a contact in API answers (SPEC: `{"id","email","phone"}`). */
export const publicContact = ({ id, email, phone }: Contact) => ({ id, email, phone });
