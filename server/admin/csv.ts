/** One row of a CSV file and the line it starts on (1-based), for a report a person can check. */
export interface CsvRow {
  cells: string[];
  line: number;
}

/**
 * The rows of CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF), one at a time, so a
 * caller can stop between rows to let other work run. Blank rows are skipped.
 */
export function* csvRows(text: string): Generator<CsvRow> {
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  const finished = (cells: string[]) => cells.some((c) => c.trim() !== '');
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      if (finished(row)) yield { cells: row, line: start };
      row = [];
      cell = '';
      start = ++line;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    const last = [...row, cell];
    if (finished(last)) yield { cells: last, line: start };
  }
}

/**
 * One CSV cell: quoted when needed, and a leading = + - @ defused with an apostrophe, so a
 * spreadsheet never runs a contact's name as a formula.
 */
export function csvCell(value: string | null): string {
  const text = value ?? '';
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
