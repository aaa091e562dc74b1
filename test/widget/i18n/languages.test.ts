import { complete, english, languageOf, languageTag, restOfEnglish, stringsIn } from '../../../widget/i18n/languages.ts';
import { defaultStrings } from '../../../widget/strings.ts';
import { assert, assertDeepEqual, assertEqual } from '../helpers.ts';

describe('languageOf', () => {
  it('matches by base language, whatever the region or case', () => {
    for (const [tag, language] of [
      ['fr', 'fr'], ['fr-CA', 'fr'], ['FR-fr', 'fr'], ['de-AT', 'de'], ['es-419', 'es'], ['nl-BE', 'nl'],
      ['pt', 'pt'], ['pt-BR', 'pt'], ['pt-PT', 'pt'], ['pt_BR', 'pt'], ['en-GB', 'en'], ['en', 'en'],
    ]) {
      assertEqual(languageOf(tag), language, tag!);
    }
  });

  it('speaks English for a language it does not ship, or none', () => {
    for (const tag of ['ja', 'it-IT', 'frr', 'x-klingon', '', null, undefined, 'constructor', 'toString']) {
      assertEqual(languageOf(tag), 'en', String(tag));
    }
  });
});

describe('languageTag', () => {
  it('takes the element’s own lang, else the nearest ancestor’s', () => {
    const outer = document.createElement('div');
    outer.lang = 'de-CH';
    outer.innerHTML = '<section lang="fr-CA"><p><span id="inner"></span></p></section><span id="plain"></span>';
    document.body.append(outer);
    try {
      assertEqual(languageTag(outer.querySelector('#inner')!), 'fr-CA', 'nearest');
      assertEqual(languageTag(outer.querySelector('#plain')!), 'de-CH', 'further up');
      outer.querySelector('#inner')!.setAttribute('lang', 'nl');
      assertEqual(languageTag(outer.querySelector('#inner')!), 'nl', 'its own');
    } finally {
      outer.remove();
    }
  });

  it('looks through shadow roots up to the page', () => {
    const host = document.createElement('div');
    const wrapper = document.createElement('div');
    wrapper.lang = 'es-MX';
    wrapper.append(host);
    document.body.append(wrapper);
    try {
      const inside = document.createElement('span');
      host.attachShadow({ mode: 'open' }).append(inside);
      assertEqual(languageTag(inside), 'es-MX', 'the host’s ancestor');
    } finally {
      wrapper.remove();
    }
  });

  it('says nothing where no lang is set, or an empty one', () => {
    const el = document.createElement('span');
    assertEqual(languageTag(el), undefined, 'detached');
    const unknown = document.createElement('div');
    unknown.setAttribute('lang', '');
    unknown.append(el);
    assertEqual(languageTag(el), undefined, 'lang=""');
  });
});

describe('stringsIn', () => {
  it('gives English at once, and another language once loaded, then at once', async () => {
    assertEqual(stringsIn('en'), english, 'English');
    const loading = stringsIn('nl');
    assert(loading instanceof Promise, 'Dutch loads first');
    const dutch = await loading;
    assertEqual(dutch.sendCode, 'Code versturen', 'Dutch');
    assertEqual(stringsIn('nl'), dutch, 'then at once, the same sentences');
  });

  it('gives English’s first screens at once, and every other sentence once the rest has loaded', async () => {
    assertEqual(english.sendCode, defaultStrings.sendCode, 'the form, at once');
    assertEqual(await restOfEnglish(), true, 'the rest loads');
    assert(complete(english), 'English is complete');
    assertDeepEqual(Object.keys(english).sort(), Object.keys(defaultStrings).sort(), 'every sentence');
    assertEqual(english.whyFirstSignIn, defaultStrings.whyFirstSignIn, 'a sentence of the rest');
  });
});
