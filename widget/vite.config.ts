/**
 * Builds two self-contained ES modules (lit included in each), which the server serves:
 *
 *   dist/otp-login.js      the widget, at `/otp-login.js`
 *   dist/otp-login-fr.js   … and one chunk per language (widget/i18n/), which `otp-login.js`
 *                          imports next to itself only on a page in that language
 *   dist/otp-login-rest.js … and the rest of the widget (rest.ts), which it imports when this
 *                          browser is not signed in
 *   dist/otp-admin.js      the admin page's elements, at `/otp-admin.js`; its `<otp-login>` loads
 *                          the same language chunks
 *
 * Each is its own build (a Vite environment), not two entries of one build: two entries would
 * share lit through a third chunk, and `otp-login.js` must stay the one file a site embeds.
 *
 *   npm run build    # once, both
 *   npm run dev      # rebuild on change
 */
import path from 'node:path';
import { defineConfig, type BuildEnvironmentOptions } from 'vite';
import { minifyLitTemplates } from './minify-templates.ts';
import { sizeReport } from './size-report.ts';

const root = path.resolve(import.meta.dirname, '..');

/**
 * A module `otp-login.js` loads on demand: a language of widget/i18n/ (not the chooser,
 * languages.ts), named by its language, or the rest of the widget (rest.ts).
 */
const languageModule = /[\\/]widget[\\/](?:i18n[\\/](?!languages\.ts$)([\w-]+)|(rest))\.ts$/;
const languageChunk = (id: string) => {
  const [, language, rest] = languageModule.exec(id) ?? [];
  return language || rest ? `./otp-login-${language ?? rest}.js` : id;
};

/**
 * One ES module from `entry`, written to `dist/<name>.js`, with the language chunks of
 * `otp-login.js` next to it: written by that build, imported by the others.
 */
const bundle = (name: string, entry: string, emptyOutDir: boolean): { consumer: 'client'; build: BuildEnvironmentOptions } => ({
  consumer: 'client',
  build: {
    outDir: path.join(root, 'dist'),
    // Only the first build empties dist/, or the second would delete the first one's file.
    emptyOutDir,
    sourcemap: true,
    minify: true,
    target: 'es2022',
    lib: { entry: path.join(root, entry), formats: ['es'], fileName: () => `${name}.js` },
    rolldownOptions: {
      ...(name !== 'otp-login' && { external: (id: string) => languageModule.test(id) }),
      // Library mode keeps whitespace and /*#__PURE__*/ notes for a later bundler; these files are
      // the final products served to browsers, so they are minified in full.
      output: { minify: true, comments: false, chunkFileNames: `${name}-[name].js`, paths: languageChunk },
    },
  },
});

export default defineConfig({
  root,
  publicDir: false,
  logLevel: 'warn',
  plugins: [minifyLitTemplates(), sizeReport()],
  // Makes `vite build` build every environment below, in order.
  builder: {},
  environments: {
    client: bundle('otp-login', 'widget/otp-login.ts', true),
    admin: bundle('otp-admin', 'widget/admin/admin-app.ts', false),
  },
});
