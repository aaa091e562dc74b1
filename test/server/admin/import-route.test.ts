import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHarness } from '../harness.ts';

const ORIGIN = { origin: 'http://localhost:3000' };
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** About 1 MB of `email,phone,name` rows (the import's limit), each contact different. */
function bigCsv() {
  const lines = ['email,phone,name'];
  for (let i = 0, size = 0; size < 1_000_000 - 200; i++) {
    const phone = i < 10_000 ? `+1415555${String(i).padStart(4, '0')}` : '';
    const line = `person${i}@example.com,${phone},Person number ${i} from the members list`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

describe('CSV import (issue 12)', () => {
  test('a 1 MB import lets other requests run meanwhile, and a contact added meanwhile is reported, not a failure', async () => {
    const h = createHarness({ env: { ADMIN_EMAILS: 'boss@example.com' } });
    const { cookie } = await h.signIn({ email: 'boss@example.com' });
    const csv = bigCsv();
    const rows = csv.split('\n').length - 1;
    assert.ok(csv.length > 990_000 && csv.length < 1024 * 1024);

    let answered = false;
    const importing = Promise.resolve(h.post('/api/admin/contacts/import', csv, { cookie, headers: { ...ORIGIN, 'content-type': 'text/csv' } })).then((res) => {
      answered = true;
      return res;
    });
    // Session checks one after another, each waiting for the previous one and then for the event
    // loop's next turn: they complete only when the import yields between its batches.
    let completed = 0;
    let added = false;
    while (!answered) {
      const session = await h.get('/api/session', { cookie });
      assert.equal((await session.json()).signedIn, true);
      if (!answered) completed++;
      // Once the import is under way, another admin adds a contact that a later line also has.
      if (completed === 3 && !added) {
        added = true;
        const res = await h.post('/api/admin/contacts', { email: 'person9000@example.com' }, { cookie, headers: ORIGIN });
        assert.equal(res.status, 201);
      }
      await pause();
    }
    const res = await importing;
    assert.equal(res.status, 200);
    assert.ok(completed >= 10, `only ${completed} session checks completed while ${rows} rows were imported: the import held up the server`);
    const report = await res.json();
    assert.ok(added, 'the contact was added while the import ran');
    assert.deepEqual(report.rejected, [{ line: 9002, value: 'person9000@example.com', reason: 'Line 9002 was not imported: a contact with this email address or phone number already exists, with other details: change them on its card.' }]);
    assert.equal(report.imported, rows - 1);
    const total = (await (await h.get('/api/admin/contacts?limit=1', { cookie })).json()).total;
    assert.equal(total, rows + 1, 'every row but one, the one added meanwhile, and the admin');
  });

  test('reports the line each rejected row starts on, also after blank lines and a quoted line break, across batches', async () => {
    const h = createHarness({ env: { ADMIN_EMAILS: 'boss@example.com' } });
    const { cookie } = await h.signIn({ email: 'boss@example.com' });
    const good = Array.from({ length: 600 }, (_, i) => `m${i}@example.com,,Member ${i}`);
    // Line 2 is blank, line 3's name holds a line break (lines 3-4), so m0 starts on line 5.
    const csv = ['email,phone,name', '', 'q@example.com,,"Two', 'lines"', ...good, 'm5@example.com,,Again', 'boss@example.com,,Boss', 'nope,,Bad'].join('\r\n');
    const res = await h.post('/api/admin/contacts/import', csv, { cookie, headers: { ...ORIGIN, 'content-type': 'text/csv' } });
    const report = await res.json();
    assert.equal(report.imported, 601);
    assert.deepEqual(
      report.rejected.map((r: { line: number; reason: string }) => r.reason),
      [
        'Line 605 was not imported: an earlier line has the same email address or phone number.',
        'Line 606 was not imported: a contact with this email address or phone number already exists, with other details: change them on its card.',
        'Line 607 was not imported: "nope" is not an email address.',
      ],
    );
    const q = (await (await h.get('/api/admin/contacts?q=q%40example.com', { cookie })).json()).contacts[0];
    assert.equal(q.name, 'Two\r\nlines');
  });
});

describe('CSV that round-trips (issue 15, item 5)', () => {
  const CSV_HEADERS = { ...ORIGIN, 'content-type': 'text/csv' };
  type Row = { email: string | null; phone: string | null; name: string | null };
  const everyone = async (h: ReturnType<typeof createHarness>, cookie: string): Promise<Row[]> =>
    ((await (await h.get('/api/admin/contacts?limit=100', { cookie })).json()).contacts as Row[])
      .map(({ email, phone, name }) => ({ email, phone, name }))
      .sort((a, b) => `${a.email}${a.phone}`.localeCompare(`${b.email}${b.phone}`));

  test('the export imports back unchanged: into a fresh server the same contacts, into the same server 0 changed', async () => {
    const h = createHarness({ env: { ADMIN_EMAILS: 'boss@example.com' } });
    const { cookie } = await h.signIn({ email: 'boss@example.com' });
    // Names and numbers the export defuses with an apostrophe, quotes, or both.
    const made = [
      { email: 'ann@example.com', phone: '+14155550123', name: 'Ann Oar' },
      { email: null, phone: '+447911123456', name: '=HYPERLINK("http://evil.test")' },
      { email: 'eve@example.com', phone: null, name: "'+already an apostrophe" },
      { email: 'cox@example.com', phone: '+33612345678', name: 'Cox; Bob, "Bobby"' },
      { email: 'two@example.com', phone: null, name: 'Two\r\nlines' },
      { email: 'dash@example.com', phone: null, name: '-5 and @home' },
    ];
    for (const c of made) assert.equal((await h.post('/api/admin/contacts', c, { cookie, headers: ORIGIN })).status, 201);
    const csv = await (await h.get('/api/admin/contacts.csv', { cookie })).text();
    assert.ok(csv.includes(",'+14155550123,"), 'the phone is defused in the file');
    const before = await everyone(h, cookie);

    const again = await (await h.post('/api/admin/contacts/import', csv, { cookie, headers: CSV_HEADERS })).json();
    assert.deepEqual(again, { imported: 0, unchanged: made.length + 1, rejected: [] }, 'into the same server: 0 changed');
    assert.deepEqual(await everyone(h, cookie), before);

    const fresh = createHarness({ env: { ADMIN_EMAILS: 'boss@example.com' } });
    const other = (await fresh.signIn({ email: 'boss@example.com' })).cookie;
    const report = await (await fresh.post('/api/admin/contacts/import', csv, { cookie: other, headers: CSV_HEADERS })).json();
    assert.deepEqual(report, { imported: made.length, unchanged: 1, rejected: [] }, 'into a fresh server: every contact, the admin already there');
    assert.deepEqual(await everyone(fresh, other), before, 'the same contacts');
  });

  test('columns are found by their header in any order, other columns ignored; ; and tab separated files with a BOM are read alike', async () => {
    const h = createHarness({ env: { ADMIN_EMAILS: 'boss@example.com' } });
    const { cookie } = await h.signIn({ email: 'boss@example.com' });
    const files = [
      'Name,Notes,Phone,EMAIL\r\n"Ann Oar",likes boats,+1 415 555 0123,ann@example.com\r\n',
      '\uFEFFname;email;phone;id\r\nBob "Cox";bob@example.com;\'+44 7911 123456;x1\r\n"Semi; colon";semi@example.com;;x2\r\n',
      'phone\tname\temail\n+33 6 12 34 56 78\tCéline, Paris\tceline@example.com\n',
    ];
    for (const csv of files) {
      const report = await (await h.post('/api/admin/contacts/import', csv, { cookie, headers: CSV_HEADERS })).json();
      assert.deepEqual(report.rejected, [], csv);
    }
    const found = async (email: string) => {
      const c = await h.contacts.findByIdentifier({ kind: 'email', value: email });
      return [c?.phone ?? null, c?.name ?? null];
    };
    assert.deepEqual(await found('ann@example.com'), ['+14155550123', 'Ann Oar']);
    assert.deepEqual(await found('bob@example.com'), ['+447911123456', 'Bob "Cox"']);
    assert.deepEqual(await found('semi@example.com'), [null, 'Semi; colon']);
    assert.deepEqual(await found('celine@example.com'), ['+33612345678', 'Céline, Paris']);
  });

  test('a header with neither email nor phone is refused with a sentence, and nothing is stored', async () => {
    const h = createHarness({ env: { ADMIN_EMAILS: 'boss@example.com' } });
    const { cookie } = await h.signIn({ email: 'boss@example.com' });
    const res = await h.post('/api/admin/contacts/import', 'name,notes\nAnn,x\n', { cookie, headers: CSV_HEADERS });
    const { error } = await res.json();
    assert.deepEqual([res.status, error.code], [400, 'invalid_request']);
    assert.match(error.message, /email,phone,name/);
  });

  test('a landline, toll-free or premium-rate number is refused line by line: the line, the value and the widget’s sentence', async () => {
    const h = createHarness({ env: { ADMIN_EMAILS: 'boss@example.com' } });
    const { cookie } = await h.signIn({ email: 'boss@example.com' });
    const csv = 'email,phone,name\nok@example.com,+1 415 555 0123,Ok\noffice@example.com,+44 20 7946 0018,Office\n,+1 800 555 0199,Free\n';
    const report = await (await h.post('/api/admin/contacts/import', csv, { cookie, headers: CSV_HEADERS })).json();
    assert.equal(report.imported, 1);
    assert.deepEqual(report.rejected, [
      { line: 3, value: '+44 20 7946 0018', reason: 'Line 3 was not imported ("+44 20 7946 0018"): This looks like a landline, which can’t receive text messages. Enter a mobile number.' },
      { line: 4, value: '+1 800 555 0199', reason: 'Line 4 was not imported ("+1 800 555 0199"): We don’t send text messages to toll-free numbers. Enter a mobile number.' },
    ]);
    assert.equal(await h.contacts.findByIdentifier({ kind: 'email', value: 'office@example.com' }), undefined);
  });
});
