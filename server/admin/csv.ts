/** One row of a CSV file and the line it starts on (1-based), for a report a person can check. */
export interface CsvRow {
  cells: string[];
  line: number;
}

/** The separators a contacts file may use: `,`, and `;` or tab, as Excel writes CSV where the decimal mark is a comma. */
export type CsvSeparator = ',' | ';' | '\t';

/**
 * The separator of CSV text, read from its first line (the header): the one of `,` `;` tab that
 * occurs most often outside quotes there, a comma when none does.
 * @example csvSeparator('email;phone;name\r\n…') // ';'
 */
export function csvSeparator(text: string): CsvSeparator {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch as CsvSeparator]++;
  }
  return (Object.keys(counts) as CsvSeparator[]).reduce((best, sep) => (counts[sep] > counts[best] ? sep : best), ',');
}

/**
 * The rows of CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF), one at a time, so a
 * caller can stop between rows to let other work run. Blank rows are skipped.
 */
export function* csvRows(text: string, separator: CsvSeparator = ','): Generator<CsvRow> {
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
    else if (ch === separator) {
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

// What a spreadsheet reads as the start of a formula, after any apostrophes (see csvCell).
const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * One CSV cell: quoted when needed, and a leading = + - @ defused with an apostrophe, so a
 * spreadsheet never runs a contact's name as a formula. Text that already starts with apostrophes
 * before one of those gets one more, so that `csvValue` gives every text back exactly.
 */
export function csvCell(value: string | null): string {
  const text = value ?? '';
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",;\t\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * A cell's value as `csvCell` was given it: the apostrophe that defused a formula (or a phone's
 * `+`, in the export or typed in a spreadsheet) is taken off again, and only there.
 * @example csvValue("'+14155550123") // '+14155550123'
 */
export function csvValue(cell: string): string {
  return FORMULA_START.test(cell) && cell.startsWith("'") ? cell.slice(1) : cell;
}
