/**
 * A Vite plugin that minifies the text of Lit's `css` and `html` template literals in the
 * widget's own sources: the JavaScript minifier leaves template text alone, and the styles'
 * indentation and comments were a tenth of `otp-login.js`.
 *
 *   css`  :host {\n    display: block;\n  }`  →  css`:host{display:block}`
 *   html`\n  <p part="hint">${x}</p>\n`        →  html` <p part="hint">${x}</p> `
 *
 * HTML keeps one space where there was whitespace (a space between inline content can show);
 * comments go only when they hold no `${…}` (Lit counts those as bindings).
 */
import type { Plugin } from 'vite';

const minifyCss = (text: string) =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    // Not around `+`, `-`, `*`, `/` (calc() needs those spaces) nor before `:` (`a :hover` ≠ `a:hover`).
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}');

const minifyHtml = (text: string) => text.replace(/<!--(?:(?!-->)[\s\S])*?-->/g, '').replace(/\s+/g, ' ');

/**
 * `source` with the text of every css`…` / html`…` literal minified. A small scanner rather than a
 * regular expression, since `${…}` may hold strings and other templates.
 */
export function minifyTemplates(source: string): { code: string; mappings: string } {
  let out = '';
  let i = 0;
  /** Where output and source line up again: after each minified text, so the source map stays right. */
  const marks: [outAt: number, sourceAt: number][] = [[0, 0]];

  /** Copies a template literal starting after its backtick; minifies its text parts with `minify`. */
  const template = (minify: ((text: string) => string) | null) => {
    let text = '';
    const flush = () => {
      out += minify ? minify(text) : text;
      text = '';
      marks.push([out.length, i]);
    };
    while (i < source.length) {
      const char = source[i]!;
      if (char === '\\') {
        text += source.slice(i, i + 2);
        i += 2;
      } else if (char === '`') {
        flush();
        out += '`';
        i++;
        return;
      } else if (char === '$' && source[i + 1] === '{') {
        flush();
        out += '${';
        i += 2;
        code(true);
      } else {
        text += char;
        i++;
      }
    }
    flush();
  };

  /** Copies code up to its end, or past the `}` closing a `${` when `inExpression`. */
  const code = (inExpression: boolean) => {
    let depth = 0;
    while (i < source.length) {
      const char = source[i]!;
      if (char === '`') {
        const tag = /\b(css|html)\s*$/.exec(source.slice(Math.max(0, i - 8), i))?.[1];
        out += '`';
        i++;
        template(tag === 'css' ? minifyCss : tag === 'html' ? minifyHtml : null);
      } else if (char === '"' || char === "'") {
        const end = stringEnd(i);
        out += source.slice(i, end);
        i = end;
      } else if (char === '/' && source[i + 1] === '/') {
        const end = source.indexOf('\n', i);
        out += source.slice(i, end === -1 ? source.length : end);
        i = end === -1 ? source.length : end;
      } else if (char === '/' && source[i + 1] === '*') {
        const end = source.indexOf('*/', i + 2) + 2;
        out += source.slice(i, end);
        i = end;
      } else {
        if (char === '{') depth++;
        if (char === '}') {
          if (inExpression && depth === 0) {
            out += '}';
            i++;
            return;
          }
          depth--;
        }
        out += char;
        i++;
      }
    }
  };

  const stringEnd = (start: number) => {
    const quote = source[start];
    let j = start + 1;
    while (j < source.length && source[j] !== quote && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
    return j + 1;
  };

  code(false);
  return { code: out, mappings: mappingsOf(marks, out, source) };
}

const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const vlq = (value: number) => {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let text = '';
  do {
    const digit = rest & 31;
    rest >>>= 5;
    text += base64[rest ? digit | 32 : digit];
  } while (rest);
  return text;
};

/** A source map's `mappings`: a segment at each mark and at each line start in between, line for line. */
function mappingsOf(marks: [number, number][], out: string, source: string): string {
  const position = (text: string, at: number) => {
    const before = text.slice(0, at);
    const line = before.split('\n').length - 1;
    return [line, at - (before.lastIndexOf('\n') + 1)] as const;
  };
  const segments: [outLine: number, outColumn: number, line: number, column: number][] = [];
  marks.forEach(([outAt, sourceAt], n) => {
    const end = marks[n + 1]?.[0] ?? out.length;
    // Code copied as is: each of its lines maps to the same line of the source.
    for (let at = outAt; at < end || at === outAt; ) {
      const [outLine, outColumn] = position(out, at);
      const [line, column] = position(source, sourceAt + (at - outAt));
      segments.push([outLine, outColumn, line, column]);
      const next = out.indexOf('\n', at);
      if (next === -1 || next + 1 >= end) break;
      at = next + 1;
    }
  });
  let mappings = '';
  let [lastLine, lastColumn, lastSourceLine, lastSourceColumn] = [0, 0, 0, 0];
  for (const [outLine, outColumn, line, column] of segments) {
    if (outLine > lastLine) {
      mappings += ';'.repeat(outLine - lastLine);
      lastLine = outLine;
      lastColumn = 0;
    } else if (mappings && !mappings.endsWith(';')) mappings += ',';
    mappings += vlq(outColumn - lastColumn) + vlq(0) + vlq(line - lastSourceLine) + vlq(column - lastSourceColumn);
    [lastColumn, lastSourceLine, lastSourceColumn] = [outColumn, line, column];
  }
  return mappings;
}

export function minifyLitTemplates(): Plugin {
  return {
    name: 'otp-login:minify-templates',
    apply: 'build',
    transform(source, id) {
      if (!/[\\/]widget[\\/].*\.ts$/.test(id) || !/\b(css|html)`/.test(source)) return null;
      const { code, mappings } = minifyTemplates(source);
      return { code, map: { version: 3, sources: [id], sourcesContent: [source], names: [], mappings } };
    },
  };
}
