import { createHistory, HISTORY_KEY } from '../../widget/history.ts';
import { assertDeepEqual, assertEqual } from './helpers.ts';

function memoryStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (key) => data.get(key) ?? null,
    key: (index) => [...data.keys()][index] ?? null,
    removeItem: (key) => void data.delete(key),
    setItem: (key, value) => void data.set(key, String(value)),
  };
}

describe('history', () => {
  it('records a sign-in with the device expiry under otp-login:history', () => {
    const storage = memoryStorage();
    createHistory(() => storage).recordSignIn('2030-01-01T00:00:00.000Z', new Date('2025-01-02T10:00:00.000Z'));
    assertDeepEqual(
      JSON.parse(storage.getItem(HISTORY_KEY) ?? 'null'),
      { signedInAt: '2025-01-02T10:00:00.000Z', expiresAt: '2030-01-01T00:00:00.000Z' },
      'stored marker',
    );
  });

  it('adds the sign-out time and keeps the sign-in time', () => {
    const storage = memoryStorage();
    const history = createHistory(() => storage);
    history.recordSignIn('2030-01-01T00:00:00.000Z', new Date('2025-01-02T10:00:00.000Z'));
    history.recordSignOut('2030-01-01T00:00:00.000Z', new Date('2025-01-03T10:00:00.000Z'));
    assertDeepEqual(
      history.read(),
      { signedInAt: '2025-01-02T10:00:00.000Z', expiresAt: '2030-01-01T00:00:00.000Z', signedOutAt: '2025-01-03T10:00:00.000Z' },
      'marker',
    );
  });

  it('forgets an earlier sign-out when the person signs in again', () => {
    const storage = memoryStorage();
    const history = createHistory(() => storage);
    history.recordSignOut('2030-01-01T00:00:00.000Z', new Date('2025-01-03T10:00:00.000Z'));
    history.recordSignIn('2031-01-01T00:00:00.000Z', new Date('2025-01-04T10:00:00.000Z'));
    assertEqual(history.read()?.signedOutAt, undefined, 'signedOutAt');
  });

  it('stores only dates without details, never a token, code or identifier', () => {
    const storage = memoryStorage();
    createHistory(() => storage).recordSignIn('2030-01-01T00:00:00.000Z', new Date());
    const stored = JSON.parse(storage.getItem(HISTORY_KEY) ?? '{}') as Record<string, unknown>;
    assertDeepEqual(Object.keys(stored).sort(), ['expiresAt', 'signedInAt'], 'keys');
  });

  it('keeps the masked identifier and the session-only and refused-cookie flags of a sign-in, only when true', () => {
    const storage = memoryStorage();
    const history = createHistory(() => storage);
    history.recordSignIn('2030-01-01T00:00:00.000Z', new Date('2025-01-02T10:00:00.000Z'), {
      who: 'j•••@example.com',
      sessionOnly: true,
      cookieRefused: false,
    });
    assertDeepEqual(
      JSON.parse(storage.getItem(HISTORY_KEY) ?? 'null'),
      { signedInAt: '2025-01-02T10:00:00.000Z', expiresAt: '2030-01-01T00:00:00.000Z', who: 'j•••@example.com', sessionOnly: true },
      'stored marker',
    );
  });

  it('on a recognised visit keeps who and how the browser signed in, and drops a refused cookie (it works now)', () => {
    const storage = memoryStorage();
    const history = createHistory(() => storage);
    history.recordSignIn('2030-01-01T00:00:00.000Z', new Date('2025-01-02T10:00:00.000Z'), { who: '•••• 0123', sessionOnly: true, cookieRefused: true });
    history.recordVisit('2030-02-01T00:00:00.000Z', new Date('2025-01-03T10:00:00.000Z'));
    assertDeepEqual(
      history.read(),
      { signedInAt: '2025-01-02T10:00:00.000Z', expiresAt: '2030-02-01T00:00:00.000Z', who: '•••• 0123', sessionOnly: true },
      'marker',
    );
  });

  it('keeps who on sign-out, so the next explanation can still name the sign-in', () => {
    const storage = memoryStorage();
    const history = createHistory(() => storage);
    history.recordSignIn('2030-01-01T00:00:00.000Z', new Date('2025-01-02T10:00:00.000Z'), { who: 'j•••@example.com' });
    history.recordSignOut('2030-01-01T00:00:00.000Z', new Date('2025-01-03T10:00:00.000Z'));
    assertEqual(history.read()?.who, 'j•••@example.com', 'who');
  });

  it('drops an identifier that is not masked and flags that are not true', () => {
    const storage = memoryStorage();
    storage.setItem(
      HISTORY_KEY,
      JSON.stringify({ signedInAt: '2025-01-02T10:00:00.000Z', expiresAt: '2030-01-01T00:00:00.000Z', who: 'jo@example.com', sessionOnly: 'yes', cookieRefused: 1 }),
    );
    assertDeepEqual(createHistory(() => storage).read(), { signedInAt: '2025-01-02T10:00:00.000Z', expiresAt: '2030-01-01T00:00:00.000Z' }, 'marker');
  });

  it('treats a malformed marker as no history', () => {
    const storage = memoryStorage();
    storage.setItem(HISTORY_KEY, '{"signedInAt":"yesterday"');
    assertEqual(createHistory(() => storage).read(), null, 'broken JSON');
    storage.setItem(HISTORY_KEY, '{"signedInAt":"not a date","expiresAt":"2030-01-01T00:00:00.000Z"}');
    assertEqual(createHistory(() => storage).read(), null, 'bad date');
  });

  it('keeps working when storage throws', () => {
    const history = createHistory(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    history.recordSignIn('2030-01-01T00:00:00.000Z', new Date());
    history.recordSignOut('2030-01-01T00:00:00.000Z', new Date());
    assertEqual(history.read(), null, 'read');
    const full = memoryStorage();
    full.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    // Would throw out of the test if the quota error escaped.
    createHistory(() => full).recordSignIn('2030-01-01T00:00:00.000Z', new Date());
  });
});
