import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkPageA11y } from './axe.ts';
import { serverAndBrowser, signInWithCode } from './server.ts';

// `npm install otp-login` as a site owner's Vite + Hono app gets it: the packed tarball, installed
// into a copy of examples/vite-app whose other packages are this checkout's (the network is closed).
const root = resolve(import.meta.dirname, '../..');
const bin = (name: string) => join(root, 'node_modules/.bin', name);
let work: string;
let app: string;
let packed: string[];

before(() => {
  work = mkdtempSync(join(tmpdir(), 'otp-package-'));
  // npm pack runs prepack: the widget bundle (dist/), the server as production runs it (build/) and the library with its types (lib/).
  execFileSync('npm', ['pack', '--pack-destination', work], { cwd: root, stdio: 'pipe' });
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
  packed = execFileSync('tar', ['-tzf', join(work, tarball)], { encoding: 'utf8' }).split('\n').filter(Boolean);

  app = join(work, 'app');
  cpSync(join(root, 'examples/vite-app'), app, { recursive: true });
  const modules = join(app, 'node_modules');
  mkdirSync(join(modules, 'otp-login'), { recursive: true });
  execFileSync('tar', ['-xzf', join(work, tarball), '--strip-components=1', '-C', join(modules, 'otp-login')]);
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (!name.startsWith('.')) symlinkSync(join(root, 'node_modules', name), join(modules, name));
  }
});
after(() => rmSync(work, { recursive: true, force: true }));

describe('the npm package', () => {
  test('holds the library with its types, the built widget and the admin page, the built server and its bin, and nothing else', () => {
    const files = packed.map((f) => f.replace(/^package\//, ''));
    for (const file of ['build/cli.js', 'build/main.js', 'build/migrations/0001_initial.sql', 'lib/server/index.js', 'lib/server/index.d.ts', 'lib/widget/otp-login.js', 'lib/widget/otp-login.d.ts', 'lib/widget/i18n/fr.js', 'dist/otp-login.js', 'dist/otp-login-fr.js', 'dist/otp-admin.js', 'demo/admin.html', 'package.json', 'README.md']) {
      assert.ok(files.includes(file), `${file} is in the package`);
    }
    const stray = files.filter((f) => /^(test|server|widget|bench|docs|examples|data|\.ci)\/|\.map$|\.ts$(?<!\.d\.ts$)/.test(f));
    assert.deepEqual(stray, [], 'no sources, tests, maps or data');
  });

  test('its types work for a TypeScript app: the server’s options and c.var.contact, the widget’s element and events', () => {
    // Mistakes a typed package must catch; with `any` types, each @ts-expect-error would itself be an error.
    writeFileSync(
      join(app, 'types-check.ts'),
      `import { Hono } from 'hono';
import { createOtpLogin, type SignedInContact } from 'otp-login/server';
import { OtpLogin, type OtpSignedInEvent } from 'otp-login/widget';

const otp = createOtpLogin({ env: { DATA_DIR: './data' } });
new Hono().route('/auth', otp).get('/me', otp.contact(), (c) => {
  const contact: SignedInContact | null = c.var.contact;
  // @ts-expect-error a contact has no password
  return c.text(contact?.password ?? '');
});
// @ts-expect-error settings are strings, by their environment variables' names
createOtpLogin({ env: { PORT: 3000 } });

const element: OtpLogin = document.querySelector('otp-login')!;
element.addEventListener('otp-signed-in', (event: OtpSignedInEvent) => void event.detail.contact.id);
void element.getToken();
// @ts-expect-error the detail has no password either
document.addEventListener('otp-signed-in', (event) => event.detail.contact.password);
`,
    );
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', app], { cwd: app, stdio: 'pipe' });
  });

  describe('examples/vite-app, built by Vite from the package and run as its README says', () => {
    const e2e = serverAndBrowser(async () => {
      execFileSync(bin('vite'), ['build', '--logLevel', 'warn'], { cwd: app, stdio: 'pipe' });
      return { command: [bin('tsx'), 'server.ts'], cwd: app, readyPath: '/auth/api/session' };
    });

    test('a visitor signs in on the Vite page, and the site’s /account route knows who they are', async () => {
      const page = await (await e2e.browser.newContext()).newPage();
      const failures: string[] = [];
      page.on('pageerror', (error) => failures.push(error.message));
      await page.goto(e2e.server.url);
      await signInWithCode(page, `${e2e.server.url}/auth`, 'skipper@example.com');
      await page.getByText('Signed in as skipper@example.com.').waitFor();
      await checkPageA11y(page);
      assert.deepEqual(failures, []);

      // The widget in the page is the npm one, bundled by Vite with the app (not the server's script).
      const scripts = await page.evaluate(() => [...document.scripts].map((s) => new URL(s.src).pathname));
      assert.ok(scripts.every((path) => path.startsWith('/assets/')), scripts.join(', '));
      // The mounted server still serves its own script and admin page.
      assert.equal((await fetch(`${e2e.server.url}/auth/otp-login.js`)).status, 200);
      assert.equal((await fetch(`${e2e.server.url}/auth/admin`)).status, 200);
    });
  });
});
