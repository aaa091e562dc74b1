import '../../widget/otp-login.ts';
import { emulateMedia, readFile } from '@web/test-runner-commands';
import type { OtpLogin } from '../../widget/otp-login.ts';
import { HISTORY_KEY } from '../../widget/history.ts';
import { colourDefaults } from '../../widget/palette.ts';
import { styles } from '../../widget/styles.ts';
import { $, $input, assert, assertDeepEqual, assertEqual, bodies, checkA11y, forgetThisBrowser, mount, stubFetch, typeInto, waitFor } from './helpers.ts';

const schemes = ['light', 'dark'] as const;

/** The Markdown table rows under README's `### <title>`, as arrays of cells. */
async function readmeTable(title: string): Promise<string[][]> {
  const readme = (await readFile({ path: '../../README.md' })) ?? '';
  const section = readme.split(`\n### ${title}\n`)[1]?.split(/\n#{2,3} /)[0] ?? '';
  return section
    .split('\n')
    .filter((line) => /^\| `/.test(line))
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
}

/** The names after `tag` in the doc header of widget/otp-login.ts. */
async function documented(tag: '@csspart' | '@cssproperty'): Promise<string[]> {
  const source = (await readFile({ path: '../../widget/otp-login.ts' })) ?? '';
  return [...source.matchAll(new RegExp(`${tag} (\\S+)`, 'g'))].map((match) => match[1]!);
}

const firstCode = (cell: string | undefined) => /`([^`]+)`/.exec(cell ?? '')?.[1];

/**
 * The widget in each of its main states, handed to `visit` in turn: the identifier step with a
 * reason, a tip and an error; the code step (resend allowed) with an error; signed in.
 */
async function eachState(visit: (el: OtpLogin, state: string) => Promise<void>): Promise<void> {
  localStorage.setItem(HISTORY_KEY, JSON.stringify({ signedInAt: '2025-01-01T00:00:00.000Z', expiresAt: '2099-01-01T00:00:00.000Z' }));
  const stub = stubFetch({
    'GET /api/session': [{ status: 200, body: bodies.signedOut('no_cookie') }, { status: 200, body: bodies.signedIn() }],
    'POST /api/codes': { status: 202, body: bodies.codeSent({ resendAfter: 0 }) },
    'POST /api/codes/verify': { status: 401, body: bodies.error('wrong_code', { attemptsLeft: 4 }) },
  });
  try {
    const el = await mount({ lang: 'en-GB' });
    await waitFor(() => $(el, '[part~="tip"]'), 'the identifier step with a tip');
    await visit(el, 'the identifier step');
    $(el, 'button[part~="button"]')!.click();
    await waitFor(() => $(el, '[part~="error"]')?.textContent, 'the empty-field error');
    await visit(el, 'the identifier step with an error');
    typeInto($input(el, '#identifier'), 'jo@example.com');
    $(el, 'button[part~="button"]')!.click();
    await waitFor(() => $(el, '#code'), 'the code step');
    await visit(el, 'the code step');
    typeInto($input(el, '#code'), '111111');
    await waitFor(() => $(el, '[part~="error"]')?.textContent, 'the wrong-code error');
    await visit(el, 'the code step with an error');
    el.remove();
    const signedIn = await mount({ lang: 'en-GB' });
    await waitFor(() => $(signedIn, '#sign-out'), 'the signed-in step');
    await visit(signedIn, 'signed in');
  } finally {
    stub.restore();
    for (const el of document.querySelectorAll('otp-login')) el.remove();
  }
}

/** `rgb(r, g, b)` → relative luminance (WCAG 2); fails on a colour that is not opaque. */
function luminance(colour: string, what: string): number {
  const [r, g, b, a = 1] = (colour.match(/[\d.]+/g) ?? []).map(Number);
  assert(colour.startsWith('rgb') && a === 1 && b !== undefined, `${what} is an opaque rgb() colour, got ${colour}`);
  const linear = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r!) + 0.7152 * linear(g!) + 0.0722 * linear(b);
}

function contrast(one: string, other: string, what: string): number {
  const [light, dark] = [luminance(one, what), luminance(other, what)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

/** Each colour pair a person must tell apart in this state: [what, foreground, background, least ratio]. */
function colourPairs(el: OtpLogin): Array<[string, string, string, number]> {
  const style = (selector: string) => {
    const node = $(el, selector);
    return node ? getComputedStyle(node) : undefined;
  };
  const card = style('[part~="card"]')!.backgroundColor;
  const pairs: Array<[string, string, string, number]> = [['text', style('[part~="card"]')!.color, card, 4.5]];
  const onCard = (what: string, selector: string, min = 4.5, property: 'color' | 'accentColor' = 'color') => {
    for (const node of el.shadowRoot!.querySelectorAll(selector)) pairs.push([what, getComputedStyle(node)[property], card, min]);
  };
  onCard('muted text', '[part~="explanation"], [part~="hint"]');
  onCard('labels', '[part~="label"]');
  onCard('secondary and link buttons', '[part~="secondary-button"], [part~="link-button"]');
  onCard('radio buttons and check boxes', '[part~="choice"] input', 3, 'accentColor');
  for (const selector of ['[part~="input"]', '[part~="code-input"]']) {
    const field = style(selector);
    if (!field) continue;
    pairs.push(['field text', field.color, field.backgroundColor, 4.5]);
    pairs.push(['field border on the field', field.borderTopColor, field.backgroundColor, 3]);
    pairs.push(['field border on the card', field.borderTopColor, card, 3]);
  }
  for (const button of el.shadowRoot!.querySelectorAll('button[part~="button"]')) {
    const { color, backgroundColor } = getComputedStyle(button);
    pairs.push(['main button text', color, backgroundColor, 4.5], ['main button on the card', backgroundColor, card, 3]);
  }
  const error = $(el, '[part~="error"]');
  if (error?.textContent) {
    const { color, backgroundColor } = getComputedStyle(error);
    pairs.push(['error', color, backgroundColor, 4.5]);
  }
  return pairs;
}

describe('<otp-login> look', () => {
  beforeEach(forgetThisBrowser);
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
    for (const el of document.querySelectorAll('otp-login')) el.remove();
  });

  for (const scheme of schemes) {
    it(`meets WCAG AA contrast with the default colours in every state, ${scheme}`, async () => {
      await emulateMedia({ colorScheme: scheme });
      const failures: string[] = [];
      await eachState(async (el, state) => {
        const card = luminance(getComputedStyle($(el, '[part~="card"]')!).backgroundColor, 'the card');
        assert(scheme === 'light' ? card > 0.9 : card < 0.05, `the card is ${scheme} (luminance ${card.toFixed(2)})`);
        for (const [what, fg, bg, min] of colourPairs(el)) {
          const ratio = contrast(fg, bg, what);
          if (ratio < min) failures.push(`${state}: ${what} ${fg} on ${bg} is ${ratio.toFixed(2)}:1, under ${min}:1`);
        }
        const field = $(el, '#code, #identifier');
        if (!field) return;
        field.focus();
        assert(field.matches(':focus-visible'), 'the field shows its focus ring');
        const ring = getComputedStyle(field).outlineColor;
        const ratio = contrast(ring, getComputedStyle($(el, '[part~="card"]')!).backgroundColor, 'focus ring');
        if (ratio < 3) failures.push(`${state}: the focus ring ${ring} is ${ratio.toFixed(2)}:1, under 3:1`);
        field.blur();
      });
      assertDeepEqual(failures, [], 'colour pairs under WCAG AA');
    });

    it(`has no axe violations in every state, ${scheme}`, async () => {
      await emulateMedia({ colorScheme: scheme });
      await eachState(async (el) => checkA11y(el));
    });
  }

  it('uses a colour the site sets in both schemes, over the default of each', async () => {
    const stub = stubFetch({ 'GET /api/session': { status: 200, body: bodies.signedOut('no_cookie') } });
    try {
      const el = await mount();
      el.style.setProperty('--otp-bg', 'rgb(1, 2, 3)');
      el.style.setProperty('--otp-accent', 'rgb(4, 5, 6)');
      await waitFor(() => $(el, 'button[part~="button"]'), 'the identifier step');
      for (const scheme of schemes) {
        await emulateMedia({ colorScheme: scheme });
        assertEqual(getComputedStyle($(el, '[part~="card"]')!).backgroundColor, 'rgb(1, 2, 3)', `card, ${scheme}`);
        assertEqual(getComputedStyle($input(el, '#identifier')).backgroundColor, 'rgb(1, 2, 3)', `field on the set background, ${scheme}`);
        assertEqual(getComputedStyle($(el, 'button[part~="button"]')!).backgroundColor, 'rgb(4, 5, 6)', `button, ${scheme}`);
      }
    } finally {
      stub.restore();
    }
  });

  it('stays in the scheme a site sets with color-scheme, whatever the system prefers', async () => {
    const stub = stubFetch({ 'GET /api/session': { status: 200, body: bodies.signedOut('no_cookie') } });
    try {
      const el = await mount();
      const card = () => getComputedStyle($(el, '[part~="card"]')!).backgroundColor;
      await emulateMedia({ colorScheme: 'dark' });
      el.style.colorScheme = 'light';
      assertEqual(card(), 'rgb(255, 255, 255)', 'light on a dark system');
      await emulateMedia({ colorScheme: 'light' });
      el.style.colorScheme = 'dark';
      assertEqual(card(), 'rgb(31, 35, 40)', 'dark on a light system');
    } finally {
      stub.restore();
    }
  });

  it('documents the same parts in README and the element, and each is in the widget and styled by ::part() from outside', async () => {
    const parts = await documented('@csspart');
    assertDeepEqual((await readmeTable('Parts')).map((row) => firstCode(row[0])), parts, 'README parts = the element’s @csspart');
    for (const spec of ['form', 'input', 'button', 'code-input', 'message', 'explanation']) assert(parts.includes(spec), `SPEC's part ${spec} is kept`);
    const sheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    const seen = new Set<string>();
    try {
      await eachState(async (el, state) => {
        for (const node of el.shadowRoot!.querySelectorAll('[part]')) {
          for (const part of node.getAttribute('part')!.split(/\s+/)) {
            assert(parts.includes(part), `${state}: part ${part} is documented`);
            seen.add(part);
            sheet.replaceSync(`otp-login::part(${part}) { color: rgb(1, 2, 3); }`);
            assertEqual(getComputedStyle(node).color, 'rgb(1, 2, 3)', `${state}: ::part(${part}) styles its node`);
          }
        }
      });
    } finally {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    }
    assertDeepEqual(parts.filter((part) => !seen.has(part)), [], 'documented parts the widget never shows');
  });

  it('styles the code step with the styles it brings (rest.ts): the code field in --otp-code-font, centred; the link button underlined', async () => {
    let visited = false;
    await eachState(async (el, state) => {
      if (state !== 'the code step') return;
      visited = true;
      el.style.setProperty('--otp-code-font', 'Courier');
      const code = $(el, '#code')!;
      assertEqual(getComputedStyle(code).fontFamily, 'Courier', 'the code font');
      assertEqual(getComputedStyle(code).textAlign, 'center', 'centred');
      assertEqual(getComputedStyle($(el, 'button[part~="link-button"]')!).textDecorationLine, 'underline', 'the link button');
      // Adopted, not a <style> element: a page's CSP without 'unsafe-inline' blocks those (the admin's does).
      assertEqual(el.shadowRoot!.querySelectorAll('style').length, 0, 'no <style> in the shadow root');
    });
    assert(visited, 'the code step was seen');
  });

  it('documents the same custom properties in README and the element, each one the styles read, with the defaults they use', async () => {
    const properties = await documented('@cssproperty');
    const rows = await readmeTable('Custom properties');
    assertDeepEqual(rows.map((row) => firstCode(row[0])), properties, 'README properties = the element’s @cssproperty');
    const read = new Set(styles.match(/--otp-[a-z-]+/g));
    // The code step brings its own styles (rest.ts), adopted by the shadow root once it is shown.
    await eachState(async (el) => {
      const sheets = el.shadowRoot!.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules].map((rule) => rule.cssText));
      for (const text of sheets) for (const name of text.match(/--otp-[a-z-]+/g) ?? []) read.add(name);
    });
    assertDeepEqual([...read].sort(), [...properties].sort(), 'the --otp- properties the styles read = those documented');
    for (const [name, [light, dark]] of Object.entries(colourDefaults)) {
      const row = rows.find((cells) => firstCode(cells[0]) === `--otp-${name}`);
      assertDeepEqual([firstCode(row?.[2]), firstCode(row?.[3])], [light, dark], `README's defaults of --otp-${name}`);
    }
  });
});
