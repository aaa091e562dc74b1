/**
 * The colours of `<otp-login>`, light and dark. The styles read only the internal `--_` names
 * set here: each is the site's `--otp-` property when it sets one (then in both schemes), else
 * the default of the element's colour scheme. That scheme is the system's (`color-scheme:
 * light dark`) unless the site sets `otp-login { color-scheme: light }` (or `dark`), since CSS's
 * `light-dark()` picks by it. Browsers without `light-dark()` (before 2024) get the light
 * colours. Every default pair meets WCAG AA contrast; test/widget/theme.test.ts measures them.
 */
import { css } from './base-styles.ts';
import { colourDefaults } from './colour-defaults.ts';

export { colourDefaults } from './colour-defaults.ts';

/** `--_<name>: var(--otp-<name>, <default>)` for each colour, the default written by `value`. */
const declarations = (value: (light: string, dark: string) => string) =>
  Object.entries(colourDefaults)
    .map(([name, [light, dark]]) => {
      // A site that sets only the card's background gets fields on it, not white ones.
      const fallback = name === 'input-bg' ? `var(--otp-bg, ${value(light, dark)})` : value(light, dark);
      return `--_${name}: var(--otp-${name}, ${fallback});`;
    })
    .join('');

export const palette = css`
  :host {
    color-scheme: light dark;
    ${declarations((light, dark) => `light-dark(${light}, ${dark})`)}
  }

  @supports not (color: light-dark(#fff, #000)) {
    :host {
      color-scheme: light;
      ${declarations((light) => light)}
    }
  }
`;
