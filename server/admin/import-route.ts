import type { Context, Hono } from 'hono';
import type { AdminEnv } from './admin-contact.ts';
import type { Config } from '../config/config.ts';
import type { ContactStore } from '../contacts/contacts.ts';
import { csvRows, csvSeparator, csvValue } from './csv.ts';
import { adminPhoneRefusal, type RefusalOf } from './admin-phone.ts';
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

/** The columns read, by their header; the export's others (id, status, role, createdAt) are ignored. */
const COLUMNS = ['email', 'phone', 'name'] as const;

/**
 * CSV import: columns found by their header's name, in any order, others ignored; comma, `;` or
 * tab separated (read from the header line); a defusing apostrophe taken off (csv.ts), so the
 * export imports back unchanged. Each row is stored whole or not at all; a row that is a contact
 * already here, with the same email, phone and name, is counted unchanged; every other row not
 * stored is reported with its line, the value and why. Rows are checked and stored in batches,
 * pausing between them, so a large file does not hold up every other request (a 1 MB file once
 * took 0.9 s in one go).
 */
export function addImportRoute(app: Hono<AdminEnv>, { config, contacts, audit, phoneRefusal }: {
  config: Config;
  contacts: ContactStore;
  audit: (c: Context<AdminEnv>, contactId: string | null, action: string, detail?: string) => Promise<void>;
  /** Why the widget would refuse to text a number: such a number is refused as the row's mobile. */
  phoneRefusal: RefusalOf;
}) {
  app.post('/contacts/import', async (c) => {
    // A byte order mark, as Excel writes before UTF-8, is no part of the first header.
    const text = (await c.req.text()).replace(/^\uFEFF/, '');
    const rows = csvRows(text, csvSeparator(text));
    const first = rows.next();
    const names = first.done ? [] : first.value.cells.map((h) => csvValue(h.trim()).toLowerCase());
    const at = Object.fromEntries(COLUMNS.map((name) => [name, names.indexOf(name)])) as Record<(typeof COLUMNS)[number], number>;
    if (at.email < 0 && at.phone < 0) {
      return apiError(c, 'invalid_request', {}, 'The first line must name the columns, such as email,phone,name (in any order; email or phone at least).');
    }
    const col = (row: string[], name: (typeof COLUMNS)[number]) => csvValue((row[at[name]] ?? '').trim());
    const seen = new Set<string>();
    const rejected: ImportReport['rejected'] = [];
    /** `why`: a clause ("… is not an email address"), or a sentence of its own (a refused number). */
    const reject = (line: number, value: string, why: string, sentence = false) =>
      rejected.push({ line, value, reason: sentence ? `Line ${line} was not imported ("${value}"): ${why}` : `Line ${line} was not imported: ${why}.` });
    let imported = 0;
    let unchanged = 0;

    /**
     * Stores a batch, leaving out rows whose address a contact already has. The lookups and the
     * insert (one transaction) run without a pause, so no other request can add one of these
     * addresses in between.
     */
    async function store(batch: Array<NewContact & { line: number }>) {
      const fresh: NewContact[] = [];
      for (const { line, ...row } of batch) {
        const holder =
          (row.email && (await contacts.findByIdentifier({ kind: 'email', value: row.email }))) ||
          (row.phone && (await contacts.findByIdentifier({ kind: 'phone', value: row.phone })));
        if (!holder) fresh.push(row);
        else if (holder.email === row.email && holder.phone === row.phone && holder.name === row.name) unchanged++;
        else reject(line, (row.email ?? row.phone)!, 'a contact with this email address or phone number already exists, with other details: change them on its card');
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
      const refused = phone ? adminPhoneRefusal(phone, phoneRefusal) : null;
      if (rawEmail && !email) reject(line, rawEmail.slice(0, 80), `"${rawEmail.slice(0, 80)}" is not an email address`);
      else if (rawPhone && !phone) reject(line, rawPhone.slice(0, 40), `"${rawPhone.slice(0, 40)}" is not a phone number with its country code`);
      else if (refused) reject(line, rawPhone.slice(0, 40), refused.message, true);
      else if (!email && !phone) reject(line, '', 'it has neither an email address nor a phone number');
      else if ([email, phone].some((x) => x && seen.has(x))) reject(line, (email ?? phone)!, 'an earlier line has the same email address or phone number');
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
    await audit(c, null, 'import_csv', `${imported} imported, ${unchanged} unchanged, ${rejected.length} rejected`);
    return c.json({ imported, unchanged, rejected } satisfies ImportReport);
  });
}
