import type { Channel } from '../../../widget/api.ts';
import { stringsIn, type Language } from '../../../widget/i18n/languages.ts';
import { defaultStrings, type PhoneRefusal, type Strings } from '../../../widget/strings.ts';
import { assert, assertEqual, assertIncludes } from '../helpers.ts';

type Translated = Exclude<Language, 'en'>;
const translated: Translated[] = ['de', 'es', 'fr', 'nl', 'pt'];

type Sentences = { [K in keyof Strings as Strings[K] extends string ? never : K]: Strings[K] extends (...args: infer A) => string ? A[] : never };
const channels: (Channel | undefined)[] = ['email', 'sms', undefined];
const kinds = ['email', 'phone', undefined] as const;
const notForTexts: PhoneRefusal[] = ['landline', 'premium_rate', 'shared_cost', 'toll_free', 'switchboard', 'pager', 'voicemail', 'personal_number'];

/** Every function of Strings with the arguments that reach each of its branches. */
const calls: Sentences = {
  whyCookiesCleared: [['j•••@example.com'], [undefined]],
  tipAllowCookies: [['login.example.com']],
  tipCookiesDeletedOnClose: [['login.example.com']],
  codeSent: [[{ destination: 'j•••@example.com', time: '14:05' }]],
  codeSentOnFile: [[{ channel: 'sms', time: '14:05' }], [{ channel: 'email', time: '14:05' }]],
  smsPaused: [['14:05', true], ['14:05', false], [undefined, true], [undefined, false]],
  resendIn: [[25], [90]],
  changeIdentifier: [['email'], ['phone']],
  signedInAs: [['j•••@example.com']],
  rememberedUntil: [['3 Jan 2028']],
  errorMissingIdentifier: [[['email', 'sms']], [['email']], [['sms']]],
  errorRateLimited: [[45, 'send'], [45, 'verify'], [undefined, 'send'], [undefined, 'verify'], [1, 'verify'], [120, 'send'], [7200, 'send']],
  errorNetworkLimited: [[1200, 'send'], [45, 'send'], [undefined, 'send'], [1200, 'verify'], [undefined, 'verify']],
  errorSmsPrefixLimited: [[3000, true], [3000, false], [undefined, true], [undefined, false]],
  errorCodeStillValid: [[{ time: '14:05', onFile: undefined }], [{ time: '14:05', onFile: 'sms' }], [{ time: '14:05', onFile: 'email' }]],
  errorPhoneRefused: [
    [{ reason: 'country', country: 'Canada', email: true }],
    [{ reason: 'country', country: undefined, email: true }],
    [{ reason: 'country', country: 'Canada', email: false }],
    ...notForTexts.flatMap((reason) => [true, false].map((email) => [{ reason, country: undefined, email }] as [Parameters<Strings['errorPhoneRefused']>[0]])),
  ],
  errorLocked: kinds.flatMap((typed) => kinds.map((other) => [typed, other] as [typeof typed, typeof other])),
  errorDeliveryUnavailable: channels.flatMap((channel) => channels.map((other) => [channel, other] as [Channel | undefined, Channel | undefined])),
  errorWrongCode: [[undefined], [0], [1], [3]],
  errorSupersededCode: [[{ codeNumber: 4, time: '14:07' }], [{ codeNumber: undefined, time: '14:07' }], [{ codeNumber: 4, time: undefined }], [{ codeNumber: undefined, time: undefined }]],
  errorSessionCheck: [[true], [false]],
  errorNotSent: [
    [{ channel: 'sms', reason: 'stop_reply', replyTo: '+14155550100', other: 'email' }],
    [{ channel: 'sms', reason: 'stop_reply', replyTo: undefined, other: undefined }],
    [{ channel: 'sms', reason: 'carrier', replyTo: undefined, other: 'email' }],
    [{ channel: 'email', reason: 'bounce', replyTo: undefined, other: 'sms' }],
    [{ channel: 'email', reason: 'spam_complaint', replyTo: undefined, other: undefined }],
    [{ channel: 'email', reason: 'unsubscribed', replyTo: undefined, other: undefined }],
  ],
};

/** Each sentence of `strings`, functions said with every set of arguments above. */
function sentences(strings: Strings): Map<string, string> {
  const said = new Map<string, string>();
  for (const [key, value] of Object.entries(strings) as [keyof Strings, Strings[keyof Strings]][]) {
    if (typeof value === 'string') said.set(key, value);
    else (calls as Record<string, unknown[][]>)[key]!.forEach((args, i) => said.set(`${key}#${i}`, (value as (...a: unknown[]) => string)(...args)));
  }
  return said;
}

