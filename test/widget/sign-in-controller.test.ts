import type { ReactiveController } from 'lit';
import { createHistory, type History } from '../../widget/history.ts';
import type { PrivateWindowGuess } from '../../widget/private-window.ts';
import { SignInController, type SignInHost } from '../../widget/sign-in-controller.ts';
import { defaultStrings } from '../../widget/strings.ts';
import { assert, assertDeepEqual, assertEqual, bodies, deferred, record, stubFetch, type Route } from './helpers.ts';

class FakeHost extends EventTarget implements SignInHost {
  api = 'http://otp.test';
  controllers: ReactiveController[] = [];
  updates = 0;
  addController(controller: ReactiveController) {
    this.controllers.push(controller);
  }
  removeController() {}
  requestUpdate() {
    this.updates++;
  }
  get updateComplete() {
    return Promise.resolve(true);
  }
}

function memoryHistory(): History {
  let value: string | null = null;
  const storage = { getItem: () => value, setItem: (_: string, v: string) => void (value = v) } as unknown as Storage;
  return createHistory(() => storage);
}

const identifier = { kind: 'email', value: 'jo@example.com' } as const;

describe('SignInController', () => {
  let stub: ReturnType<typeof stubFetch> | undefined;
  let controller: SignInController | undefined;
  afterEach(() => {
    controller?.hostDisconnected();
    stub?.restore();
    sessionStorage.clear();
  });

  function setUp(routes: Record<string, Route | Route[]>, clock = { now: 1_000_000 }, privateWindow: PrivateWindowGuess = 'unknown') {
    stub = stubFetch(routes);
    const host = new FakeHost();
    controller = new SignInController(host, {
      channels: () => ['email', 'sms'],
      strings: () => defaultStrings,
      formatTime: () => '14:05',
      history: memoryHistory(),
      clock: () => clock.now,
      probePrivateWindow: async () => privateWindow,
    });
    return { host, controller, clock };
  }

  it('registers itself with the host', () => {
    const { host, controller } = setUp({});
    assertEqual(host.controllers[0], controller, 'controller');
  });

  it('counts down to resending with the clock it was given', async () => {
    const { controller, clock } = setUp({
      'GET /api/session': { status: 200, body: bodies.signedOut('no_cookie') },
      'POST /api/codes': { status: 202, body: bodies.codeSent({ resendAfter: 30 }) },
    });
    await controller.checkSession();
    assert(await controller.requestCode(identifier, 'email'), 'code sent');
    assertEqual(controller.secondsUntilResend, 30, 'at once');
    clock.now += 10_200;
    assertEqual(controller.secondsUntilResend, 20, 'after 10.2 s (rounded up)');
    clock.now += 20_000;
    assertEqual(controller.secondsUntilResend, 0, 'after 30.2 s');
  });

  it('reports a burned code so the element can point at a new code', async () => {
    const { controller } = setUp({
      'GET /api/session': { status: 200, body: bodies.signedOut('no_cookie') },
      'POST /api/codes': { status: 202, body: bodies.codeSent() },
      'POST /api/codes/verify': [
        { status: 401, body: bodies.error('wrong_code', { attemptsLeft: 1 }) },
        { status: 401, body: bodies.error('wrong_code', { attemptsLeft: 0 }) },
      ],
    });
    await controller.checkSession();
    await controller.requestCode(identifier, 'email');
    assertEqual(await controller.verify('111111'), 'tryAgain', 'one try left');
    assertEqual(await controller.verify('222222'), 'newCodeNeeded', 'no tries left');
    assertEqual(controller.step.name, 'code', 'still on the code step');
  });

  it('ignores a verify while another request is open', async () => {
    const answer = deferred();
    const { controller } = setUp({
      'GET /api/session': { status: 200, body: bodies.signedOut('no_cookie') },
      'POST /api/codes': { status: 202, body: bodies.codeSent() },
      'POST /api/codes/verify': async () => (await answer.promise, { status: 200, body: bodies.signedIn() }),
    });
    await controller.checkSession();
    await controller.requestCode(identifier, 'email');
    const first = controller.verify('482913');
    assertEqual(controller.busy, 'verifying', 'busy');
    assertEqual(await controller.verify('482913'), 'ignored', 'second verify');
    answer.resolve();
    assertEqual(await first, 'signedIn', 'first verify');
    assertEqual(stub!.calls.filter((c) => c.path === '/api/codes/verify').length, 1, 'verify requests');
  });

  it('fires otp-signed-in on the host and writes the marker from the device expiry', async () => {
    const { host, controller } = setUp({ 'GET /api/session': { status: 200, body: bodies.signedIn() } });
    const events = record<CustomEvent>(host, 'otp-signed-in');
    await controller.checkSession();
    assertDeepEqual(events[0]?.detail, { contact: bodies.contact, device: bodies.device }, 'detail');
    assertEqual(controller.history.read()?.expiresAt, bodies.device.expiresAt, 'marker expiry');
  });

  it('re-checks the session right after a verify and keeps a sign-in whose cookie stuck', async () => {
    const { controller } = setUp({
      'GET /api/session': [{ status: 200, body: bodies.signedOut('no_cookie') }, { status: 200, body: bodies.signedIn() }],
      'POST /api/codes': { status: 202, body: bodies.codeSent() },
      'POST /api/codes/verify': { status: 200, body: bodies.signedIn() },
    });
    await controller.checkSession();
    await controller.requestCode(identifier, 'email');
    assertEqual(await controller.verify('482913'), 'signedIn', 'outcome');
    assertDeepEqual(stub!.calls.map((c) => c.path), ['/api/session', '/api/codes', '/api/codes/verify', '/api/session'], 'requests');
    assertEqual(controller.step.name === 'signedIn' && controller.step.remembered, 'untilExpiry', 'remembered');
    assertEqual(controller.history.read()?.cookieRefused, undefined, 'no refused cookie recorded');
  });

  it('sends remember:false for a browser-session sign-in and records it', async () => {
    const { controller } = setUp({
      'GET /api/session': [{ status: 200, body: bodies.signedOut('no_cookie') }, { status: 200, body: bodies.signedIn() }],
      'POST /api/codes': { status: 202, body: bodies.codeSent() },
      'POST /api/codes/verify': { status: 200, body: bodies.signedIn() },
    });
    await controller.checkSession();
    await controller.requestCode(identifier, 'email');
    await controller.verify('482913', false);
    assertDeepEqual(stub!.calls[2]?.body, { email: 'jo@example.com', code: '482913', remember: false, token: true }, 'verify body');
    assertEqual(controller.step.name === 'signedIn' && controller.step.remembered, 'browserSession', 'remembered');
    assertEqual(controller.history.read()?.sessionOnly, true, 'marker');
  });

  it('knows the cookie did not stick when the re-check finds no session, and explains it from the server’s crossSite flag', async () => {
    const crossSite = { ...bodies.signedOut('no_cookie'), crossSite: true };
    const { host, controller } = setUp({
      'GET /api/session': { status: 200, body: crossSite },
      'POST /api/codes': { status: 202, body: bodies.codeSent() },
      'POST /api/codes/verify': { status: 200, body: { ...bodies.signedIn(), crossSite: true } },
    });
    host.api = 'http://controller-not-kept.test';
    const events = record(host, 'otp-signed-in');
    await controller.checkSession();
    assertEqual(controller.crossSite, true, 'crossSite from the session answer');
    await controller.requestCode(identifier, 'email');
    assertEqual(await controller.verify('482913'), 'signedIn', 'the verify succeeded');
    assertEqual(events.length, 1, 'otp-signed-in still fires');
    assertEqual(controller.step.name === 'signedIn' && controller.step.remembered, 'notKept', 'remembered');
    assertDeepEqual(controller.explanation(), { reason: 'cookies_blocked_embedded', tip: 'code_each_time' }, 'explanation');
    assertEqual(controller.history.read()?.cookieRefused, true, 'marker');
  });

  it('reports the explanation’s reason with each code request, resends included', async () => {
    const { controller } = setUp(
      {
        'GET /api/session': { status: 200, body: bodies.signedOut('no_cookie') },
        'POST /api/codes': { status: 202, body: bodies.codeSent({ resendAfter: 0 }) },
      },
      undefined,
      'likely',
    );
    await controller.checkSession();
    await controller.requestCode(identifier, 'email');
    await controller.requestCode(identifier, 'email');
    const sent = stub!.calls.filter((c) => c.path === '/api/codes').map((c) => (c.body as { reason?: string }).reason);
    assertDeepEqual(sent, ['private_window', 'private_window'], 'reasons sent');
  });

  it('reads a session-only sign-in from the marker when a remembered browser is recognised', async () => {
    const { controller } = setUp({ 'GET /api/session': { status: 200, body: bodies.signedIn() } });
    controller.history.recordSignIn(bodies.device.expiresAt, new Date(), { sessionOnly: true });
    await controller.checkSession();
    assertEqual(controller.step.name === 'signedIn' && controller.step.remembered, 'browserSession', 'remembered');
  });

  describe('a signed-in browser whose check on load gets no answer (issue 14: storage down, a deploy)', () => {
    const unavailable = { status: 503, body: bodies.error('service_unavailable', { retryAfter: 2 }) };
    const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

    it('keeps “Checking…”, says it will try again, and is signed in when the server answers after its Retry-After', async function () {
      this.timeout(6_000);
      const { host, controller } = setUp({ 'GET /api/session': [unavailable, { status: 200, body: bodies.signedIn() }] });
      controller.history.recordSignIn(bodies.device.expiresAt, new Date(), {});
      const signedIn = record(host, 'otp-signed-in');
      await controller.checkSession();
      assertEqual(controller.step.name, 'checking', 'no sign-in form for a person who is signed in');
      assertEqual(controller.error?.text, defaultStrings.errorSessionCheck(false), 'says why and that it tries again');
      await new Promise((resolve) => setTimeout(resolve, 2_300));
      assertEqual(controller.step.name, 'signedIn', 'signed in once the server answers, with nothing done');
      assertEqual(signedIn.length, 1, 'otp-signed-in fired once, on the answer');
    });

    it('asks again at once when the browser comes back online, and leaves the person on the form if the cookie is gone', async () => {
      const { controller } = setUp({ 'GET /api/session': ['network-error', { status: 200, body: bodies.signedOut('no_cookie') }] });
      controller.history.recordSignIn(bodies.device.expiresAt, new Date(), {});
      await controller.checkSession();
      assertEqual(controller.error?.text, defaultStrings.errorSessionCheck(true), 'no answer at all: the connection is named');
      dispatchEvent(new Event('online'));
      await settled();
      assertEqual(controller.step.name, 'identify', 'the server’s answer decides');
      assertEqual(controller.error, null, 'the outage sentence is gone');
    });

    it('says the outage once, not again at each try (a screen reader hears every new alert)', async () => {
      const { host, controller } = setUp({ 'GET /api/session': [unavailable, unavailable, { status: 200, body: bodies.signedIn() }] });
      controller.history.recordSignIn(bodies.device.expiresAt, new Date(), {});
      const errors = record(host, 'otp-error');
      await controller.checkSession();
      const shown = controller.error?.key;
      dispatchEvent(new Event('online'));
      await settled();
      assertEqual(stub!.calls.length, 2, 'asked again');
      assertEqual(controller.error?.key, shown, 'the same alert, not a new one');
      assertEqual(errors.length, 1, 'one otp-error');
      dispatchEvent(new Event('online'));
      await settled();
      assertEqual(controller.step.name, 'signedIn', 'signed in once it answers');
    });

    it('stops asking when the element leaves the page: neither its timer nor coming online asks again', async function () {
      this.timeout(6_000);
      const { controller } = setUp({ 'GET /api/session': [unavailable, { status: 200, body: bodies.signedIn() }] });
      controller.history.recordSignIn(bodies.device.expiresAt, new Date(), {});
      await controller.checkSession();
      controller.hostDisconnected();
      dispatchEvent(new Event('online'));
      await new Promise((resolve) => setTimeout(resolve, 2_300)); // past the Retry-After of 2 s
      assertEqual(controller.step.name, 'checking', 'no check from a detached element');
      assertEqual(stub!.calls.length, 1, 'one request');
    });

    it('shows the form with the outage sentence to a browser that was not signed in, or signed out', async () => {
      for (const signedOutBefore of [false, true]) {
        const { controller } = setUp({ 'GET /api/session': unavailable });
        if (signedOutBefore) controller.history.recordSignOut(bodies.device.expiresAt, new Date());
        await controller.checkSession();
        assertEqual(controller.step.name, 'identify', `form (signed out before: ${signedOutBefore})`);
        assertEqual(controller.error?.text, defaultStrings.errorUnavailable, 'the widget’s own sentence');
        controller.hostDisconnected();
        stub!.restore();
      }
    });
  });

  it('stays signed in and shows an error when sign-out fails', async () => {
    const { host, controller } = setUp({
      'GET /api/session': { status: 200, body: bodies.signedIn() },
      'POST /api/session/sign-out': 'network-error',
    });
    const signedOut = record(host, 'otp-signed-out');
    await controller.checkSession();
    assertEqual(await controller.signOut(), false, 'result');
    assertEqual(controller.step.name, 'signedIn', 'step');
    assertEqual(controller.error?.code, 'network_error', 'error');
    assertEqual(signedOut.length, 0, 'otp-signed-out events');
  });

  it('names the code it holds in previousSentAt until that code expires, and no more after (issue 12)', async () => {
    const { controller, clock } = setUp({
      'GET /api/session': { status: 200, body: bodies.signedOut('no_cookie') },
      'POST /api/codes': { status: 202, body: bodies.codeSent({ resendAfter: 0, expiresIn: 600 }) },
    });
    await controller.checkSession();
    assert(await controller.requestCode(identifier, 'email'), 'first code');
    clock.now += 599_000;
    assert(await controller.requestCode(identifier, 'email'), 'second code');
    clock.now += 600_000;
    assert(await controller.requestCode(identifier, 'email'), 'third code');
    const previous = stub!.calls.filter((c) => c.path === '/api/codes').map((c) => (c.body as { previousSentAt?: string }).previousSentAt);
    assertDeepEqual(previous, [undefined, bodies.codeSent().sentAt, undefined], 'previousSentAt of each request');
  });
});
