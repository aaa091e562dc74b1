/**
 * What each part of a built file costs, from its source map: `npm run size` builds, then prints for
 * `dist/otp-login.js` (or the files named) each source file's minified bytes, their gzip on their
 * own, and what the file's gzip would lose without them (the honest figure: gzip shares words
 * between parts, so the first two overstate).
 *
 *   npm run size                         # dist/otp-login.js
 *   npx tsx widget/size-parts.ts dist/otp-login-code.js
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const gzip = (text: string) => gzipSync(text, { level: 9 }).length;

const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The numbers of one source-map segment (Base64 VLQ). */
function decodeSegment(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = base64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return values;
}

/** Source file (or `(unmapped)`) → the code it became, in order, for `code` and its map. */
export function partsOf(code: string, map: { sources: string[]; mappings: string }): Map<string, string> {
  const parts = new Map<string, string>();
  const add = (source: string, text: string) => parts.set(source, (parts.get(source) ?? '') + text);
  const lines = code.split('\n');
  let sourceIndex = 0;
  map.mappings.split(';').forEach((line, lineNumber) => {
    const text = lines[lineNumber] ?? '';
    let column = 0;
    // Each segment owns the columns up to the next segment's.
    const owners: { from: number; source: string }[] = [{ from: 0, source: '(unmapped)' }];
    for (const segment of line ? line.split(',') : []) {
      const [columnDelta = 0, sourceDelta] = decodeSegment(segment);
      column += columnDelta;
      if (sourceDelta === undefined) {
        owners.push({ from: column, source: '(unmapped)' });
        continue;
      }
      sourceIndex += sourceDelta;
      owners.push({ from: column, source: map.sources[sourceIndex]! });
    }
    owners.forEach(({ from, source }, i) => add(source, text.slice(from, owners[i + 1]?.from ?? text.length)));
    if (lineNumber < lines.length - 1) add('(unmapped)', '\n');
  });
  return parts;
}

/** `../node_modules/lit-html/lit-html.js` → `lit`, `../widget/otp-login.ts` → `widget/otp-login.ts`. */
export function partName(source: string): string {
  if (/node_modules[\\/](lit|lit-html|lit-element|@lit)[\\/]/.test(source)) return 'lit';
  return source.replace(/^(\.\.\/)+/, '');
}

export interface PartSize {
  part: string;
  bytes: number;
  gzipAlone: number;
  /** What the whole file's gzip loses without this part. */
  gzipShare: number;
}

export function measure(file: string): { total: { bytes: number; gzip: number }; parts: PartSize[] } {
  const code = readFileSync(file, 'utf8');
  const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[]; mappings: string };
  const grouped = new Map<string, string[]>();
  for (const [source, text] of partsOf(code, map)) {
    const name = partName(source);
    grouped.set(name, [...(grouped.get(name) ?? []), source]);
  }
  const bySource = partsOf(code, map);
  const total = gzip(code);
  const parts = [...grouped].map(([part, sources]) => {
    const text = sources.map((source) => bySource.get(source)!).join('');
    // The file with this part's code left out, every other part in its place.
    const without = [...bySource].filter(([source]) => !sources.includes(source)).map(([, rest]) => rest).join('');
    return { part, bytes: Buffer.byteLength(text), gzipAlone: gzip(text), gzipShare: total - gzip(without) };
  });
  parts.sort((a, b) => b.gzipShare - a.gzipShare);
  return { total: { bytes: Buffer.byteLength(code), gzip: total }, parts };
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const files = process.argv.slice(2);
  for (const file of files.length ? files : ['dist/otp-login.js']) {
    const { total, parts } = measure(file);
    console.log(`\n${file}: ${total.bytes} B, gzip ${total.gzip} B\n`);
    console.log(`${'part'.padEnd(34)} ${'bytes'.padStart(7)} ${'gzip alone'.padStart(11)} ${'gzip share'.padStart(11)}`);
    for (const { part, bytes, gzipAlone, gzipShare } of parts) {
      console.log(`${part.padEnd(34)} ${String(bytes).padStart(7)} ${String(gzipAlone).padStart(11)} ${String(gzipShare).padStart(11)}`);
    }
  }
}
