/**
 * The look of `<otp-login>`. Themed only through `--otp-` custom properties (unprefixed names
 * would collide with the host page) and the documented parts; colours come from palette.ts.
 * The spaces between and inside the card's blocks are fractions of `--otp-gap`, so one property
 * makes the whole widget denser or airier; text sizes are in `em`, so they follow
 * `--otp-font-size`; fields and buttons stay at least 2.75rem (44 px) tall, to be easy to tap.
 */
import { css, hostStyles } from './base-styles.ts';
import { palette } from './palette.ts';

export const styles = hostStyles + palette + css`
  :host {
    --_gap: var(--otp-gap, 1rem);
    --_padding: var(--otp-padding, 1.5rem);
    --_radius: var(--otp-radius, 0.75rem);
    --_control-radius: var(--otp-control-radius, calc(var(--_radius) / 2));
    max-width: var(--otp-max-width, 26rem);
  }

  [part~='card'] {
    position: relative;
    display: grid;
    gap: var(--_gap);
    padding: var(--_padding);
    color: var(--_text);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: var(--otp-shadow, none);
  }

  /* The card's gap spaces its blocks, your heading and footer too (your own margins still win). */
  p,
  ::slotted(*) {
    margin: 0;
  }

  /* Empty live regions stay in the accessibility tree (so later changes are announced) but take no space. */
  [part~='message']:empty {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    border: 0;
    overflow: hidden;
    clip-path: inset(50%);
  }

  [part~='explanation'],
  [part~='status'] {
    display: grid;
    gap: calc(var(--_gap) / 4);
  }

  /* "Signed in as …" stands outside the live region (otp-login.ts), yet reads as its first line. */
  [part~='signed-in'] + [part~='status'] {
    margin-top: calc(var(--_gap) * -0.75);
  }

  [part~='explanation'],
  [part~='hint'] {
    color: var(--_muted);
  }

  [part~='error'] {
    padding: calc(var(--_gap) * 0.75) var(--_gap);
    color: var(--_error);
    background: var(--_error-bg);
    border-left: 4px solid var(--_error);
    border-radius: var(--_control-radius);
  }

  form {
    display: grid;
    gap: calc(var(--_gap) * 0.75);
  }

  [part~='label'] {
    font-weight: var(--otp-label-weight, 600);
  }

  .field {
    display: grid;
    gap: calc(var(--_gap) * 0.375);
  }

  input[part~='input'],
  input[part~='code-input'] {
    width: 100%;
    min-height: 2.75rem;
    padding: 0.5rem 0.75rem;
    font: inherit;
    color: var(--_text);
    background: var(--_input-bg);
    border: 1px solid var(--_input-border);
    border-radius: var(--_control-radius);
  }

  input[aria-invalid='true'] {
    border-color: var(--_error);
  }

  fieldset {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_gap) / 4) calc(var(--_gap) * 1.25);
    margin: 0;
    padding: 0;
    border: 0;
  }

  legend {
    width: 100%;
    margin-bottom: calc(var(--_gap) / 4);
    padding: 0;
  }

  /* The label may wrap to two lines: the box stays by the first. */
  [part~='choice'] {
    display: flex;
    align-items: flex-start;
    gap: 0.5em;
    min-height: 2em;
  }

  /* In the label's font, so that em is its size (a control's own font is smaller). */
  [part~='choice'] input {
    font: inherit;
    width: 1.125em;
    height: 1.125em;
    margin: 0.1875em 0 0;
    accent-color: var(--_accent);
  }

  button {
    min-height: 2.75rem;
    padding: 0.5rem 1.25rem;
    font: inherit;
    font-weight: var(--otp-label-weight, 600);
    color: var(--_accent);
    background: transparent;
    border: 1px solid var(--_border);
    border-radius: var(--_control-radius);
    cursor: pointer;
  }

  button[part~='button'] {
    color: var(--_accent-text);
    background: var(--_accent);
    border-color: var(--_accent);
  }

  :focus-visible {
    outline: 3px solid var(--otp-focus, var(--_accent));
    outline-offset: 2px;
  }

  [part~='hint'] {
    font-size: 0.9375em;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(var(--_gap) * 0.75) var(--_gap);
  }

  @media (max-width: 30rem) {
    :host {
      --_padding: var(--otp-padding, 1rem);
    }

    button[part~='button'] {
      width: 100%;
    }
  }

  @media (prefers-reduced-motion: no-preference) {
    button {
      transition: background-color 120ms ease, opacity 120ms ease;
    }
  }
`;
