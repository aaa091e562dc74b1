import type { Context, Hono } from 'hono';
import type { AdminEnv } from './admin-contact.ts';
import type { Config } from '../config/config.ts';
import type { ContactStore } from '../contacts/contacts.ts';
import { csvRows } from './csv.ts';
import { apiError } from '../http/errors.ts';
import { parseEmail, parsePhone } from '../identifiers.ts';
import type { ImportReport } from '../../api/admin.ts';

/**
 * Rows checked and stored between two pauses. A 1 MB file holds about 10,000 rows, and checking a
 * phone number costs tens of microseconds: a few hundred rows keep each turn to a few milliseconds.
 */
export const IMPORT_BATCH = 250;

/** Lets the requests that arrived meanwhile run (setImmediate comes after pending I/O). */
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

type NewContact = { email: string | null; phone: string | null; name: string | null };

/**
 * CSV import (`email,phone,name`): each row is stored whole or not at all, with a reason per
 * rejected row. Rows are checked and stored in batches, pausing between them, so a large file does
 * not hold up every other request (a 1 MB file once took 0.9 s in one go).
 */
export function addImportRoute(app: Hono<AdminEnv>, { config, contacts, audit }: {
  config: Config;
  contacts: ContactStore;
  audit: (c: Context<AdminEnv>, contactId: string | null, action: string, detail?: string) => Promise<void>;
}) {
  app.post('/contacts/import', async (c) => {
    const rows = csvRows(await c.req.text());
    const first = rows.next();
    const header = first.done ? undefined : first.value.cells.map((h) => h.trim().toLowerCase());
    if (!header || !header.includes('email') || !header.includes('phone')) {
      return apiError(c, 'invalid_request', {}, 'The first line must name the columns: email,phone,name.');
    }
    const col = (row: string[], name: string) => (row[header.indexOf(name)] ?? '').trim();
    const seen = new Set<string>();
    const rejected: Array<{ line: number; reason: string }> = [];
    const reject = (line: number, reason: string) => rejected.push({ line, reason: `Line ${line} was not imported: ${reason}.` });
    let imported = 0;

    /**
     * Stores a batch, leaving out rows whose address a contact already has. The lookups and the
     * insert (one transaction) run without a pause, so no other request can add one of these
     * addresses in between.
     */
    async function store(batch: Array<NewContact & { line: number }>) {
      const fresh: NewContact[] = [];
      for (const { line, ...row } of batch) {
        const exists =
          (row.email && (await contacts.findByIdentifier({ kind: 'email', value: row.email }))) ||
          (row.phone && (await contacts.findByIdentifier({ kind: 'phone', value: row.phone })));
        if (exists) reject(line, 'a contact with this email address or phone number already exists');
        else fresh.push(row);
      }
      imported += (await contacts.createMany(fresh)).length;
    }

    let batch: Array<NewContact & { line: number }> = [];
    let checked = 0;
    for (const { cells, line } of rows) {
      const rawEmail = col(cells, 'email');
      const rawPhone = col(cells, 'phone');
      const email = rawEmail ? parseEmail(rawEmail) : null;
      const phone = rawPhone ? parsePhone(rawPhone, config.defaultCountry) : null;
      const reason =
        rawEmail && !email
          ? `"${rawEmail.slice(0, 80)}" is not an email address`
          : rawPhone && !phone
            ? `"${rawPhone.slice(0, 40)}" is not a phone number with its country code`
            : !email && !phone
              ? 'it has neither an email address nor a phone number'
              : [email, phone].some((x) => x && seen.has(x))
                ? 'an earlier line has the same email address or phone number'
                : null;
      if (reason) reject(line, reason);
      else {
        for (const x of [email, phone]) if (x) seen.add(x);
        batch.push({ email, phone, name: col(cells, 'name').slice(0, 200) || null, line });
      }
      if (++checked % IMPORT_BATCH === 0) {
        await store(batch);
        batch = [];
        await pause();
      }
    }
    await store(batch);
    rejected.sort((a, b) => a.line - b.line);
    await audit(c, null, 'import_csv', `${imported} imported, ${rejected.length} rejected`);
    return c.json({ imported, rejected } satisfies ImportReport);
  });
}