/** Words that only English says; "code", "SMS" and "mobile" are shared with other languages. */
const english = /\b(the|your|you|you’re|we’ll|email|send|sign|signed|check|please|again|number|remember|tries|left|browser’s)\b/i;

async function load(language: Translated): Promise<Strings> {
  return await stringsIn(language);
}

describe('the translations', () => {
  it('test every function of Strings with every branch', () => {
    const functions = Object.keys(defaultStrings).filter((key) => typeof defaultStrings[key as keyof Strings] === 'function');
    assertEqual(Object.keys(calls).sort().join(' '), functions.sort().join(' '), 'functions listed here');
  });

  for (const language of translated) {
    describe(language, () => {
      it('defines every key of Strings, each of the same kind and arity as the English one', async () => {
        const strings = await load(language);
        assertEqual(Object.keys(strings).sort().join(' '), Object.keys(defaultStrings).sort().join(' '), 'keys');
        for (const [key, english] of Object.entries(defaultStrings)) {
          const value = strings[key as keyof Strings];
          assertEqual(typeof value, typeof english, `typeof ${key}`);
          if (typeof english === 'function') assertEqual((value as () => string).length, english.length, `${key}.length`);
        }
      });

      it('says every sentence, with its values, in as many different ways as English does', async () => {
        const said = sentences(await load(language));
        const inEnglish = sentences(defaultStrings);
        for (const [key, text] of said) {
          assert(text.trim().length > 0 && !/undefined|NaN|\[object/.test(text), `${key}: ${JSON.stringify(text)}`);
          assert(!english.test(text), `${key} has English in it: ${text}`);
          // The values English names (code number, address, time, host, seconds) are named too.
          for (const value of ['j•••@example.com', 'login.example.com', '14:05', '14:07', '+14155550100', '0:25', '1:30', '3 Jan 2028', 'Canada']) {
            if (inEnglish.get(key)!.includes(value)) assert(text.includes(value), `${key} names ${value}: ${text}`);
          }
          for (const code of [' 3', ' 4']) {
            if (/code [34]\b/.test(inEnglish.get(key)!) && inEnglish.get(key)!.includes(code)) assert(text.includes(code), `${key} names the code number: ${text}`);
          }
        }
        for (const key of Object.keys(calls)) {
          const variants = (text: Map<string, string>) => new Set([...text].filter(([k]) => k.startsWith(`${key}#`)).map(([, v]) => v)).size;
          assertEqual(variants(said), variants(inEnglish), `different sentences of ${key}`);
        }
      });

      it('writes every sentence as a sentence: a capital first, an ending stop and its language’s apostrophe', async () => {
        const said = sentences(await load(language));
        for (const [key, text] of said) {
          assert(!text.includes("'"), `${key} uses ’, not ': ${text}`);
          assert(!text.includes('"'), `${key} uses typographic quotes: ${text}`);
          assert(!text.includes('...'), `${key} uses …: ${text}`);
          assert(text[0] === text[0]!.toUpperCase() || /^\d/.test(text), `${key} starts with a capital: ${text}`);
        }
        // Whole sentences end with a stop; labels and buttons do not.
        for (const key of ['whyFirstSignIn', 'tipAskTeam', 'checkSpam', 'resendNote', 'errorUnexpected', 'errorNetwork'] as const) {
          assert(/[.!?…]$/.test(said.get(key)!), `${key} ends a sentence: ${said.get(key)}`);
        }
      });

      it('quotes the “Don’t remember this browser” box by its own label', async () => {
        const strings = await load(language);
        const label = strings.dontRemember.replace(/\s*\(.*\)$/, '');
        assert(strings.tipLeaveUnticked.includes(label), `${strings.tipLeaveUnticked} quotes “${label}”`);
      });

      it('says “looks like” or “likely” wherever the reason is a guess', async () => {
        const strings = await load(language);
        const hedge = { de: /Offenbar|wahrscheinlich|scheint/, es: /Parece|probable/, fr: /semble|probablement/, nl: /lijkt|waarschijnlijk/, pt: /Parece|provavelmente/ }[language];
        for (const key of ['whyPrivateWindow', 'whyCookiesBlockedEmbedded', 'whyFirstSignIn', 'whyCookiesLikelyBlocked'] as const) {
          assert(hedge.test(strings[key]), `${key}: ${strings[key]}`);
        }
        assert(hedge.test(strings.whyCookiesCleared(undefined)), `whyCookiesCleared: ${strings.whyCookiesCleared(undefined)}`);
      });

      it('names its own “Send a new code” button when a code is burned (issue 15: advice names controls that exist)', async () => {
        const strings = await load(language);
        assert(strings.errorTooManyAttempts.includes(strings.resend), `${strings.errorTooManyAttempts} names ${strings.resend}`);
      });

      it('says the time left before a new code in its own words, rounded up', async () => {
        const strings = await load(language);
        const in45 = { de: 'in 45 Sekunden', es: 'dentro de 45 segundos', fr: 'dans 45 secondes', nl: 'over 45 seconden', pt: 'em 45 segundos' }[language];
        const in2m = { de: 'in 2 Minuten', es: 'dentro de 2 minutos', fr: 'dans 2 minutes', nl: 'over 2 minuten', pt: 'em 2 minutos' }[language];
        assert(strings.errorRateLimited(44.2, 'verify').includes(in45), strings.errorRateLimited(44.2, 'verify'));
        assert(strings.errorRateLimited(61, 'send').includes(in2m), strings.errorRateLimited(61, 'send'));
      });
    });
  }

  it('sets French punctuation apart with no-break spaces, never a plain one', async () => {
    const said = sentences(await load('fr'));
    for (const [key, text] of said) {
      assert(!/ [?!;:»]|« /.test(text), `${key} has a plain space by its punctuation: ${text}`);
      assert(!/[^\s\u00a0\u202f][?!;:»]|«[^\u202f]/.test(text.replace(/\d:\d/g, '')), `${key} has punctuation with no space: ${text}`);
    }
    assertEqual(said.get('tipLeaveUnticked')!.includes('«\u202fNe pas mémoriser ce navigateur\u202f»'), true, 'guillemets');
  });

  it('uses each language’s quotation marks around the checkbox’s label', async () => {
    const marks: Record<Translated, [string, string]> = { de: ['„', '“'], es: ['«', '»'], fr: ['«\u202f', '\u202f»'], nl: ['‘', '’'], pt: ['“', '”'] };
    for (const language of translated) {
      const strings = await load(language);
      const [open, close] = marks[language];
      const label = strings.dontRemember.replace(/\s*\(.*\)$/, '');
      assert(strings.tipLeaveUnticked.includes(`${open}${label}${close}`), `${language}: ${strings.tipLeaveUnticked}`);
    }
  });

  it('says “a la 1:05” but “a las 14:05” in Spanish, “à 1:05” but “às 14:05” in Portuguese', async () => {
    const es = await load('es');
    const pt = await load('pt');
    assertEqual(es.codeSent({ destination: 'j•••@example.com', time: '1:05' }), 'Enviamos un código a j•••@example.com a la 1:05.', 'es 1:05');
    assertEqual(es.codeSent({ destination: 'j•••@example.com', time: '14:05' }), 'Enviamos un código a j•••@example.com a las 14:05.', 'es 14:05');
    assertEqual(pt.codeSent({ destination: 'j•••@example.com', time: '1:05' }), 'Enviamos um código para j•••@example.com à 1:05.', 'pt 1:05');
    assertEqual(pt.codeSent({ destination: 'j•••@example.com', time: '14:05' }), 'Enviamos um código para j•••@example.com às 14:05.', 'pt 14:05');
  });

  it('says the end of an SMS pause as “hasta la 1:05” and “después de las 14:05”, “depois da 1:05” and “depois das 14:05”', async () => {
    const es = await load('es');
    const pt = await load('pt');
    assertIncludes(es.smsPaused('1:05', false), 'en pausa aquí hasta la 1:05.', 'es until 1:05');
    assertIncludes(es.smsPaused('1:05', false), 'vuelve a intentarlo después de la 1:05.', 'es after 1:05');
    assertIncludes(es.smsPaused('14:05', false), 'en pausa aquí hasta las 14:05.', 'es until 14:05');
    assertIncludes(es.smsPaused('14:05', false), 'vuelve a intentarlo después de las 14:05.', 'es after 14:05');
    assertIncludes(pt.smsPaused('1:05', false), 'tente de novo depois da 1:05.', 'pt after 1:05');
    assertIncludes(pt.smsPaused('14:05', false), 'tente de novo depois das 14:05.', 'pt after 14:05');
  });
});
