/**
 * What a site relies on of `<otp-login>` as an element, which its own base class (widget/element.ts,
 * in place of LitElement) must keep: a page's script may set properties before `otp-login.js` has
 * defined the element (a module script runs after the page's inline ones), attributes and
 * properties re-render it, `lang` reflects, and `updateComplete` settles after the render.
 *
 * The widget is imported inside the first test, after the element is on the page, as on a site.
 */
import type { OtpLogin } from '../../widget/otp-login.ts';
import { $, assert, assertEqual, cleanUp, forgetThisBrowser, identifyStep, noSession, serve, waitFor } from './helpers.ts';

describe('<otp-login> as an element', () => {
  beforeEach(forgetThisBrowser);
  afterEach(cleanUp);

  it('keeps properties and attributes a page set before otp-login.js defined the element', async () => {
    serve(noSession);
    assertEqual(customElements.get('otp-login'), undefined, 'not defined yet');
    const el = document.createElement('otp-login') as OtpLogin;
    el.setAttribute('api', 'http://otp.test');
    el.setAttribute('channels', 'email');
    el.lang = 'en-GB';
    el.strings = { sendCode: 'Get my code' };
    document.body.append(el);
    await import('../../widget/otp-login.ts');
    await waitFor(() => $(el, '#identifier'), 'the identifier field');
    assertEqual($(el, 'button[part~="button"]')?.textContent?.trim(), 'Get my code', 'the strings set before');
    assertEqual($(el, 'label[for="identifier"]')?.textContent, 'Email', 'the channels attribute');
    assertEqual(el.strings.sendCode, 'Get my code', 'the property reads back');
  });

  it('re-renders when an attribute or property changes, once updateComplete settles', async () => {
    serve(noSession);
    const el = await identifyStep();
    el.setAttribute('channels', 'sms');
    assertEqual(await el.updateComplete, true, 'updateComplete: no render left pending');
    assertEqual($(el, 'label[for="identifier"]')?.textContent, 'Mobile number', 'the channels attribute');
    el.channels = 'email';
    el.strings = { labelEmail: 'Your email' };
    await el.updateComplete;
    assertEqual($(el, 'label[for="identifier"]')?.textContent, 'Your email', 'the properties');
    el.removeAttribute('channels');
    await el.updateComplete;
    assertEqual(el.channels, null, 'a removed attribute sets its property to null, as Lit did');
    assert($(el, 'fieldset[part~="channels"]'), 'both channels offered again');
  });

  it('reflects lang to its attribute and speaks it', async () => {
    serve(noSession);
    const el = await identifyStep();
    el.lang = 'de';
    assertEqual(el.getAttribute('lang'), 'de', 'the attribute');
    await waitFor(() => ($(el, 'button[part~="button"]')?.textContent ?? '').includes('Code'), 'the German button');
  });
});
