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

/** Where a buffered logger's lines go: stdout and stderr, or a test's. */
interface Sink {
  write(text: string): unknown;
}

/**
 * The server's log, buffered under load: a line after a quiet moment is written at once, and the
 * lines that follow within `everyMs` are gathered and written together when it is up (or at once
 * past `maxBytes`), instead of one write call each. Writes to a pipe are synchronous on Linux (under
 * systemd, a container runtime or `| tee`), and one per request cost the session check about a
 * fifth of its time (npm run bench:http).
 * A warning or error flushes what is pending first and is written at once, so lines keep their
 * order and a problem is never held back. What is pending is written when the process exits, also
 * on process.exit() and after an uncaught exception; only a kill -9 loses the last `everyMs`.
 * @example const log = bufferedLogger(); log.info('GET /api/session 200 0.4ms')
 */
export function bufferedLogger({ out = process.stdout as Sink, err = process.stderr as Sink, everyMs = 50, maxBytes = 64 * 1024 } = {}): Logger & { flush(): void } {
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending === '') return;
    const text = pending;
    pending = '';
    out.write(text);
  };
  process.on('exit', flush);
  const atOnce = (message: string) => {
    flush();
    err.write(`${message}\n`);
  };
  return {
    info(message) {
      pending += `${message}\n`;
      if (pending.length >= maxBytes) flush();
      if (timer !== undefined) return;
      // Quiet until now: this line goes at once, and the window for the ones after it opens.
      flush();
      (timer = setTimeout(flush, everyMs)).unref();
    },
    warn: atOnce,
    error: atOnce,
    flush,
  };
}

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
