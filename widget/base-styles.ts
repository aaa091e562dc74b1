/**
 * What every otp- element shares: the host as a block in the theme's font and colour (through
 * `--otp-` custom properties only), `hidden` honoured, border-box sizing inside, and how a
 * button that waits looks.
 */
// A string, not Lit's `css`, so `otp-login.js` carries no CSS tag (element.ts adopts it as it is);
// `css` only so the build minifies the text (widget/minify-templates.ts).
export const css = String.raw;

export const hostStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    font-family: var(--otp-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: var(--otp-font-size, 1rem);
    line-height: 1.5;
    color: var(--otp-text, #1f2328);
  }

  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  button:disabled {
    cursor: not-allowed;
    opacity: 0.75;
  }
`;
