import { createAdminApi } from '../../../widget/admin/admin-api.ts';
import { adminStrings } from '../../../widget/admin/admin-strings.ts';
import { assert, assertDeepEqual, assertEqual, restoreServer, serve } from '../helpers.ts';

// The admin's client is the widget's request() with the admin's own sentences where there is no usable answer.
describe('admin api', () => {
  afterEach(() => restoreServer());
  const card = () => createAdminApi('http://otp.test').card('c1');

  it('answers the card', async () => {
    const { calls } = serve({ 'GET /api/admin/contacts/c1': { status: 200, body: { contact: { id: 'c1' } } } });
    const result = await card();
    assert(result.ok, 'ok');
    assertDeepEqual(result.data, { contact: { id: 'c1' } }, 'data');
    assertEqual(calls[0]?.credentials, 'include', 'the admin’s cookie goes along');
  });

  it('passes on the server’s own sentence', async () => {
    serve({ 'GET /api/admin/contacts/c1': { status: 403, body: { error: { code: 'forbidden', message: 'Sign in as an admin.' } } } });
    const result = await card();
    assert(!result.ok, 'not ok');
    assertDeepEqual(result.error, { code: 'forbidden', message: 'Sign in as an admin.' }, 'error');
  });

  it('says what to do when the server cannot be reached, or gives no reason', async () => {
    serve({ 'GET /api/admin/contacts/c1': 'network-error' });
    const offline = await card();
    assert(!offline.ok, 'offline');
    assertDeepEqual(offline.error, { code: 'network_error', message: adminStrings.errorNetwork }, 'offline error');

    serve({ 'GET /api/admin/contacts/c1': { status: 502, body: 'Bad gateway' } });
    const gateway = await card();
    assert(!gateway.ok, 'a proxy’s page');
    assertDeepEqual(gateway.error, { code: 'unexpected_response', message: adminStrings.errorUnexpected(502) }, 'proxy error');

    serve({ 'GET /api/admin/contacts/c1': { status: 500, body: { error: { code: 'internal_error' } } } });
    const silent = await card();
    assert(!silent.ok, 'a code without a sentence');
    assertDeepEqual(silent.error, { code: 'internal_error', message: adminStrings.errorUnexpected(500) }, 'silent error');
  });
});
