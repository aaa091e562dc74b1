import type { Reason, Tip } from '../../widget/explain.ts';
import { explanationText } from '../../widget/explanation-text.ts';
import { defaultStrings } from '../../widget/strings.ts';
import { assert, assertEqual } from './helpers.ts';

const reasons: Reason[] = [
  'revoked', 'deactivated', 'signed_out', 'session_only', 'expired', 'cookies_blocked', 'cookies_blocked_embedded',
  'cookies_cleared', 'private_window', 'no_saved_sign_in', 'first_sign_in', 'unknown_device', 'unknown',
];
const tips: Tip[] = [
  'ask_team', 'reactivate', 'sign_out_on_shared_only', 'visit_to_keep', 'leave_unticked', 'allow_cookies',
  'code_each_time', 'cookies_deleted_on_close', 'normal_window', 'can_remember',
];
const context = { host: 'login.example.com', who: 'j•••@example.com' };

describe('explanationText', () => {
  it('has a sentence for every reason and every tip, each a different one', () => {
    const whys = reasons.map((reason) => explanationText(defaultStrings, { reason, tip: null }, context).why);
    const tipTexts = tips.map((tip) => explanationText(defaultStrings, { reason: 'unknown', tip }, context).tip);
    for (const text of [...whys, ...tipTexts]) assert(typeof text === 'string' && text.endsWith('.'), `a sentence: ${text}`);
    assertEqual(new Set(whys).size, reasons.length, 'distinct reasons');
    assertEqual(new Set(tipTexts).size, tips.length, 'distinct tips');
  });

  it('names the server’s host and the masked identifier where the sentence needs them', () => {
    const text = explanationText(defaultStrings, { reason: 'cookies_cleared', tip: 'cookies_deleted_on_close' }, context);
    assertEqual(text.why, 'You’ve signed in here before as j•••@example.com, but this browser’s cookies were likely cleared, so you’ll need a new code.', 'why');
    assertEqual(text.tip, 'Your browser may delete cookies when it closes; allow cookies for login.example.com to stay signed in.', 'tip');
    const unnamed = explanationText(defaultStrings, { reason: 'cookies_cleared', tip: null }, { ...context, who: undefined });
    assertEqual(unnamed.why, 'You’ve signed in here before, but this browser’s cookies were likely cleared, so you’ll need a new code.', 'without who');
  });

  it('uses overridden sentences', () => {
    const strings = { ...defaultStrings, whyPrivateWindow: 'Fenêtre privée ?', tipNormalWindow: 'Utilisez une fenêtre normale.' };
    const text = explanationText(strings, { reason: 'private_window', tip: 'normal_window' }, context);
    assertEqual(`${text.why} ${text.tip}`, 'Fenêtre privée ? Utilisez une fenêtre normale.', 'text');
  });

  it('says “looks like” or “likely” wherever the reason is a guess', () => {
    for (const reason of ['private_window', 'cookies_cleared', 'cookies_blocked_embedded', 'first_sign_in'] as const) {
      const { why } = explanationText(defaultStrings, { reason, tip: null }, context);
      assert(/looks like|likely/.test(why), `${reason}: ${why}`);
    }
  });
});
