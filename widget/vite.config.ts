/**
 * Builds the widget into one self-contained ES module, `dist/otp-login.js`
 * (lit included), which the server serves at `/otp-login.js`.
 *
 *   npm run build    # once
 *   npm run dev      # rebuild on change
 */
import path from 'node:path';
import { defineConfig } from 'vite';
import { sizeReport } from './size-report.ts';

const root = path.resolve(import.meta.dirname, '..');

export default defineConfig({
  root,
  publicDir: false,
  logLevel: 'warn',
  plugins: [sizeReport()],
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    sourcemap: true,
    minify: true,
    target: 'es2022',
    lib: {
      entry: path.join(root, 'widget/otp-login.ts'),
      formats: ['es'],
      fileName: () => 'otp-login.js',
    },
    rolldownOptions: {
      // Library mode keeps whitespace and /*#__PURE__*/ notes for a later bundler; this file is
      // the final product served to browsers, so it is minified in full.
      output: { minify: true, comments: false },
    },
  },
});
