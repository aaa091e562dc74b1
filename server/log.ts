/** Where the server writes what happened. Never pass it a code or a token. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const consoleLogger: Logger = {
  info: (m) => console.log(m),
  warn: (m) => console.warn(m),
  error: (m) => console.error(m),
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

// Controls (C0, DEL, C1), every kind of space and line break, and the invisible marks that reorder
// or hide text (bidi overrides, zero-width characters), plus the backslash that starts an escape.
const UNSAFE = /[\x00-\x20\x7f-\xa0\xad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff\\]/g;

/**
 * Text from a request, made safe to put in a log line: each character that could break the line,
 * split a field (a space) or hide what follows is written as an escape, so `/a%0a…` or
 * `/a%20200%201.0ms` cannot forge a line or a field, and `%00` writes no NUL.
 * @example forLog('/x\n1 GET') // '/x\\x0a1\\x20GET'
 */
export const forLog = (text: string): string =>
  text.replace(UNSAFE, (ch) => {
    const code = ch.codePointAt(0)!;
    return ch === '\\' ? '\\\\' : code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
