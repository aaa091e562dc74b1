/**
 * The admin's tables on a narrow screen (issue 15, item 8): below 40rem each row becomes a small
 * list of "column: value" lines, so a 375 px phone reads every column without scrolling sideways.
 * The column names come from each table's own header cells: `labelCells` copies them onto the
 * cells as `data-label` after every render, so no table has to repeat its headers.
 *
 * ```ts
 * // adminStyles includes stackedTables; after a render that changed the rows:
 * updated(changed) { if (changed.has('card')) labelCells(this.renderRoot); }
 * ```
 */
import { css } from 'lit';

export const stackedTables = css`
  @media (max-width: 40rem) {
    .table-wrap {
      overflow-x: visible;
    }
    table,
    tbody,
    tr,
    td {
      display: block;
    }
    /* The headers stay for screen readers; each cell says its column instead. */
    thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }
    tr {
      padding: 0.5rem 0;
      border-bottom: 1px solid var(--otp-border, #d0d7de);
    }
    td {
      display: grid;
      grid-template-columns: minmax(6rem, 35%) 1fr;
      gap: 0.5rem;
      padding: 0.125rem 0;
      border: 0;
      overflow-wrap: anywhere;
    }
    td::before {
      content: attr(data-label);
      color: var(--otp-muted, #57606a);
    }
    td.time {
      white-space: normal;
    }
  }
`;

/** Gives every body cell of every table under `root` its column's header text as `data-label`. */
export function labelCells(root: ParentNode): void {
  for (const table of root.querySelectorAll('table')) {
    const names = [...table.querySelectorAll('thead th')].map((th) => th.textContent?.trim() ?? '');
    for (const row of table.querySelectorAll('tbody tr')) {
      [...row.children].forEach((cell, i) => {
        const name = names[i] ?? '';
        if (cell.getAttribute('data-label') !== name) cell.setAttribute('data-label', name);
      });
    }
  }
}
