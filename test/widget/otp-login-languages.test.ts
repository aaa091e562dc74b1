import '../../widget/otp-login.ts';
import type { OtpErrorEvent, OtpLogin } from '../../widget/otp-login.ts';
import { $, $input, alertText, assert, assertEqual, assertIncludes, bodies, checkA11y, deferred, forgetThisBrowser, mount, noSession, record, restoreServer, serve, statusText, submitIdentifier, textOf, typeInto, waitFor } from './helpers.ts';

const codeRoutes = {
  ...noSession,
  'POST /api/codes': { status: 202, body: bodies.codeSent() },
  'POST /api/codes/verify': { status: 401, body: bodies.error('wrong_code', { attemptsLeft: 3 }) },
};

/** Words only English says ("code", "SMS", "mobile" and "browser" are shared with other languages). */
const english = /\b(the|your|you|you’re|email|send|sign|signed|check|checking|please|again|number|remember|tries|left)\b/i;

const status = statusText;

function button(el: OtpLogin): string {
  return $(el, 'button[part~="button"]')?.textContent?.trim() ?? '';
}

async function identifyStep(attributes: Record<string, string> = {}): Promise<OtpLogin> {
  const el = await mount(attributes);
  await waitFor(() => $(el, '#identifier'), 'the identifier field');
  return el;
}

/** Asks for a code for jo@example.com, types a wrong one and waits for the error. */
async function wrongCode(el: OtpLogin): Promise<void> {
  submitIdentifier(el, 'jo@example.com');
  await waitFor(() => $(el, '#code'), 'the code field');
  typeInto($input(el, '#code'), '000000');
  await waitFor(() => alertText(el), 'the error');
}

/** What each language says on the identify step, the code step and for a wrong code (3 tries left). */
const expected = {
  de: { label: 'E-Mail-Adresse oder Handynummer', send: 'Code senden', sent: 'Wir haben einen Code um 14:05 an j•••@example.com gesendet.', error: 'Dieser Code stimmt nicht. Bitte prüfen Sie ihn und versuchen Sie es erneut (noch 3 Versuche).', verify: 'Anmelden' },
  es: { label: 'Correo electrónico o número de móvil', send: 'Enviar código', sent: 'Enviamos un código a j•••@example.com a las 14:05.', error: 'Ese código no es correcto. Revísalo e inténtalo de nuevo (te quedan 3 intentos).', verify: 'Iniciar sesión' },
  fr: { label: 'Adresse e-mail ou numéro de mobile', send: 'Recevoir un code', sent: 'À 14:05, nous avons envoyé un code à j•••@example.com.', error: 'Ce code est incorrect. Vérifiez-le et réessayez (il vous reste 3 essais).', verify: 'Se connecter' },
  nl: { label: 'E-mailadres of mobiel nummer', send: 'Code versturen', sent: 'We hebben om 14:05 een code gestuurd naar j•••@example.com.', error: 'Die code klopt niet. Controleer hem en probeer het opnieuw (nog 3 pogingen over).', verify: 'Inloggen' },
  pt: { label: 'E-mail ou número de celular', send: 'Enviar código', sent: 'Enviamos um código para j•••@example.com às 14:05.', error: 'Esse código não está certo. Confira e tente de novo (restam 3 tentativas).', verify: 'Entrar' },
};

