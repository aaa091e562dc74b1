import { createApi } from '../../widget/api.ts';
import { assert, assertDeepEqual, assertEqual, bodies, stubFetch } from './helpers.ts';

describe('api', () => {
  let stub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => stub?.restore());

  it('reads the session with credentials included', async () => {
    stub = stubFetch({ 'GET /api/session': { status: 200, body: bodies.signedOut('no_cookie') } });
    const result = await createApi('http://otp.test').session();
    assertDeepEqual(result, { ok: true, data: { signedIn: false, reason: 'no_cookie' } }, 'result');
    assertEqual(stub.calls[0]?.credentials, 'include', 'credentials');
  });

  it('posts JSON with a JSON content type and credentials', async () => {
    stub = stubFetch({ 'POST /api/codes': { status: 202, body: bodies.codeSent() } });
    const result = await createApi('http://otp.test').requestCode({ email: 'jo@example.com', channel: 'email' });
    assert(result.ok, 'result is ok');
    assertEqual(result.data.destination, 'j•••@example.com', 'destination');
    assertDeepEqual(stub.calls[0]?.body, { email: 'jo@example.com', channel: 'email' }, 'body');
    assertEqual(stub.calls[0]?.contentType, 'application/json', 'content type');
    assertEqual(stub.calls[0]?.credentials, 'include', 'credentials');
  });

  it('keeps paths relative to a server URL that has a path', async () => {
    stub = stubFetch({ 'POST /auth/api/session/sign-out': { status: 200, body: bodies.signedOut('signed_out') } });
    const result = await createApi('http://otp.test/auth').signOut();
    assert(result.ok, 'result is ok');
    assertEqual(stub.calls[0]?.path, '/auth/api/session/sign-out', 'path');
  });

  it('takes a path on the page’s own site as the server, for a server mounted in the site’s app', async () => {
    stub = stubFetch({ 'GET /auth/api/session': { status: 200, body: bodies.signedOut('no_cookie') } });
    const result = await createApi('/auth').session();
    assert(result.ok, 'result is ok');
    assertEqual(stub.calls[0]?.origin, location.origin, 'origin');
    assertEqual(stub.calls[0]?.path, '/auth/api/session', 'path');
  });

  it('returns the error code, status and extra fields from inside error', async () => {
    stub = stubFetch({ 'POST /api/codes/verify': { status: 401, body: bodies.error('wrong_code', { attemptsLeft: 2 }) } });
    const result = await createApi('http://otp.test').verify({ phone: '+447700900123', code: '000000' });
    assert(!result.ok, 'result is an error');
    assertEqual(result.status, 401, 'status');
    assertEqual(result.error.code, 'wrong_code', 'code');
    assertEqual(result.error.attemptsLeft, 2, 'attemptsLeft');
    assertEqual(result.error.message, 'Server says wrong_code.', 'message');
  });

  it('maps a network failure to network_error', async () => {
    stub = stubFetch({ 'GET /api/session': 'network-error' });
    const result = await createApi('http://otp.test').session();
    assert(!result.ok, 'result is an error');
    assertEqual(result.error.code, 'network_error', 'code');
    assertEqual(result.status, 0, 'status');
  });

  it('maps an error answer without a JSON error body to unexpected_response', async () => {
    stub = stubFetch({ 'GET /api/session': { status: 502, body: 'Bad gateway' } });
    const result = await createApi('http://otp.test').session();
    assert(!result.ok, 'result is an error');
    assertEqual(result.error.code, 'unexpected_response', 'code');
    assertEqual(result.status, 502, 'status');
  });

  it('uses an injected fetch when given one', async () => {
    let seen = '';
    const api = createApi('http://otp.test', {
      fetch: async (input) => {
        seen = String(input);
        return new Response(JSON.stringify(bodies.signedOut('expired')), { status: 200 });
      },
    });
    const result = await api.session();
    assertEqual(seen, 'http://otp.test/api/session?token=1', 'url');
    assert(result.ok && !result.data.signedIn && result.data.reason === 'expired', 'session read through the injected fetch');
  });
});
