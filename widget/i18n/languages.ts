/**
 * Which language `<otp-login>` speaks: the element's `lang`, else the nearest `lang` above it (up
 * through shadow roots to `<html lang>`), matched by base language (`fr-CA` → French); anything
 * else is English. The sentences of English's first screens are built in (first-strings.ts), the
 * rest of English is `otp-login-en.js` (en.ts, loaded by `restOfEnglish()` when needed); each other
 * language is its own small module, which the build writes as a chunk next to `otp-login.js`
 * (`otp-login-fr.js`) and a page loads only when it speaks that language.
 *
 * ```ts
 * const language = languageOf(languageTag(el)); // 'fr' for <html lang="fr-CA">
 * const strings = await stringsIn(language);
 * ```
 */
import { clock, firstStrings, inDuration } from '../first-strings.ts';
import type { Strings } from '../strings.ts';

/** What a translation gets from the widget, so that its chunk imports nothing at run time. */
export interface Tools {
  /** 25 → "0:25". */
  clock: (seconds: number) => string;
  /** 45 → "dans 45 secondes": "in" a duration, in the translation's language, rounded up. */
  within: (seconds: number) => string;
}

/** A language module's default export. */
export type Translation = (tools: Tools) => Strings;

const translations = {
  de: () => import('./de.ts'),
  es: () => import('./es.ts'),
  fr: () => import('./fr.ts'),
  nl: () => import('./nl.ts'),
  pt: () => import('./pt.ts'),
} satisfies Record<string, () => Promise<{ default: Translation }>>;

export type Language = 'en' | keyof typeof translations;

const tools = (language: string): Tools => ({ clock, within: (seconds) => inDuration(seconds, language) });

/**
 * English, shared by every element on the page: the first screens' sentences at once, the others
 * once `restOfEnglish()` has added them. Typed whole because nothing reads a sentence of the rest
 * before `restOfEnglish()` said it is there.
 */
export const english = { ...firstStrings } as Strings;
let englishLoading: Promise<boolean> | undefined;

/**
 * Loads the rest of English into `english` (once, however many ask); resolves whether every
 * sentence is there. A chunk that fails to load (offline) resolves false, and the next call tries again.
 */
export function restOfEnglish(): Promise<boolean> {
  englishLoading ??= import('./en.ts').then(
    ({ default: rest }) => (Object.assign(english, rest(tools('en'))), true),
    (error: unknown) => {
      englishLoading = undefined;
      console.warn('otp-login: otp-login-en.js did not load; serve it next to the widget’s script.', error);
      return false;
    },
  );
  return englishLoading;
}

/** Whether `strings` can say every sentence: a language loaded whole, or English with its rest. */
export const complete = (strings: Strings): boolean => strings !== english || 'whyUnknown' in english;

/** The languages loaded so far, shared by every element on the page. */
const loaded = new Map<Language, Strings>([['en', english]]);

/** `'fr-CA'` → `'fr'`, `'pt_BR'` → `'pt'`; a language not shipped, or none, → `'en'`. */
export function languageOf(tag: string | null | undefined): Language {
  const base = (tag ?? '').split(/[-_]/)[0]!.toLowerCase();
  return Object.hasOwn(translations, base) ? (base as Language) : 'en';
}

/** The `lang` that applies to `el`, as HTML inherits it: its own, or its nearest ancestor's, across shadow roots. */
export function languageTag(el: Element): string | undefined {
  for (let node: Element | undefined = el; node; node = (node.getRootNode() as Partial<ShadowRoot>).host) {
    const found = node.closest('[lang]');
    if (found) return found.getAttribute('lang') || undefined;
  }
  return undefined;
}

/**
 * The sentences of `language`: at once when already loaded (English always is), else once its
 * module has loaded. A module that fails to load (offline, or a server that does not serve it)
 * gives English, and the next call tries again.
 */
export function stringsIn(language: Language): Strings | Promise<Strings> {
  const known = loaded.get(language);
  if (known || language === 'en') return known ?? english;
  return translations[language]().then(
    ({ default: translate }) => {
      const strings = translate(tools(language));
      loaded.set(language, strings);
      return strings;
    },
    (error: unknown) => {
      console.warn(`otp-login: otp-login-${language}.js did not load, so this page gets English; serve it next to the widget's script.`, error);
      return english;
    },
  );
}
