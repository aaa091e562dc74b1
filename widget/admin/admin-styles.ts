/**
 * The look of the admin elements, themed through the same `--otp-` custom properties as
 * `<otp-login>`. The defaults meet WCAG AA contrast on the default background.
 */
import { css, unsafeCSS } from 'lit';
import { hostStyles } from '../base-styles.ts';
import { stackedTables } from './stacked-tables.ts';

export const adminStyles = [unsafeCSS(hostStyles), css`

  h1,
  h2,
  h3 {
    margin: 0;
    line-height: 1.25;
  }

  p,
  ul,
  ol,
  dl {
    margin: 0;
  }

  section {
    display: grid;
    gap: 0.5rem;
  }

  .muted,
  .note {
    color: var(--otp-muted, #57606a);
  }

  .alert {
    padding: 0.75rem 1rem;
    color: var(--otp-error, #b42318);
    background: var(--otp-error-bg, #fef3f2);
    border-left: 4px solid var(--otp-error, #b42318);
    border-radius: 0.375rem;
  }

  /* Empty live regions stay in the accessibility tree (so later changes are announced) but take no space. */
  .live:empty {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }

  .table-wrap {
    overflow-x: auto;
  }

  table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.9375em;
  }

  th,
  td {
    padding: 0.375rem 0.5rem;
    text-align: left;
    vertical-align: top;
    border-bottom: 1px solid var(--otp-border, #d0d7de);
  }

  th[scope='col'],
  td.time {
    white-space: nowrap;
  }

  label {
    font-weight: 600;
  }

  input {
    width: 100%;
    min-height: 2.5rem;
    padding: 0.375rem 0.625rem;
    font: inherit;
    color: var(--otp-text, #1f2328);
    background: var(--otp-input-bg, #ffffff);
    border: 1px solid var(--otp-input-border, #6e7781);
    border-radius: 0.375rem;
  }

  .field {
    display: grid;
    gap: 0.25rem;
  }

  button {
    min-height: 2.5rem;
    padding: 0.375rem 1rem;
    font: inherit;
    font-weight: 600;
    color: var(--otp-accent, #0b57d0);
    background: var(--otp-bg, #ffffff);
    border: 1px solid var(--otp-border, #d0d7de);
    border-radius: 0.375rem;
    cursor: pointer;
  }

  button.primary {
    color: var(--otp-accent-text, #ffffff);
    background: var(--otp-accent, #0b57d0);
    border-color: var(--otp-accent, #0b57d0);
  }

  button.danger {
    color: #ffffff;
    background: var(--otp-error, #b42318);
    border-color: var(--otp-error, #b42318);
  }

  button.link {
    min-height: 0;
    padding: 0;
    font-weight: 400;
    text-align: left;
    background: none;
    border: 0;
    text-decoration: underline;
    text-underline-offset: 0.2em;
  }

  :focus-visible {
    outline: 3px solid var(--otp-focus, var(--otp-accent, #0b57d0));
    outline-offset: 2px;
  }

  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 0.75rem;
  }
`, stackedTables];
