/**
 * The look of `<otp-login>`. Themed only through `--otp-` custom properties
 * (unprefixed names would collide with the host page) and the documented parts.
 * The defaults meet WCAG AA contrast on the default background.
 */
import { css } from 'lit';
import { hostStyles } from './base-styles.ts';

export const styles = [hostStyles, css`
  :host {
    max-width: var(--otp-max-width, 26rem);
  }

  .card {
    position: relative;
    display: grid;
    gap: var(--otp-gap, 1rem);
    padding: var(--otp-padding, 1.5rem);
    background: var(--otp-bg, #ffffff);
    border: 1px solid var(--otp-border, #d0d7de);
    border-radius: var(--otp-radius, 0.75rem);
  }

  p {
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

  [part~='explanation'] {
    display: grid;
    gap: 0.25rem;
    color: var(--otp-muted, #57606a);
  }

  .status {
    display: grid;
    gap: 0.25rem;
  }

  [part~='message'].error {
    padding: 0.75rem 1rem;
    color: var(--otp-error, #b42318);
    background: var(--otp-error-bg, #fef3f2);
    border-left: 4px solid var(--otp-error, #b42318);
    border-radius: calc(var(--otp-radius, 0.75rem) / 2);
  }

  form {
    display: grid;
    gap: 0.75rem;
  }

  label,
  legend {
    font-weight: 600;
  }

  .field {
    display: grid;
    gap: 0.375rem;
  }

  input[part~='input'],
  input[part~='code-input'] {
    width: 100%;
    min-height: 2.75rem;
    padding: 0.5rem 0.75rem;
    font: inherit;
    color: var(--otp-text, #1f2328);
    background: var(--otp-input-bg, #ffffff);
    border: 1px solid var(--otp-input-border, #6e7781);
    border-radius: calc(var(--otp-radius, 0.75rem) / 2);
  }

  input[part~='code-input'] {
    font-family: var(--otp-code-font, ui-monospace, 'SF Mono', Menlo, Consolas, monospace);
    font-size: 1.5rem;
    letter-spacing: 0.4em;
    text-align: center;
  }

  input[aria-invalid='true'] {
    border-color: var(--otp-error, #b42318);
  }

  fieldset {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1.25rem;
    margin: 0;
    padding: 0;
    border: 0;
  }

  legend {
    width: 100%;
    margin-bottom: 0.25rem;
    padding: 0;
  }

  fieldset label,
  label.check {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    min-height: 2rem;
    font-weight: 400;
  }

  /* The label may wrap to two lines: the box stays by the first. */
  label.check {
    display: flex;
    align-items: flex-start;
  }

  label.check input {
    margin-top: 0.1875rem;
  }

  input[type='radio'],
  input[type='checkbox'] {
    width: 1.125rem;
    height: 1.125rem;
    margin: 0;
    accent-color: var(--otp-accent, #0b57d0);
  }

  button {
    min-height: 2.75rem;
    padding: 0.5rem 1.25rem;
    font: inherit;
    font-weight: 600;
    border-radius: calc(var(--otp-radius, 0.75rem) / 2);
    cursor: pointer;
  }

  button[part~='button'] {
    color: var(--otp-accent-text, #ffffff);
    background: var(--otp-accent, #0b57d0);
    border: 1px solid var(--otp-accent, #0b57d0);
  }

  button.secondary {
    color: var(--otp-accent, #0b57d0);
    background: transparent;
    border: 1px solid var(--otp-border, #d0d7de);
  }

  button.link {
    justify-self: start;
    min-height: 2.75rem;
    padding: 0;
    color: var(--otp-accent, #0b57d0);
    background: none;
    border: 0;
    text-decoration: underline;
    text-underline-offset: 0.2em;
  }

  /* The resend countdown is read while disabled, so it keeps full-contrast text. */
  button.secondary:disabled {
    color: var(--otp-muted, #57606a);
    opacity: 1;
  }

  :focus-visible {
    outline: 3px solid var(--otp-focus, var(--otp-accent, #0b57d0));
    outline-offset: 2px;
  }

  .note {
    color: var(--otp-muted, #57606a);
    font-size: 0.9375em;
  }

  .resend {
    display: grid;
    gap: 0.5rem;
    justify-items: start;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.75rem 1rem;
  }

  @media (max-width: 30rem) {
    .card {
      padding: var(--otp-padding, 1rem);
    }

    button[part~='button'],
    button.secondary {
      width: 100%;
    }
  }

  @media (prefers-reduced-motion: no-preference) {
    button {
      transition: background-color 120ms ease, opacity 120ms ease;
    }
  }
`];
