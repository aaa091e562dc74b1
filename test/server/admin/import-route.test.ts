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
    assert.deepEqual(report.rejected, [{ line: 9002, reason: 'Line 9002 was not imported: a contact with this email address or phone number already exists.' }]);
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
        'Line 606 was not imported: a contact with this email address or phone number already exists.',
        'Line 607 was not imported: "nope" is not an email address.',
      ],
    );
    const q = (await (await h.get('/api/admin/contacts?q=q%40example.com', { cookie })).json()).contacts[0];
    assert.equal(q.name, 'Two\r\nlines');
  });
});