describe('<otp-login> languages', () => {
  beforeEach(forgetThisBrowser);
  afterEach(() => {
    restoreServer();
    for (const el of document.querySelectorAll('otp-login')) el.remove();
    document.documentElement.removeAttribute('lang');
  });

  // First in this file, so that no test before it has loaded Dutch.
  it('shows no English while the page’s language loads: the checking step waits for it', async () => {
    const answer = deferred();
    serve({ 'GET /api/session': async () => (await answer.promise, { status: 200, body: bodies.signedOut('no_cookie') }) });
    const el = document.createElement('otp-login');
    el.setAttribute('api', 'http://otp.test');
    el.lang = 'nl';
    const seen: string[] = [];
    const watch = new MutationObserver(() => seen.push(textOf(el)));
    document.body.append(el);
    watch.observe(el.shadowRoot!, { subtree: true, childList: true, characterData: true });
    await el.updateComplete;
    assertEqual(status(el), '', 'nothing while Dutch loads');
    await waitFor(() => status(el) === 'We controleren of je bent ingelogd…', 'the checking sentence in Dutch');
    answer.resolve();
    await waitFor(() => $(el, '#identifier'), 'the identifier field');
    watch.disconnect();
    seen.push(textOf(el));
    for (const text of seen) assert(!english.test(text), `English on screen: ${text}`);
    assertEqual(button(el), 'Code versturen', 'Dutch button');
  });

  it('takes the language from its lang attribute', async () => {
    serve(noSession);
    const el = await identifyStep({ lang: 'fr' });
    assertEqual($(el, 'label[for="identifier"]')?.textContent, 'Adresse e-mail ou numéro de mobile', 'label');
    assertEqual(button(el), 'Recevoir un code', 'button');
    assertEqual(el.getAttribute('lang'), 'fr', 'lang attribute kept');
  });

  it('takes the language from the page’s <html lang> when it has none', async () => {
    document.documentElement.lang = 'de';
    serve(noSession);
    const el = await identifyStep();
    assertEqual(button(el), 'Code senden', 'German');
  });

  it('prefers its own lang to the page’s', async () => {
    document.documentElement.lang = 'de';
    serve(noSession);
    const el = await identifyStep({ lang: 'es' });
    assertEqual(button(el), 'Enviar código', 'Spanish');
  });

  it('falls back from a region to its language, and to English for a language it does not ship', async () => {
    serve(noSession);
    for (const [lang, send] of [['fr-CA', 'Recevoir un code'], ['pt-PT', 'Enviar código'], ['pt-BR', 'Enviar código'], ['de-AT', 'Code senden'], ['ja', 'Send code'], ['en-GB', 'Send code']]) {
      const el = await identifyStep({ lang: lang! });
      assertEqual(button(el), send, lang!);
      el.remove();
    }
  });

  it('speaks English on a page with no lang at all', async () => {
    serve(noSession);
    const el = await identifyStep();
    assertEqual(button(el), 'Send code', 'English');
  });

  for (const [lang, says] of Object.entries(expected)) {
    it(`says the identify step, the code step and an error in ${lang} with no English left`, async () => {
      serve(codeRoutes);
      const el = await identifyStep({ lang });
      const errors = record<OtpErrorEvent>(el, 'otp-error');
      assertEqual($(el, 'label[for="identifier"]')?.textContent, says.label, 'label');
      assertEqual(button(el), says.send, 'send button');
      assert(!english.test(textOf(el)), `identify step: ${textOf(el)}`);
      await wrongCode(el);
      assertEqual(status(el), says.sent, 'code sent');
      assertEqual(alertText(el), says.error, 'error');
      assertEqual(errors.at(-1)?.detail.message, says.error, 'otp-error says it in the same words');
      assertEqual(button(el), says.verify, 'verify button');
      assert(!english.test(textOf(el)), `code step: ${textOf(el)}`);
    });
  }

  it('puts the strings property on top of French', async () => {
    serve(noSession);
    const el = await identifyStep({ lang: 'fr' });
    el.strings = { sendCode: 'M’envoyer un code' };
    await el.updateComplete;
    assertEqual(button(el), 'M’envoyer un code', 'overridden');
    assertEqual($(el, 'label[for="identifier"]')?.textContent, 'Adresse e-mail ou numéro de mobile', 'the rest stays French');
  });

  it('keeps the strings property when the language changes', async () => {
    serve(noSession);
    const el = await identifyStep({ lang: 'fr' });
    el.strings = { sendCode: 'Go' };
    el.lang = 'de';
    await waitFor(() => $(el, 'label[for="identifier"]')?.textContent === 'E-Mail-Adresse oder Handynummer', 'German');
    assertEqual(button(el), 'Go', 'still overridden');
  });

  it('says everything again, the error on screen too, when lang changes at run time', async () => {
    serve(codeRoutes);
    const el = await identifyStep({ lang: 'fr' });
    await wrongCode(el);
    assertEqual(alertText(el), expected.fr.error, 'French error');
    el.lang = 'de-DE';
    await waitFor(() => status(el) === expected.de.sent, 'the code step in German');
    assertEqual(alertText(el), expected.de.error, 'the same error in German');
    el.setAttribute('lang', 'en-GB');
    await el.updateComplete;
    assertEqual(alertText(el), 'That code isn’t right. Check it and try again (3 tries left).', 'English at once');
  });

  it('says why the server refused a number and the network’s limit in the page’s language, the country named in it too', async () => {
    serve({
      ...noSession,
      'POST /api/codes': [
        { status: 400, body: bodies.error('invalid_phone', { reason: 'country', country: 'FR' }) },
        { status: 429, body: bodies.error('rate_limited', { retryAfter: 1200, limit: 'network' }) },
      ],
    });
    const el = await identifyStep({ lang: 'fr' });
    submitIdentifier(el, '+33 6 12 34 56 78');
    await waitFor(() => alertText(el), 'the refusal');
    assertEqual(alertText(el), 'Nous ne pouvons pas envoyer de SMS aux numéros de ce pays (France). Utilisez plutôt votre adresse e-mail.', 'French');
    el.lang = 'de';
    await waitFor(() => alertText(el).startsWith('An Nummern'), 'the refusal in German');
    assertEqual(alertText(el), 'An Nummern in diesem Land (Frankreich) können wir keine SMS senden. Nutzen Sie stattdessen Ihre E-Mail-Adresse.', 'German, and the country’s German name');
    $(el, 'button[part~="button"]')!.click();
    await waitFor(() => alertText(el).startsWith('Aus Ihrem Netzwerk'), 'the network’s limit');
    assertEqual(
      alertText(el),
      'Aus Ihrem Netzwerk wurden in der letzten Stunde zu viele Codes angefordert (ein Büro oder ein Mobilfunknetz kann sich eine Adresse teilen). Versuchen Sie es in 20 Minuten noch einmal, oder nutzen Sie eine andere Verbindung, etwa mobile Daten.',
      'German',
    );
  });

  it('formats dates in the same language as its sentences', async () => {
    serve({ 'GET /api/session': { status: 200, body: { ...bodies.signedIn(), device: { id: 'd_1', expiresAt: '2028-01-03T10:00:00.000Z' } } } });
    const el = await mount({ lang: 'de' });
    await waitFor(() => $(el, '#sign-out'), 'the sign-out button');
    assertEqual($(el, '#status [part~="hint"]')?.textContent, 'Dieser Browser bleibt bis zum 03.01.2028 angemeldet.', 'German date');
  });

  it('speaks the language of the page inside another element’s shadow root', async () => {
    document.documentElement.lang = 'nl-BE';
    serve(noSession);
    const host = document.createElement('div');
    document.body.append(host);
    const el = document.createElement('otp-login');
    el.setAttribute('api', 'http://otp.test');
    host.attachShadow({ mode: 'open' }).append(el);
    try {
      await waitFor(() => el.shadowRoot?.querySelector('#identifier'), 'the identifier field');
      assertEqual(button(el), 'Code versturen', 'Dutch');
    } finally {
      host.remove();
    }
  });

  for (const lang of ['fr', 'de']) {
    it(`has no axe violations in ${lang}, on each step and with an error`, async () => {
      serve(codeRoutes);
      const el = await identifyStep({ lang });
      await checkA11y(el);
      $(el, 'button[part~="button"]')!.click();
      await waitFor(() => alertText(el), 'the missing-identifier error');
      assertIncludes(alertText(el), lang === 'fr' ? 'Saisissez' : 'Geben Sie', 'error');
      await checkA11y(el);
      await wrongCode(el);
      await checkA11y(el);
    });
  }
});
