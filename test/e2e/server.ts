import { createServer } from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { freePort } from '../servers.ts';

export { freePort };

/** Whether nothing listens on 127.0.0.1:`port`. */
const isFree = (port: number) =>
  new Promise<boolean>((done) => {
    const probe = createServer().once('error', () => done(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
  });

/**
 * A free port whose next one is free too: `npm start` serves a second demo site on PORT + 1 (the
 * cross-site embedding tests use it), and a stray server there would refuse their connections.
 */
export async function freePortWithNext(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = await freePort();
    if (port < 65535 && (await isFree(port + 1))) return port;
  }
  throw new Error('No two free ports in a row on 127.0.0.1.');
}

const root = resolve(import.meta.dirname, '../..');

export interface RunningServer {
  url: string;
  /** The server's DATA_DIR (its SQLite file is otp-login.sqlite), for scenarios set up server-side. */
  dataDir: string;
  output: () => string;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the product the way a new user does, `npm start` (or another command), in its own
 * process group with a fresh DATA_DIR, and waits until it answers.
 */
export async function startServer({
  command = ['npm', 'start'],
  env = {},
  cwd = root,
  readyPath = '/api/session',
  port: fixedPort,
}: {
  command?: string[];
  env?: Record<string, string>;
  /** Where to run the command; default this checkout. */
  cwd?: string;
  /** Answers 200 once the server is up: the API's session, under the mount of an app that mounts it. */
  readyPath?: string;
  /** The port to listen on; default a free one. A restart passes the port it had (issue 13's restart tests). */
  port?: number;
} = {}): Promise<RunningServer> {
  const port = fixedPort ?? (await freePortWithNext());
  const dataDir = mkdtempSync(join(tmpdir(), 'otp-e2e-'));
  const child = spawn(command[0]!, command.slice(1), {
    cwd,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, NODE_ENV: '', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));

  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server stopped while starting:\n${output}`);
    try {
      if ((await fetch(`${url}${readyPath}`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`The server did not answer within 2 minutes:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    url,
    dataDir,
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      // Not again once it ended (a signal ends it with exitCode null): its group may be gone.
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, signal);
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const executablePath = () => process.env.CHROME_PATH || '/usr/bin/chromium';

/** Debian's Chromium (CHROME_PATH overrides), with the flags this closed network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: executablePath(), headless: true, args: chromiumArgs });
}

/**
 * Cookie settings as a person might set them, through the DevTools protocol (a profile's
 * Preferences file is not read by this Chromium): `all` disables cookies for scripts, so
 * `navigator.cookieEnabled` is false; `third-party` blocks other sites' cookies (partitioned ones
 * still work, as in Chromium with third-party cookies blocked).
 */
export async function blockCookies(context: BrowserContext, page: Page, which: 'all' | 'third-party') {
  const cdp = await context.newCDPSession(page);
  if (which === 'all') await cdp.send('Emulation.setDocumentCookieDisabled', { disabled: true });
  else {
    await cdp.send('Network.enable');
    await cdp.send('Network.setCookieControls', {
      enableThirdPartyCookieRestriction: true,
      disableThirdPartyCookieMetadata: true,
      disableThirdPartyCookieHeuristics: true,
    } as never);
  }
}

/**
 * Signs in through `<otp-login>` on `page` as a person does: types the identifier, asks for a
 * code, and types the newest code the development outbox received for it, digit by digit (the
 * sixth submits by itself). `keep: false` ticks "Don't remember this browser" first.
 */
export async function signInWithCode(page: Page, serverUrl: string, identifier: string, { outboxAddress = identifier, keep = true } = {}) {
  const outbox = `${serverUrl}/dev/outbox.json?to=${encodeURIComponent(outboxAddress)}`;
  const sent = ((await (await fetch(outbox)).json()) as { messages: unknown[] }).messages.length;
  const widget = page.locator('otp-login');
  await widget.locator('[part~="input"]').fill(identifier);
  await widget.locator('[part~="form"] [part~="button"]').first().click();
  await widget.locator('[part~="code-input"]').waitFor();
  if (!keep) await widget.getByLabel(/Don.t remember this browser/).check();
  await widget.locator('[part~="code-input"]').pressSequentially(await codeFromOutbox(serverUrl, outboxAddress, sent), { delay: 10 });
}

/** The newest code the development outbox holds for `to`, waiting briefly for it to arrive. */
export async function codeFromOutbox(url: string, to: string, after = 0): Promise<string> {
  for (let i = 0; i < 40; i++) {
    const { messages } = (await (await fetch(`${url}/dev/outbox.json?to=${encodeURIComponent(to)}`)).json()) as {
      messages: Array<{ text: string }>;
    };
    if (messages.length > after) return messages[0]!.text.match(/\b\d{6}\b/)![0];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`No code reached the outbox for ${to}`);
}

type ServerOptions = Parameters<typeof startServer>[0];

/**
 * The product started with `npm start` and one Chromium, for a whole test file: started before its
 * tests, stopped after them. Read `.server` and `.browser` inside the tests. `options` may be a
 * function, for settings found out first (such as free ports), since a file's hooks must be
 * registered before it awaits anything.
 */
export function serverAndBrowser(options?: ServerOptions | (() => Promise<ServerOptions>)) {
  const running = {} as { server: RunningServer; browser: Browser };
  before(async () => {
    running.server = await startServer(typeof options === 'function' ? await options() : options);
    running.browser = await launchChromium();
  });
  after(async () => {
    await running.browser?.close();
    await running.server?.stop();
  });
  return running;
}
