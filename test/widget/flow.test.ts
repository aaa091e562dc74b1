import type { CodeSent } from '../../widget/api.ts';
import { channelFor, detectKind, identifierOf, initialStep, next, parseChannels, type Step } from '../../widget/flow.ts';
import { assertDeepEqual, assertEqual } from './helpers.ts';

const contact = { id: 'c_1', email: 'jo@example.com', phone: null };
const device = { id: 'd_1', expiresAt: '2030-01-01T00:00:00.000Z' };
const sent: CodeSent = {
  status: 'sent_if_registered',
  channel: 'email',
  destination: 'j•••@example.com',
  resendAfter: 30,
  expiresIn: 600,
  sentAt: '2025-01-02T14:05:00.000Z',
};
const identifier = { kind: 'email', value: 'jo@example.com' } as const;
const codeStep: Step = {
  name: 'code',
  reason: 'expired',
  identifier,
  channel: 'email',
  sent,
  sentAt: 1_000,
  resendAt: 31_000,
};

describe('flow', () => {
  it('starts by checking the session', () => {
    assertDeepEqual(initialStep, { name: 'checking' }, 'initial step');
  });

  it('goes straight to signed in, remembered until the device expires, when the browser is remembered', () => {
    const step = next(initialStep, { type: 'sessionChecked', session: { signedIn: true, contact, device } });
    assertDeepEqual(step, { name: 'signedIn', contact, device, remembered: 'untilExpiry' }, 'step');
  });

  it('keeps a remembered browser’s session-only sign-in when the element says so', () => {
    const step = next(initialStep, { type: 'sessionChecked', session: { signedIn: true, contact, device }, remembered: 'browserSession' });
    assertDeepEqual(step, { name: 'signedIn', contact, device, remembered: 'browserSession' }, 'step');
  });

  it('asks for an identifier, keeping the server reason, when there is no session', () => {
    const step = next(initialStep, { type: 'sessionChecked', session: { signedIn: false, reason: 'revoked' } });
    assertDeepEqual(step, { name: 'identify', reason: 'revoked' }, 'step');
  });

  it('asks for an identifier with no reason when the session could not be checked', () => {
    const step = next(initialStep, { type: 'sessionChecked', session: null });
    assertDeepEqual(step, { name: 'identify', reason: null }, 'step');
  });

  it('moves to the code step with the resend time counted from when the answer arrived', () => {
    const step = next({ name: 'identify', reason: 'expired' }, { type: 'codeSent', identifier, channel: 'email', sent, at: 1_000 });
    assertDeepEqual(step, codeStep, 'step');
  });

  it('replaces the code details when a new code is sent from the code step', () => {
    const newer = { ...sent, sentAt: '2025-01-02T14:06:00.000Z', resendAfter: 60 };
    const step = next(codeStep, { type: 'codeSent', identifier, channel: 'email', sent: newer, at: 50_000 });
    assertEqual(step.name === 'code' && step.sent.sentAt, '2025-01-02T14:06:00.000Z', 'the newer code’s time');
    assertEqual(step.name === 'code' && step.resendAt, 110_000, 'resend time');
  });

  it('signs in after a verified code, carrying what the re-check found about the cookie', () => {
    const step = next(codeStep, { type: 'verified', session: { signedIn: true, contact, device }, remembered: 'notKept' });
    assertDeepEqual(step, { name: 'signedIn', contact, device, remembered: 'notKept' }, 'step');
  });

  it('goes back to the identifier with the same reason when the person changes it', () => {
    assertDeepEqual(next(codeStep, { type: 'changeIdentifier' }), { name: 'identify', reason: 'expired' }, 'step');
  });

  it('asks for an identifier with reason signed_out after signing out', () => {
    const step = next({ name: 'signedIn', contact, device, remembered: 'untilExpiry' }, { type: 'signedOut' });
    assertDeepEqual(step, { name: 'identify', reason: 'signed_out' }, 'step');
  });

  it('ignores events that make no sense in the current step', () => {
    const identify: Step = { name: 'identify', reason: 'no_cookie' };
    assertEqual(next(identify, { type: 'verified', session: { signedIn: true, contact, device }, remembered: 'untilExpiry' }), identify, 'identify + verified');
    assertEqual(next(identify, { type: 'signedOut' }), identify, 'identify + signedOut');
    assertEqual(next(codeStep, { type: 'sessionChecked', session: null }), codeStep, 'code + sessionChecked');
    const signedIn: Step = { name: 'signedIn', contact, device, remembered: 'untilExpiry' };
    assertEqual(next(signedIn, { type: 'changeIdentifier' }), signedIn, 'signedIn + changeIdentifier');
  });

  it('treats anything with an @ as an email address and the rest as a phone number', () => {
    assertEqual(detectKind('jo@example.com'), 'email', 'email');
    assertEqual(detectKind('+44 7700 900123'), 'phone', 'phone');
  });

  it('reads the channels attribute, falling back to both', () => {
    assertDeepEqual(parseChannels('email sms'), ['email', 'sms'], 'both');
    assertDeepEqual(parseChannels('sms'), ['sms'], 'sms');
    assertDeepEqual(parseChannels(' EMAIL '), ['email'], 'email, any case');
    assertDeepEqual(parseChannels('fax'), ['email', 'sms'], 'unknown word');
    assertDeepEqual(parseChannels(null), ['email', 'sms'], 'missing');
  });

  it('classifies what was typed by the channels on offer', () => {
    assertDeepEqual(identifierOf('+44 7911 123456', ['email', 'sms']), { kind: 'phone', value: '+44 7911 123456' }, 'both: a phone');
    assertDeepEqual(identifierOf('jo', ['email']), { kind: 'email', value: 'jo' }, 'email only');
    assertDeepEqual(identifierOf('jo@example.com', ['sms']), { kind: 'phone', value: 'jo@example.com' }, 'sms only');
  });

  it('sends by the channel picked, else by the one that matches what was typed', () => {
    assertEqual(channelFor('+44 7911 123456', ['email', 'sms'], null), 'sms', 'a phone');
    assertEqual(channelFor('jo@example.com', ['email', 'sms'], null), 'email', 'an email');
    assertEqual(channelFor('jo@example.com', ['email', 'sms'], 'sms'), 'sms', 'picked');
    assertEqual(channelFor('+44 7911 123456', ['email'], 'sms'), 'email', 'only one on offer');
  });

  it('moves the resend countdown to the wait the server asks for, never earlier', () => {
    const code = next(next(initialStep, { type: 'sessionChecked', session: { signedIn: false, reason: 'no_cookie' } }), {
      type: 'codeSent',
      identifier: { kind: 'email', value: 'jo@example.com' },
      channel: 'email',
      sent,
      at: 1_000,
    });
    assertEqual(code.name === 'code' && code.resendAt, 31_000, 'after the code');
    const later = next(code, { type: 'resendLimited', until: 90_000 });
    assertEqual(later.name === 'code' && later.resendAt, 90_000, 'the server’s wait');
    assertDeepEqual(next(later, { type: 'resendLimited', until: 5_000 }), later, 'never earlier');
  });

  it('opens a held code’s step with its own countdown, keeping the reason, and marks one reopened on load', () => {
    const identify = next(initialStep, { type: 'sessionChecked', session: { signedIn: false, reason: 'expired' } });
    const held = { type: 'codeHeld', identifier, channel: 'email', sent, at: 1_000, resendAt: 95_000 } as const;
    assertDeepEqual(next(identify, held), { ...codeStep, resendAt: 95_000 }, 'asked again while it still works');
    assertDeepEqual(next(identify, { ...held, onLoad: true }), { ...codeStep, resendAt: 95_000, reopened: true }, 'after a reload');
    assertDeepEqual(next(initialStep, held), initialStep, 'not before the session check');
  });
});
